//! Per-mu evaluation (亩均效益评价) of above-scale industrial enterprises: their yearly facts
//! (land, tax, output) imported from CSV or xlsx — all or nothing, with a row-by-row report —
//! until the enterprise register holds them, and the A/B/C/D classes of a year under a
//! configurable weighting (`domain::economy::permu`).
//!
//! Columns: `credit_code` (统一社会信用代码), `name` (企业名称), `year` (年度), `land_mu`
//! (用地面积（亩）, at most two decimals), `tax_10k_yuan` (税收（万元）), `output_10k_yuan`
//! (产值（万元）), optional `region` (地区; default the zone) and `source` (来源).

use std::collections::HashMap;

use domain::CreditCode;
use domain::economy::permu::{PerMuClass, PerMuConfig, PerMuFacts, evaluate};
use domain::economy::quantity::parse_scaled;
use serde::Serialize;
use store::EconEnterpriseFacts;

use super::import::ImportReport;
use super::table::{self, Columns, take};
use super::{ensure_defaults, load_catalog};
use crate::{Actor, App, AppError, Result};

const COLUMNS: Columns = &[
    (
        "credit_code",
        &["credit_code", "统一社会信用代码", "信用代码"],
    ),
    ("name", &["name", "企业名称", "名称"]),
    ("year", &["year", "年度", "年份"]),
    (
        "land_mu",
        &[
            "land_mu",
            "用地面积（亩）",
            "用地面积(亩)",
            "用地（亩）",
            "用地面积",
        ],
    ),
    (
        "tax_10k_yuan",
        &[
            "tax_10k_yuan",
            "税收（万元）",
            "税收(万元)",
            "实缴税金（万元）",
        ],
    ),
    (
        "output_10k_yuan",
        &[
            "output_10k_yuan",
            "产值（万元）",
            "产值(万元)",
            "工业总产值（万元）",
        ],
    ),
    ("region", &["region", "地区"]),
    ("source", &["source", "来源"]),
];
const REQUIRED: &[&str] = &[
    "credit_code",
    "name",
    "year",
    "land_mu",
    "tax_10k_yuan",
    "output_10k_yuan",
];

/// 万元 in fen.
const WAN: i64 = 10_000 * 100;

/// Import enterprises' yearly facts; a file with any problem writes nothing.
pub async fn import_facts(
    app: &App,
    actor: Option<&Actor>,
    file_name: &str,
    bytes: &[u8],
) -> Result<ImportReport> {
    let (mut report, table) = match table::open(actor, file_name, bytes, COLUMNS, REQUIRED)? {
        Ok(opened) => opened,
        Err(refused) => return Ok(refused),
    };
    let mut tx = app.store.write().await?;
    ensure_defaults(&mut tx).await?;
    let catalog = load_catalog(&mut tx).await?;
    let mut rows: Vec<EconEnterpriseFacts> = vec![];
    let mut first: HashMap<(String, i64), usize> = HashMap::new();
    for r in table.rows() {
        report.rows += 1;
        let issues = &mut report.issues;
        let before = issues.len();
        let code = take(
            issues,
            CreditCode::parse(r.get("credit_code"))
                .map(|c| c.as_str().to_owned())
                .map_err(|e| r.issue("credit_code", e.code, e.message)),
        );
        let name = take(issues, r.required("name", "enterprise name"));
        let year = take(issues, r.year("year"));
        let number =
            |column: &str, scale: i64, positive: bool| match parse_scaled(r.get(column), scale) {
                Ok(v) if v > 0 || (!positive && v == 0) => Ok(v),
                Ok(_) => Err(r.issue(
                    column,
                    "out_of_range",
                    format!(
                        "{column} must be {}",
                        if positive {
                            "above zero"
                        } else {
                            "zero or more"
                        }
                    ),
                )),
                Err(e) => Err(r.issue(column, e.code, e.message)),
            };
        let land = take(issues, number("land_mu", 100, true));
        let tax = take(issues, number("tax_10k_yuan", WAN, false));
        let output = take(issues, number("output_10k_yuan", WAN, false));
        let region = take(issues, r.region_or_home("region", &catalog));
        if issues.len() > before {
            continue;
        }
        let (Some(code), Some(name), Some(year), Some(land), Some(tax), Some(output), Some(region)) =
            (code, name, year, land, tax, output, region)
        else {
            continue;
        };
        if let Some(r0) = first.get(&(code.clone(), year)) {
            issues.push(r.issue(
                "credit_code",
                "duplicate_period",
                format!("{code} {year} is already on row {r0}"),
            ));
            continue;
        }
        first.insert((code.clone(), year), r.row);
        rows.push(EconEnterpriseFacts {
            credit_code: code,
            year,
            name: name.to_owned(),
            region_code: region,
            land_centimu: land,
            tax,
            output,
            source: match r.get("source") {
                "" => file_name.to_owned(),
                s => s.to_owned(),
            },
        });
    }
    if !report.issues.is_empty() {
        report.issues.sort_by_key(|i| i.row);
        tx.rollback().await?;
        return Ok(report);
    }
    let mut years: Vec<i64> = rows.iter().map(|r| r.year).collect();
    years.sort_unstable();
    years.dedup();
    let mut existing = std::collections::HashSet::new();
    for y in years {
        for f in tx.econ_enterprise_facts(y).await? {
            existing.insert((f.credit_code, f.year));
        }
    }
    report.replaced = rows
        .iter()
        .filter(|r| existing.contains(&(r.credit_code.clone(), r.year)))
        .count();
    let now = domain::time::now_ms();
    tx.upsert_econ_enterprise_facts(&rows, now).await?;
    let entry = super::audit_entry(
        actor,
        "economy.permu.import",
        "econ_enterprise_facts",
        file_name,
        format!(
            "{} enterprise years written, {} replaced",
            rows.len(),
            report.replaced
        ),
    );
    tx.insert_audit(&entry, now).await?;
    tx.commit().await?;
    report.written = rows.len();
    Ok(report)
}

#[derive(Debug, Clone, Serialize)]
pub struct EnterpriseResult {
    pub credit_code: String,
    pub name: String,
    pub land_centimu: i64,
    /// Fen per mu.
    pub tax_per_mu: i64,
    pub output_per_mu: i64,
    pub score_bp: i64,
    pub class: PerMuClass,
}

#[derive(Debug, Clone, Serialize)]
pub struct PerMuEvaluation {
    pub year: i32,
    pub region_code: String,
    pub config: PerMuConfig,
    pub enterprises: Vec<EnterpriseResult>,
    /// How many in A, B, C, D.
    pub classes: [usize; 4],
    /// All enterprises' tax over all their land (fen per mu); none without enterprises.
    pub tax_per_mu: Option<i64>,
}

/// The evaluation of the zone's enterprises in `year`, best score first.
pub async fn evaluate_year(app: &App, year: i32, cfg: &PerMuConfig) -> Result<PerMuEvaluation> {
    let mut tx = app.store.read().await?;
    let catalog = load_catalog(&mut tx).await?;
    let home = catalog.home().map(|r| r.code.clone()).unwrap_or_default();
    let facts: Vec<EconEnterpriseFacts> = tx
        .econ_enterprise_facts(i64::from(year))
        .await?
        .into_iter()
        .filter(|f| f.region_code == home)
        .collect();
    tx.commit().await?;
    let input: Vec<PerMuFacts> = facts
        .iter()
        .map(|f| PerMuFacts {
            tax: f.tax,
            output: f.output,
            land_centimu: f.land_centimu,
        })
        .collect();
    let results = evaluate(&input, cfg)
        .map_err(|e| AppError::Invalid(vec![crate::FieldError::from_value("config", e)]))?;
    let mut enterprises: Vec<EnterpriseResult> = facts
        .iter()
        .zip(results)
        .map(|(f, r)| EnterpriseResult {
            credit_code: f.credit_code.clone(),
            name: f.name.clone(),
            land_centimu: f.land_centimu,
            tax_per_mu: r.tax_per_mu,
            output_per_mu: r.output_per_mu,
            score_bp: r.score_bp,
            class: r.class,
        })
        .collect();
    enterprises.sort_by(|a, b| {
        b.score_bp
            .cmp(&a.score_bp)
            .then(a.credit_code.cmp(&b.credit_code))
    });
    let mut classes = [0usize; 4];
    for e in &enterprises {
        classes[e.class as usize] += 1;
    }
    let land: i64 = facts.iter().map(|f| f.land_centimu).sum();
    let tax: i64 = facts.iter().map(|f| f.tax).sum();
    Ok(PerMuEvaluation {
        year,
        region_code: home,
        config: cfg.clone(),
        enterprises,
        classes,
        tax_per_mu: (land > 0)
            .then(|| i64::try_from(i128::from(tax) * 100 / i128::from(land)).unwrap_or(i64::MAX)),
    })
}
