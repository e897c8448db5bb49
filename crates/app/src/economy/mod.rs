//! Economic operation (经济运行): the indicators catalog and regions, import and export of
//! values, the year's figures with growth and rankings, the annual report, and the demo data.
//!
//! Rights: `Right::EditEconomy` to enter and import figures, `Right::ViewEconomy` to see them
//! (`domain::Role::has` says who holds them); the command line acts as the local operator and
//! is audited as `cli`.

pub mod charts;
pub mod dashboard;
pub mod demo;
pub mod entry;
pub mod export;
pub mod figures;
pub mod import;
pub mod permu;
pub mod project_import;
pub mod projects;
pub mod report;
pub mod settings;
pub mod table;

use std::str::FromStr;

use domain::Right;
use domain::economy::{
    Aggregation, Currency, GrowthBasis, Indicator, Measure, Observation, Period, PeriodKind,
    Region, default_catalog, default_regions,
};
use store::{EconIndicatorRow, EconRegionRow, EconValueRow, Tx};

use crate::{Actor, App, AppError, Result};

/// The catalog and the regions, as stored.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub indicators: Vec<Indicator>,
    pub regions: Vec<Region>,
}

impl Catalog {
    /// By code, Chinese name or English name (case-insensitive).
    pub fn indicator(&self, key: &str) -> Option<&Indicator> {
        let k = key.trim();
        self.indicators
            .iter()
            .find(|i| i.code == k || i.name_zh == k || i.name_en.eq_ignore_ascii_case(k))
    }

    /// By code, Chinese name or English name (case-insensitive).
    pub fn region(&self, key: &str) -> Option<&Region> {
        let k = key.trim();
        self.regions
            .iter()
            .find(|r| r.code == k || r.name_zh == k || r.name_en.eq_ignore_ascii_case(k))
    }

    /// The zone this platform runs.
    pub fn home(&self) -> Option<&Region> {
        self.regions.iter().find(|r| r.home)
    }
}

/// Who may import and edit figures.
pub(crate) fn require_edit(actor: &Actor) -> Result<()> {
    actor.require(Right::EditEconomy)
}

/// Who may see figures and reports.
pub fn require_view(actor: &Actor) -> Result<()> {
    actor.require(Right::ViewEconomy)
}

/// The audit entry of a change: by the account, or by the local operator (the command line,
/// recorded as `cli`).
pub(crate) fn audit_entry(
    actor: Option<&Actor>,
    action: &str,
    record_type: &str,
    record_id: &str,
    detail: String,
) -> store::AuditEntry {
    let mut e = match actor {
        Some(a) => a.audit(action, record_type, record_id),
        None => store::AuditEntry {
            user_id: None,
            username: "cli".into(),
            role: "operator".into(),
            action: action.into(),
            record_type: record_type.into(),
            record_id: record_id.into(),
            client_addr: "local".into(),
            detail: String::new(),
        },
    };
    e.detail = detail;
    e
}

/// Add the default indicators and regions that are missing (edits of existing ones stay).
pub(crate) async fn ensure_defaults(tx: &mut Tx) -> Result<()> {
    let indicators: Vec<EconIndicatorRow> = default_catalog()
        .into_iter()
        .map(|i| EconIndicatorRow {
            code: i.code,
            name_zh: i.name_zh,
            name_en: i.name_en,
            measure: i.measure.as_str().into(),
            currency: i.currency.map(|c| c.as_str().into()),
            period_kind: i.period_kind.as_str().into(),
            aggregation: i.aggregation.as_str().into(),
            growth_basis: i.growth_basis.as_str().into(),
            parent_code: i.parent,
            sort: i.sort,
        })
        .collect();
    tx.insert_econ_indicators(&indicators).await?;
    let regions: Vec<EconRegionRow> = default_regions()
        .into_iter()
        .map(|r| EconRegionRow {
            code: r.code,
            name_zh: r.name_zh,
            name_en: r.name_en,
            home: r.home,
            sort: r.sort,
        })
        .collect();
    tx.insert_econ_regions(&regions).await?;
    Ok(())
}

fn stored<T: FromStr<Err = domain::ValueError>>(what: &str, s: &str) -> Result<T> {
    s.parse()
        .map_err(|e: domain::ValueError| AppError::Internal(format!("stored {what}: {e}")))
}

pub(crate) async fn load_catalog(tx: &mut Tx) -> Result<Catalog> {
    let mut indicators = vec![];
    for r in tx.econ_indicators().await? {
        indicators.push(Indicator {
            measure: stored::<Measure>("measure", &r.measure)?,
            currency: r
                .currency
                .as_deref()
                .map(|c| stored::<Currency>("currency", c))
                .transpose()?,
            period_kind: stored::<PeriodKind>("period kind", &r.period_kind)?,
            aggregation: stored::<Aggregation>("aggregation", &r.aggregation)?,
            growth_basis: stored::<GrowthBasis>("growth basis", &r.growth_basis)?,
            code: r.code,
            name_zh: r.name_zh,
            name_en: r.name_en,
            parent: r.parent_code,
            sort: r.sort,
        });
    }
    let regions = tx
        .econ_regions()
        .await?
        .into_iter()
        .map(|r| Region {
            code: r.code,
            name_zh: r.name_zh,
            name_en: r.name_en,
            home: r.home,
            sort: r.sort,
        })
        .collect();
    Ok(Catalog {
        indicators,
        regions,
    })
}

/// The catalog, with the defaults added where missing.
pub async fn catalog(app: &App) -> Result<Catalog> {
    let mut tx = app.store.write().await?;
    ensure_defaults(&mut tx).await?;
    let c = load_catalog(&mut tx).await?;
    tx.commit().await?;
    Ok(c)
}

/// A stored value as a domain observation.
pub(crate) fn observation(r: &EconValueRow) -> Result<Observation> {
    let kind = stored::<PeriodKind>("period kind", &r.period_kind)?;
    let year = i32::try_from(r.year).map_err(|_| AppError::Internal("stored year".into()))?;
    let no = u8::try_from(r.period_no).map_err(|_| AppError::Internal("stored period".into()))?;
    let period = Period::new(kind, year, no)
        .map_err(|e| AppError::Internal(format!("stored period: {e}")))?;
    Ok(Observation {
        period,
        cumulative: r.cumulative,
        value: r.value,
        reported_growth_bp: r.reported_growth_bp,
    })
}
