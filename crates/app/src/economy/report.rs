//! The annual economic report (`zhikong report economy --year 2019`): the zone's headline
//! table, the rankings among the city's districts with SVG charts, the national evaluations,
//! and the summary sentences written from the figures by templates. One `AnnualReport`,
//! rendered as HTML, xlsx or JSON; the JSON carries each indicator's value, growth and rank.

use std::fmt::Write as _;

use domain::economy::{
    Currency, DisplayUnit, GrowthBasis, GrowthSource, High, Measure, format_percent, format_value,
    join_sentences, period, render_template,
    summary::{Facts, LEADER_CANDIDATES, LEADERS},
};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::Serialize;

use super::charts::{ChartLang, esc, growth_chart, history_chart, months_chart};
use super::figures::{MonthPoint, RegionFigure, period_figures};
use super::permu::evaluate_year;
use super::projects::{BuildingYear, ProjectYear, year_counts};
use super::require_view;
use crate::{Actor, App, AppError, Result};

#[derive(Debug, Clone, Serialize)]
pub struct AnnualReport {
    pub year: i32,
    /// The report covers January to the end of this month (12: the annual report).
    pub through_month: u8,
    /// e.g. "嘉兴经济技术开发区 2019年经济运行报告", "… 2019年1-7月经济运行报告".
    pub title: String,
    pub region_code: String,
    pub region_name: String,
    /// How many regions the rankings compare.
    pub regions_compared: usize,
    /// The summary sentences, e.g. "全年GDP可比增长7%；完成合同利用外资7.85亿美元、增长30.8%…".
    pub summary: String,
    /// The external evaluations in one sentence, if any were recorded for the year.
    pub evaluation_summary: Option<String>,
    pub indicators: Vec<HeadlineRow>,
    pub rankings: Vec<Ranking>,
    pub evaluations: Vec<EvaluationLine>,
    /// Investment and projects, buildings, in sentences ("世界500强项目累计达到37家；…").
    pub projects_summary: String,
    pub projects: ProjectYear,
    pub buildings: BuildingYear,
    /// The per-mu evaluation of the zone's above-scale industrial enterprises (default
    /// weights), without the list of enterprises.
    pub per_mu: PerMuSummary,
}

#[derive(Debug, Clone, Serialize)]
pub struct PerMuSummary {
    pub enterprises: usize,
    /// How many in A, B, C, D.
    pub classes: [usize; 4],
    /// All enterprises' tax over all their land, fen per mu.
    pub tax_per_mu: Option<i64>,
    /// "规上工业企业亩均效益评价：A类21家、B类44家、C类35家、D类20家，亩均税收42.6万元。"
    pub sentence: Option<String>,
}

/// One indicator of the zone for the year.
#[derive(Debug, Clone, Serialize)]
pub struct HeadlineRow {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub measure: Measure,
    pub currency: Option<Currency>,
    /// What `value` and `previous` count: `fen`, `cent`, `basis_point`, `fen_per_mu`,
    /// `cent_per_mu`.
    pub base_unit: &'static str,
    pub value: Option<i64>,
    /// In the report's unit, e.g. `497.6亿元`.
    pub value_text: Option<String>,
    /// The report's unit, e.g. `亿元`.
    pub unit: &'static str,
    pub previous: Option<i64>,
    pub growth_bp: Option<i64>,
    pub growth_text: Option<String>,
    pub growth_source: Option<GrowthSource>,
    pub growth_basis: GrowthBasis,
    pub growth_rank: Option<u32>,
    pub level_rank: Option<u32>,
    pub ranked_by_growth: u32,
    pub ranked_by_level: u32,
    pub historic_high: bool,
    pub high: High,
    /// Derived from other indicators (services share = services value added / GDP).
    pub derived: bool,
    /// The same stretch of every year on record, oldest first.
    pub history: Vec<YearValue>,
    /// For indicators reported monthly: January to each month, this year and last.
    pub months: Vec<MonthPoint>,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct YearValue {
    pub year: i32,
    pub value: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Ranking {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// By growth rank, then level rank; regions without either last.
    pub rows: Vec<RankingRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RankingRow {
    pub region_code: String,
    pub region_name: String,
    pub region_name_en: String,
    pub home: bool,
    pub value: Option<i64>,
    pub value_text: Option<String>,
    pub growth_bp: Option<i64>,
    pub growth_text: Option<String>,
    pub growth_rank: Option<u32>,
    pub level_rank: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvaluationLine {
    pub name: String,
    pub category: String,
    pub scope: String,
    pub rank: i64,
    pub previous_rank: Option<i64>,
    /// Places gained over the year before (negative: lost).
    pub gained: Option<i64>,
    pub publisher: String,
}

fn base_unit(measure: Measure, currency: Option<Currency>) -> &'static str {
    match (measure, currency) {
        (Measure::Share, _) => "basis_point",
        (Measure::Money, Some(Currency::Usd)) => "cent",
        (Measure::Money, _) => "fen",
        (Measure::MoneyPerMu, Some(Currency::Usd)) => "cent_per_mu",
        (Measure::MoneyPerMu, _) => "fen_per_mu",
    }
}

/// The annual report of `year` for the zone. `actor` is `None` for the local operator.
pub async fn annual(app: &App, actor: Option<&Actor>, year: i32) -> Result<AnnualReport> {
    report(app, actor, year, 12).await
}

/// The report of January to the end of month `through` of `year` (12: the annual report).
/// Buildings and the per-mu evaluation are yearly: only the annual report states them.
pub async fn report(
    app: &App,
    actor: Option<&Actor>,
    year: i32,
    through: u8,
) -> Result<AnnualReport> {
    if let Some(a) = actor {
        require_view(a)?;
    }
    if !(period::MIN_YEAR..=period::MAX_YEAR).contains(&year) {
        return Err(AppError::invalid(
            "year",
            "bad_year",
            format!(
                "year {year} is outside {}-{}",
                period::MIN_YEAR,
                period::MAX_YEAR
            ),
        ));
    }
    let (catalog, figures) = period_figures(app, year, through).await?;
    let period_zh = if through == 12 {
        "全年".to_owned()
    } else if through == 1 {
        "1月".to_owned()
    } else {
        format!("1-{through}月")
    };
    let home = catalog
        .home()
        .ok_or(AppError::NotFound("home region"))?
        .clone();
    let name_of = |code: &str| {
        catalog.region(code).map_or_else(
            || (code.to_owned(), code.to_owned()),
            |r| (r.name_zh.clone(), r.name_en.clone()),
        )
    };
    let mut indicators = vec![];
    let mut rankings = vec![];
    let mut facts_by_code = std::collections::HashMap::new();
    let regions = catalog.regions.len();
    for f in &figures.indicators {
        let ind = &f.indicator;
        let Some(h) = f.regions.iter().find(|r| r.home) else {
            continue;
        };
        let unit = DisplayUnit::default_for(ind);
        let value_text = h.value.map(|v| format_value(ind, v));
        let growth_text = h.growth.map(|g| format_percent(g.bp));
        facts_by_code.insert(
            ind.code.clone(),
            Facts {
                period: Some(period_zh.clone()),
                value: value_text.clone(),
                growth: growth_text.clone(),
                // "列全市第一" only when every district of the city was ranked.
                growth_rank: h
                    .growth_rank
                    .filter(|_| h.ranked_by_growth as usize == regions),
                level_rank: h
                    .level_rank
                    .filter(|_| h.ranked_by_level as usize == regions),
                high: Some(h.high),
            },
        );
        indicators.push(HeadlineRow {
            code: ind.code.clone(),
            name_zh: ind.name_zh.clone(),
            name_en: ind.name_en.clone(),
            measure: ind.measure,
            currency: ind.currency,
            base_unit: base_unit(ind.measure, ind.currency),
            value: h.value,
            value_text,
            unit: unit.text,
            previous: h.previous,
            growth_bp: h.growth.map(|g| g.bp),
            growth_text,
            growth_source: h.growth.map(|g| g.source),
            growth_basis: ind.growth_basis,
            growth_rank: h.growth_rank,
            level_rank: h.level_rank,
            ranked_by_growth: h.ranked_by_growth,
            ranked_by_level: h.ranked_by_level,
            historic_high: h.high.is_new(),
            high: h.high,
            derived: h.derived,
            history: h
                .history
                .iter()
                .map(|&(year, value)| YearValue { year, value })
                .collect(),
            months: h.months.clone(),
        });
        let mut rows: Vec<&RegionFigure> = f.regions.iter().collect();
        rows.sort_by_key(|r| {
            (
                r.growth_rank.unwrap_or(u32::MAX),
                r.level_rank.unwrap_or(u32::MAX),
            )
        });
        rankings.push(Ranking {
            code: ind.code.clone(),
            name_zh: ind.name_zh.clone(),
            name_en: ind.name_en.clone(),
            rows: rows
                .into_iter()
                .map(|r| {
                    let (region_name, region_name_en) = name_of(&r.region_code);
                    RankingRow {
                        region_code: r.region_code.clone(),
                        region_name,
                        region_name_en,
                        home: r.home,
                        value: r.value,
                        value_text: r.value.map(|v| format_value(ind, v)),
                        growth_bp: r.growth.map(|g| g.bp),
                        growth_text: r.growth.map(|g| format_percent(g.bp)),
                        growth_rank: r.growth_rank,
                        level_rank: r.level_rank,
                    }
                })
                .collect(),
        });
    }
    let leaders: Vec<&str> = LEADER_CANDIDATES
        .iter()
        .filter_map(|code| {
            let row = indicators.iter().find(|i| i.code == *code)?;
            (row.level_rank == Some(1) && row.ranked_by_level as usize == regions)
                .then_some(row.name_zh.as_str())
        })
        .collect();
    facts_by_code.insert(
        LEADERS.to_owned(),
        Facts {
            value: (!leaders.is_empty()).then(|| leaders.join("、")),
            ..Facts::default()
        },
    );
    let settings = super::settings::settings(app).await?;
    let max_rank = settings.summary.max_rank;
    let sentences: Vec<(u32, String)> = settings
        .summary
        .templates
        .into_iter()
        .filter_map(|t| {
            let facts = facts_by_code.get(&t.indicator)?;
            render_template(&t.text, facts, max_rank).map(|s| (t.group, s))
        })
        .collect();
    let mut tx = app.store.read().await?;
    let evaluations: Vec<EvaluationLine> = tx
        .econ_evaluations(Some(&home.code), Some(i64::from(year)))
        .await?
        .into_iter()
        .map(|e| EvaluationLine {
            gained: e.previous_rank.map(|p| p - e.rank),
            name: e.name,
            category: e.category,
            scope: e.scope,
            rank: e.rank,
            previous_rank: e.previous_rank,
            publisher: e.publisher,
        })
        .collect();
    tx.commit().await?;
    let (projects, mut buildings) = year_counts(app, year, through).await?;
    let mut evaluation = evaluate_year(app, year, &settings.per_mu).await?;
    if through < 12 {
        buildings = BuildingYear {
            year,
            buildings: 0,
            over_ten_million: 0,
            over_hundred_million: 0,
            total_tax: 0,
        };
        evaluation.enterprises.clear();
        evaluation.classes = [0; 4];
        evaluation.tax_per_mu = None;
    }
    let per_mu = PerMuSummary {
        enterprises: evaluation.enterprises.len(),
        classes: evaluation.classes,
        tax_per_mu: evaluation.tax_per_mu,
        sentence: evaluation.tax_per_mu.map(|t| {
            let [a, b, c, d] = evaluation.classes;
            format!(
                "规上工业企业亩均效益评价：A类{a}家、B类{b}家、C类{c}家、D类{d}家，亩均税收{}万元。",
                domain::economy::quantity::format_scaled(t, 1_000_000, 1)
            )
        }),
    };
    Ok(AnnualReport {
        projects_summary: projects_sentence(&period_zh, &projects, &buildings),
        projects,
        buildings,
        per_mu,
        year,
        through_month: through,
        title: if through == 12 {
            format!("{} {year}年经济运行报告", home.name_zh)
        } else {
            format!("{} {year}年{period_zh}经济运行报告", home.name_zh)
        },
        region_code: home.code.clone(),
        region_name: home.name_zh.clone(),
        regions_compared: catalog.regions.len(),
        summary: join_sentences(&sentences),
        evaluation_summary: evaluation_sentence(year, &evaluations),
        indicators,
        rankings,
        evaluations,
    })
}

/// "在2019年国家级经开区综合发展水平考核评价中，综合排名位列全国第12位，较上年前进1位；…。"
fn evaluation_sentence(year: i32, evaluations: &[EvaluationLine]) -> Option<String> {
    let mut out = String::new();
    let mut current: Option<&str> = None;
    for e in evaluations {
        if current != Some(e.name.as_str()) {
            if current.is_some() {
                out.push('。');
            }
            let _ = write!(out, "在{year}年{}中，", e.name);
            current = Some(&e.name);
        } else {
            out.push('；');
        }
        let _ = write!(out, "{}位列{}第{}位", e.category, e.scope, e.rank);
        match e.gained {
            Some(g) if g > 0 => {
                let _ = write!(out, "，较上年前进{g}位");
            }
            Some(g) if g < 0 => {
                let _ = write!(out, "，较上年后退{}位", -g);
            }
            Some(_) => out.push_str("，与上年持平"),
            None => {}
        }
    }
    (!out.is_empty()).then(|| out + "。")
}

/// "世界500强项目累计达到37家；第五届招商大会签约项目37个，其中2个百亿项目；全年开工26个项目、
/// 竣工34个项目；卓高泰、信创电梯等一批项目当年洽谈、当年签约、当年开工；松下厨电科技项目当天签约、
/// 当天拿到营业执照；涌现税收超千万楼宇36幢，其中亿元楼宇10幢。" — each part only when there is
/// something to say.
fn projects_sentence(period_zh: &str, p: &ProjectYear, b: &BuildingYear) -> String {
    let mut parts: Vec<String> = vec![];
    if p.fortune500_to_date > 0 {
        parts.push(format!("世界500强项目累计达到{}家", p.fortune500_to_date));
    }
    for c in &p.conferences {
        let mut s = format!("{}签约项目{}个", c.name, c.signed);
        if c.over_ten_billion > 0 {
            let _ = write!(s, "，其中{}个百亿项目", c.over_ten_billion);
        }
        parts.push(s);
    }
    if p.started > 0 || p.completed > 0 {
        parts.push(format!(
            "{period_zh}开工{}个项目、竣工{}个项目",
            p.started, p.completed
        ));
    }
    if !p.same_year.is_empty() {
        let names: Vec<&str> = p
            .same_year
            .iter()
            .take(2)
            .map(|n| n.strip_suffix("项目").unwrap_or(n))
            .collect();
        let more = if p.same_year.len() > 2 {
            "等一批"
        } else {
            ""
        };
        parts.push(format!(
            "{}{more}项目当年洽谈、当年签约、当年开工",
            names.join("、")
        ));
    }
    if let Some((name, 0)) = p.signing_to_licence.first() {
        parts.push(format!("{name}当天签约、当天拿到营业执照"));
    }
    if b.buildings > 0 {
        parts.push(format!(
            "涌现税收超千万楼宇{}幢，其中亿元楼宇{}幢",
            b.over_ten_million, b.over_hundred_million
        ));
    }
    if parts.is_empty() {
        String::new()
    } else {
        parts.join("；") + "。"
    }
}

fn opt(s: &Option<String>) -> String {
    s.as_deref().map(esc).unwrap_or_else(|| "—".into())
}

fn rank_text(rank: Option<u32>, of: u32) -> String {
    rank.map(|r| format!("{r}/{of}"))
        .unwrap_or_else(|| "—".into())
}

/// A standalone HTML page.
pub fn render_html(r: &AnnualReport) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        r#"<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title><style>body{{font-family:"Noto Sans CJK SC",sans-serif;margin:2em;max-width:60em}}table{{border-collapse:collapse;margin:1em 0}}td,th{{border:1px solid #ccc;padding:.3em .6em}}td.n{{text-align:right}}tr.home{{font-weight:bold;background:#fdf2f0}}.summary{{line-height:1.8}}</style></head><body><h1>{title}</h1>"#,
        title = esc(&r.title),
    );
    let _ = write!(h, r#"<p class="summary">{}</p>"#, esc(&r.summary));
    if !r.projects_summary.is_empty() {
        let _ = write!(h, r#"<p class="summary">{}</p>"#, esc(&r.projects_summary));
    }
    if let Some(e) = &r.per_mu.sentence {
        let _ = write!(h, r#"<p class="summary">{}</p>"#, esc(e));
    }
    if let Some(e) = &r.evaluation_summary {
        let _ = write!(h, r#"<p class="summary">{}</p>"#, esc(e));
    }
    h.push_str("<h2>主要指标</h2><table><thead><tr><th>指标</th><th>数值</th><th>增长</th><th>增幅排名</th><th>总量排名</th><th>历史新高</th></tr></thead><tbody>");
    for i in &r.indicators {
        let growth = match (&i.growth_text, i.growth_basis) {
            (Some(g), GrowthBasis::Comparable) => format!("可比{}", esc(g)),
            (g, _) => opt(g),
        };
        let _ = write!(
            h,
            r#"<tr><td>{}</td><td class="n">{}</td><td class="n">{growth}</td><td class="n">{}</td><td class="n">{}</td><td>{}</td></tr>"#,
            esc(&i.name_zh),
            opt(&i.value_text),
            rank_text(i.growth_rank, i.ranked_by_growth),
            rank_text(i.level_rank, i.ranked_by_level),
            if i.historic_high { "是" } else { "" }
        );
    }
    h.push_str("</tbody></table>");
    let trends: Vec<&HeadlineRow> = r
        .indicators
        .iter()
        .filter(|i| i.history.len() >= 3 || i.months.iter().any(|m| m.value.is_some()))
        .collect();
    if !trends.is_empty() {
        h.push_str("<h2>走势</h2>");
        for i in trends {
            let _ = write!(h, "<h3>{}</h3>", esc(&i.name_zh));
            if i.history.len() >= 3 {
                h.push_str(&history_chart(i, ChartLang::Zh));
            }
            if i.months.iter().any(|m| m.value.is_some()) {
                h.push_str(&months_chart(i, r.year, ChartLang::Zh));
            }
        }
    }
    h.push_str("<h2>全市排名</h2>");
    for k in &r.rankings {
        if k.rows
            .iter()
            .all(|x| x.value.is_none() && x.growth_bp.is_none())
        {
            continue;
        }
        let _ = write!(
            h,
            r#"<h3 id="{}">{}</h3><table><thead><tr><th>地区</th><th>数值</th><th>增长</th><th>增幅排名</th><th>总量排名</th></tr></thead><tbody>"#,
            esc(&k.code),
            esc(&k.name_zh)
        );
        for x in &k.rows {
            let _ = write!(
                h,
                r#"<tr{}><td>{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td></tr>"#,
                if x.home { r#" class="home""# } else { "" },
                esc(&x.region_name),
                opt(&x.value_text),
                opt(&x.growth_text),
                x.growth_rank
                    .map(|v| v.to_string())
                    .unwrap_or_else(|| "—".into()),
                x.level_rank
                    .map(|v| v.to_string())
                    .unwrap_or_else(|| "—".into()),
            );
        }
        h.push_str("</tbody></table>");
        h.push_str(&growth_chart(k, ChartLang::Zh));
    }
    if !r.evaluations.is_empty() {
        h.push_str("<h2>外部评价</h2><table><thead><tr><th>评价</th><th>项目</th><th>排名</th><th>上年</th><th>发布</th></tr></thead><tbody>");
        for e in &r.evaluations {
            let _ = write!(
                h,
                r#"<tr><td>{}</td><td>{}</td><td class="n">{}第{}位</td><td class="n">{}</td><td>{}</td></tr>"#,
                esc(&e.name),
                esc(&e.category),
                esc(&e.scope),
                e.rank,
                e.previous_rank
                    .map(|p| p.to_string())
                    .unwrap_or_else(|| "—".into()),
                esc(&e.publisher)
            );
        }
        h.push_str("</tbody></table>");
    }
    h.push_str("</body></html>\n");
    h
}

/// Pretty JSON.
pub fn render_json(r: &AnnualReport) -> Vec<u8> {
    let mut v = serde_json::to_vec_pretty(r).expect("the report serializes");
    v.push(b'\n');
    v
}

fn xlsx_error(e: XlsxError) -> AppError {
    AppError::Internal(format!("writing xlsx: {e}"))
}

/// A workbook: 概要 (summary and headline table) and 排名 (rankings).
pub fn render_xlsx(r: &AnnualReport) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let s = book.add_worksheet();
    s.set_name("概要").map_err(xlsx_error)?;
    s.write_string_with_format(0, 0, &r.title, &bold)
        .map_err(xlsx_error)?;
    s.write_string(1, 0, &r.summary).map_err(xlsx_error)?;
    let mut row = 2;
    if !r.projects_summary.is_empty() {
        s.write_string(row, 0, &r.projects_summary)
            .map_err(xlsx_error)?;
        row += 1;
    }
    if let Some(e) = &r.evaluation_summary {
        s.write_string(row, 0, e).map_err(xlsx_error)?;
        row += 1;
    }
    row += 1;
    let header = [
        "指标",
        "代码",
        "数值",
        "单位",
        "增长%",
        "增长来源",
        "增幅排名",
        "总量排名",
        "历史新高",
    ];
    for (c, t) in header.iter().enumerate() {
        s.write_string_with_format(row, c as u16, *t, &bold)
            .map_err(xlsx_error)?;
    }
    for (c, w) in [24.0, 22.0, 12.0, 8.0, 8.0, 10.0, 9.0, 9.0, 9.0]
        .into_iter()
        .enumerate()
    {
        s.set_column_width(c as u16, w).map_err(xlsx_error)?;
    }
    for i in &r.indicators {
        row += 1;
        s.write_string(row, 0, &i.name_zh).map_err(xlsx_error)?;
        s.write_string(row, 1, &i.code).map_err(xlsx_error)?;
        if let Some(v) = i.value_text.as_deref() {
            let number = v.trim_end_matches(i.unit);
            match number.parse::<f64>() {
                Ok(f) => s.write_number(row, 2, f),
                Err(_) => s.write_string(row, 2, number),
            }
            .map_err(xlsx_error)?;
            s.write_string(row, 3, i.unit).map_err(xlsx_error)?;
        }
        if let Some(g) = i.growth_bp {
            s.write_number(row, 4, g as f64 / 100.0)
                .map_err(xlsx_error)?;
            let src = match (i.growth_source, i.growth_basis) {
                (Some(GrowthSource::Reported), GrowthBasis::Comparable) => "可比价（报告）",
                (Some(GrowthSource::Reported), _) => "报告",
                _ => "计算",
            };
            s.write_string(row, 5, src).map_err(xlsx_error)?;
        }
        if let Some(k) = i.growth_rank {
            s.write_number(row, 6, k).map_err(xlsx_error)?;
        }
        if let Some(k) = i.level_rank {
            s.write_number(row, 7, k).map_err(xlsx_error)?;
        }
        if i.historic_high {
            s.write_string(row, 8, "是").map_err(xlsx_error)?;
        }
    }
    let s = book.add_worksheet();
    s.set_name("排名").map_err(xlsx_error)?;
    let header = ["指标", "地区", "数值", "增长%", "增幅排名", "总量排名"];
    for (c, t) in header.iter().enumerate() {
        s.write_string_with_format(0, c as u16, *t, &bold)
            .map_err(xlsx_error)?;
    }
    s.set_column_width(0, 24.0).map_err(xlsx_error)?;
    s.set_column_width(1, 18.0).map_err(xlsx_error)?;
    s.set_column_width(2, 14.0).map_err(xlsx_error)?;
    let mut row = 0;
    for k in &r.rankings {
        for x in &k.rows {
            if x.value.is_none() && x.growth_bp.is_none() {
                continue;
            }
            row += 1;
            s.write_string(row, 0, &k.name_zh).map_err(xlsx_error)?;
            s.write_string(row, 1, &x.region_name).map_err(xlsx_error)?;
            if let Some(v) = &x.value_text {
                s.write_string(row, 2, v).map_err(xlsx_error)?;
            }
            if let Some(g) = x.growth_bp {
                s.write_number(row, 3, g as f64 / 100.0)
                    .map_err(xlsx_error)?;
            }
            if let Some(v) = x.growth_rank {
                s.write_number(row, 4, v).map_err(xlsx_error)?;
            }
            if let Some(v) = x.level_rank {
                s.write_number(row, 5, v).map_err(xlsx_error)?;
            }
        }
    }
    book.save_to_buffer().map_err(xlsx_error)
}
