//! The daily briefing (每日一会商一研判): the day's figures and the changes from yesterday,
//! the map, the index ranking and what needs a decision — as JSON, a self-contained HTML page
//! or an xlsx workbook with one sheet per section.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::str::FromStr;

use chrono::NaiveDate;
use domain::command::RiskLevel;
use rust_xlsxwriter::{Workbook, XlsxError};
use serde::Serialize;

use super::Tables;
use super::dashboard::{self, DayFigures, DayReads};
use super::index::{self, IndexRanking};
use super::risk::{self, MapText, RiskMap};
use crate::economy::charts::esc;
use crate::{Actor, App, AppError, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Xlsx,
    Json,
}

impl FromStr for Format {
    type Err = AppError;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "html" => Ok(Self::Html),
            "xlsx" => Ok(Self::Xlsx),
            "json" => Ok(Self::Json),
            other => Err(AppError::invalid(
                "format",
                "bad_format",
                format!("format must be html, xlsx or json, not {other:?}"),
            )),
        }
    }
}

impl Format {
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Html => "text/html; charset=utf-8",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Json => "application/json",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Html => "html",
            Self::Xlsx => "xlsx",
            Self::Json => "json",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct RankLine {
    pub rank: Option<usize>,
    pub code: String,
    pub name: String,
    pub index: Option<f64>,
    pub control: Option<f64>,
    pub flow: Option<f64>,
    /// Indicators without data on the day (left out of the weights).
    pub no_data: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OverdueRequest {
    pub id: i64,
    pub title: String,
    pub department: String,
    pub level: String,
    pub deadline: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Decisions {
    /// Follow-up checks overdue at the end of the day, and quarantines due to end by it
    /// (app::quarantine::figures); None when the account may not see quarantine.
    pub overdue_follow_ups: Option<i64>,
    pub quarantines_ending: Option<i64>,
    pub pending_appeals: i64,
    pub overdue_requests: Vec<OverdueRequest>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Briefing {
    pub date: String,
    pub days_without_new_confirmed: Option<i64>,
    pub screened_cumulative: i64,
    pub quarantine_cumulative: Option<i64>,
    pub quarantine_current: Option<i64>,
    /// Persons by code colour at the end of the day.
    pub codes: BTreeMap<String, i64>,
    /// Street and community code → colour.
    pub risk_levels: BTreeMap<String, String>,
    /// Street code → index (0–100, one decimal); null without data.
    pub index: BTreeMap<String, Option<f64>>,
    pub figures: DayFigures,
    /// Yesterday's figures; None when yesterday is before the records begin.
    pub yesterday: Option<DayFigures>,
    /// Today minus yesterday for the counts.
    pub changes: BTreeMap<String, i64>,
    /// Areas per level: {"street": {"red": n, …}, "community": {…}}.
    pub risk_counts: BTreeMap<String, BTreeMap<String, usize>>,
    pub ranking: Vec<RankLine>,
    pub decisions: Decisions,
    pub risk_table: String,
    pub index_table: String,
    #[serde(skip)]
    pub risk_map: RiskMap,
    #[serde(skip)]
    pub street_map_svg: String,
    #[serde(skip)]
    pub community_map_svg: String,
    /// Areas not drawn for want of a boundary.
    pub without_boundary: Vec<String>,
}

fn one_decimal(v: Option<f64>) -> Option<f64> {
    v.map(|x| (x * 10.0).round() / 10.0)
}

/// Assemble the briefing of `day` (already resolved).
pub async fn build(app: &App, actor: &Actor, tables: &Tables, day: NaiveDate) -> Result<Briefing> {
    let inputs = risk::inputs(app, actor).await?;
    let map = risk::assess_all(&inputs, &tables.risk, day);
    let first = super::first_day(app).await?;
    let yesterday_day = day - chrono::Days::new(1);
    // Today's reads serve the ranking and the figures; yesterday's are independent: run side
    // by side (SQLite reads in parallel).
    let today = async {
        let reads = DayReads::load(app, day).await?;
        tokio::try_join!(
            index::ranking_with(app, actor, &tables.index, &inputs, &reads),
            dashboard::figures_with(app, actor, &inputs, &reads),
        )
    };
    let ((ranking, figures), yesterday) = tokio::try_join!(today, async {
        if first.is_some_and(|f| yesterday_day >= f) {
            dashboard::figures(app, actor, &inputs, yesterday_day)
                .await
                .map(Some)
        } else {
            Ok(None)
        }
    })?;
    let ranking: IndexRanking = ranking;
    let (overdue_follow_ups, quarantines_ending) = if actor.role.has(domain::Right::ViewQuarantine)
    {
        (
            Some(
                crate::quarantine::overdue_follow_ups(app, actor, day)
                    .await?
                    .len() as i64,
            ),
            Some(crate::quarantine::ending_on(app, actor, day).await?.len() as i64),
        )
    } else {
        (None, None)
    };
    let mut changes = BTreeMap::new();
    if let Some(y) = &yesterday {
        changes.insert(
            "screened_cumulative".into(),
            figures.screened_cumulative - y.screened_cumulative,
        );
        changes.insert(
            "confirmed_cumulative".into(),
            figures.confirmed_cumulative - y.confirmed_cumulative,
        );
        changes.insert(
            "contacts_close".into(),
            figures.contacts_close - y.contacts_close,
        );
        changes.insert("scans_total".into(), figures.scans_total - y.scans_total);
        for (c, n) in &figures.codes {
            changes.insert(
                format!("codes_{c}"),
                n - y.codes.get(c).copied().unwrap_or(0),
            );
        }
    }
    let mut tx = app.store.read().await?;
    let pending_appeals = tx.pending_appeals_count().await?;
    let at = end_of_or_now(day);
    let overdue = tx.overdue_requests(at, 200).await?;
    tx.rollback().await?;
    let overdue_requests = overdue
        .into_iter()
        .map(|r| OverdueRequest {
            id: r.id,
            title: r.title,
            department: r.department,
            level: r.level,
            deadline: domain::time::to_local(r.deadline_at)
                .format("%Y-%m-%d %H:%M")
                .to_string(),
        })
        .collect();
    let text = MapText {
        title: "五色图",
        empty: "没有边界,无法绘图",
        en: false,
    };
    let streets = risk::draw(&map, &inputs.areas, "street", &text);
    let communities = risk::draw(&map, &inputs.areas, "community", &text);
    let mut without_boundary = streets.without_boundary.clone();
    without_boundary.extend(communities.without_boundary.iter().cloned());
    let risk_counts = ["street", "community"]
        .iter()
        .map(|k| {
            (
                (*k).to_owned(),
                map.counts(k)
                    .iter()
                    .map(|(l, n)| (l.as_str().to_owned(), *n))
                    .collect(),
            )
        })
        .collect();
    let rank_lines: Vec<RankLine> = ranking
        .streets
        .iter()
        .map(|s| RankLine {
            rank: s.rank,
            code: s.code.clone(),
            name: s.name.clone(),
            index: one_decimal(s.score.index),
            control: one_decimal(s.score.control.points),
            flow: one_decimal(s.score.flow.points),
            no_data: s
                .score
                .control
                .indicators
                .iter()
                .chain(&s.score.flow.indicators)
                .filter(|i| i.value.is_none())
                .map(|i| i.indicator.as_str().to_owned())
                .collect(),
        })
        .collect();
    Ok(Briefing {
        date: day.to_string(),
        days_without_new_confirmed: figures.days_without_new_confirmed,
        screened_cumulative: figures.screened_cumulative,
        quarantine_cumulative: figures.quarantine_cumulative,
        quarantine_current: figures.quarantine_current,
        codes: figures.codes.clone(),
        risk_levels: map
            .areas
            .iter()
            .map(|a| (a.code.clone(), a.assessment.level.as_str().to_owned()))
            .collect(),
        index: rank_lines
            .iter()
            .map(|l| (l.code.clone(), l.index))
            .collect(),
        figures,
        yesterday,
        changes,
        risk_counts,
        ranking: rank_lines,
        decisions: Decisions {
            overdue_follow_ups,
            quarantines_ending,
            pending_appeals,
            overdue_requests,
        },
        risk_table: tables.risk.version().to_owned(),
        index_table: tables.index.version().to_owned(),
        risk_map: map,
        street_map_svg: streets.svg,
        community_map_svg: communities.svg,
        without_boundary,
    })
}

/// Overdue as of the end of the day, or now for today.
fn end_of_or_now(day: NaiveDate) -> i64 {
    super::end_of(day).min(domain::time::now_ms())
}

/// The briefing as bytes in `format`.
pub fn render(b: &Briefing, format: Format) -> Result<Vec<u8>> {
    match format {
        Format::Json => serde_json::to_vec_pretty(b).map_err(|e| AppError::Internal(e.to_string())),
        Format::Html => Ok(html(b).into_bytes()),
        Format::Xlsx => xlsx(b).map_err(|e| AppError::Internal(format!("writing xlsx: {e}"))),
    }
}

fn opt(v: Option<i64>) -> String {
    v.map_or_else(|| "无数据".to_owned(), |n| n.to_string())
}

fn optf(v: Option<f64>) -> String {
    v.map_or_else(|| "无数据".to_owned(), |n| format!("{n:.1}"))
}

/// The headline rows: label, today, yesterday (as text).
fn headline(b: &Briefing) -> Vec<(&'static str, String, String)> {
    let f = &b.figures;
    let y = b.yesterday.as_ref();
    let code = |d: &DayFigures, c: &str| d.codes.get(c).copied().unwrap_or(0).to_string();
    let yy = |g: &dyn Fn(&DayFigures) -> String| y.map_or_else(String::new, g);
    vec![
        (
            "连续无新增确诊天数",
            opt(f.days_without_new_confirmed),
            yy(&|d| opt(d.days_without_new_confirmed)),
        ),
        (
            "新增确诊",
            f.new_confirmed.to_string(),
            yy(&|d| d.new_confirmed.to_string()),
        ),
        (
            "累计确诊",
            f.confirmed_cumulative.to_string(),
            yy(&|d| d.confirmed_cumulative.to_string()),
        ),
        (
            "累计排查",
            f.screened_cumulative.to_string(),
            yy(&|d| d.screened_cumulative.to_string()),
        ),
        (
            "累计隔离",
            opt(f.quarantine_cumulative),
            yy(&|d| opt(d.quarantine_cumulative)),
        ),
        (
            "在隔离",
            opt(f.quarantine_current),
            yy(&|d| opt(d.quarantine_current)),
        ),
        ("绿码", code(f, "green"), yy(&|d| code(d, "green"))),
        ("黄码", code(f, "yellow"), yy(&|d| code(d, "yellow"))),
        ("红码", code(f, "red"), yy(&|d| code(d, "red"))),
        (
            "密切接触者",
            f.contacts_close.to_string(),
            yy(&|d| d.contacts_close.to_string()),
        ),
        (
            "次密切接触者",
            f.contacts_secondary.to_string(),
            yy(&|d| d.contacts_secondary.to_string()),
        ),
        (
            "当日卡口扫码",
            f.scans_total.to_string(),
            yy(&|d| d.scans_total.to_string()),
        ),
    ]
}

fn decisions_rows(b: &Briefing) -> Vec<(String, String, String)> {
    let d = &b.decisions;
    let mut rows = vec![
        (
            "逾期随访".to_owned(),
            opt(d.overdue_follow_ups),
            String::new(),
        ),
        (
            "即将解除隔离".to_owned(),
            opt(d.quarantines_ending),
            String::new(),
        ),
        (
            "待处理申诉".to_owned(),
            d.pending_appeals.to_string(),
            String::new(),
        ),
        (
            "逾期企业诉求".to_owned(),
            d.overdue_requests.len().to_string(),
            String::new(),
        ),
    ];
    for r in &d.overdue_requests {
        rows.push((
            format!("诉求 #{}", r.id),
            r.title.clone(),
            format!("{} · {} · {}", r.department, r.level, r.deadline),
        ));
    }
    rows
}

fn html(b: &Briefing) -> String {
    let mut s = String::with_capacity(64 * 1024);
    let _ = write!(
        s,
        r#"<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>每日会商研判 {d}</title><style>body{{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:24px;color:#1d2733}}table{{border-collapse:collapse;margin:8px 0 20px}}td,th{{border:1px solid #d5dbe1;padding:4px 8px;text-align:left}}.map svg{{max-width:720px}}.note{{color:#5f6b7a}}</style></head><body><h1>每日一会商一研判 · {d}</h1><p class="note">风险表 {rt} · 指数表 {it}</p>"#,
        d = esc(&b.date),
        rt = esc(&b.risk_table),
        it = esc(&b.index_table)
    );
    s.push_str(
        r#"<h2>今日概况</h2><table id="figures"><tr><th></th><th>今日</th><th>昨日</th></tr>"#,
    );
    for (label, today, yesterday) in headline(b) {
        let _ = write!(
            s,
            "<tr><td>{label}</td><td>{}</td><td>{}</td></tr>",
            esc(&today),
            esc(&yesterday)
        );
    }
    s.push_str("</table><h2>五色图</h2>");
    for (k, zh) in [("street", "街道"), ("community", "社区")] {
        let counts = b.risk_counts.get(k);
        let _ = write!(s, "<p>{zh}:");
        for l in RiskLevel::ALL {
            let n = counts.and_then(|c| c.get(l.as_str())).copied().unwrap_or(0);
            let _ = write!(s, " {} {n}", l.zh());
        }
        s.push_str("</p>");
    }
    let _ = write!(
        s,
        r#"<div class="map" id="street-map">{}</div><div class="map" id="community-map">{}</div>"#,
        b.street_map_svg, b.community_map_svg
    );
    if !b.without_boundary.is_empty() {
        let _ = write!(
            s,
            r#"<p class="note">无边界未绘制: {}</p>"#,
            esc(&b.without_boundary.join("、"))
        );
    }
    s.push_str(r#"<h2>精密智控指数排名</h2><table id="ranking"><tr><th>名次</th><th>街道</th><th>指数</th><th>管控指数</th><th>畅通指数</th><th>无数据指标</th></tr>"#);
    for l in &b.ranking {
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            l.rank.map_or_else(|| "—".into(), |r| r.to_string()),
            esc(&l.name),
            optf(l.index),
            optf(l.control),
            optf(l.flow),
            esc(&l.no_data.join(", "))
        );
    }
    s.push_str(r#"</table><h2>待决策事项</h2><table id="decisions">"#);
    for (a, b2, c) in decisions_rows(b) {
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&a),
            esc(&b2),
            esc(&c)
        );
    }
    s.push_str("</table></body></html>");
    s
}

fn xlsx(b: &Briefing) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("概况")?;
    for (c, h) in ["指标", "今日", "昨日"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h)?;
    }
    for (r, (label, today, yesterday)) in headline(b).into_iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, label)?;
        for (c, v) in [(1u16, today), (2, yesterday)] {
            match v.parse::<f64>() {
                Ok(n) => sheet.write_number(r, c, n)?,
                Err(_) => sheet.write_string(r, c, &v)?,
            };
        }
    }
    let sheet = book.add_worksheet();
    sheet.set_name("五色图")?;
    let heads = [
        "代码",
        "名称",
        "层级",
        "等级",
        "3天新增",
        "7天新增",
        "14天新增",
        "14天聚集",
        "末例日期",
    ];
    for (c, h) in heads.iter().enumerate() {
        sheet.write_string(0, c as u16, *h)?;
    }
    for (r, a) in b.risk_map.areas.iter().enumerate() {
        let r = r as u32 + 1;
        let f = &a.assessment.figures;
        sheet.write_string(r, 0, &a.code)?;
        sheet.write_string(r, 1, &a.name)?;
        sheet.write_string(
            r,
            2,
            if a.kind == "street" {
                "街道"
            } else {
                "社区"
            },
        )?;
        sheet.write_string(r, 3, a.assessment.level.as_str())?;
        sheet.write_number(r, 4, f.new_cases_3d)?;
        sheet.write_number(r, 5, f.new_cases_7d)?;
        sheet.write_number(r, 6, f.new_cases_14d)?;
        sheet.write_number(r, 7, f.cluster_cases_14d)?;
        sheet.write_string(
            r,
            8,
            f.last_case_on.map(|d| d.to_string()).unwrap_or_default(),
        )?;
    }
    let sheet = book.add_worksheet();
    sheet.set_name("指数")?;
    for (c, h) in [
        "名次",
        "代码",
        "街道",
        "指数",
        "管控指数",
        "畅通指数",
        "无数据指标",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, c as u16, *h)?;
    }
    for (r, l) in b.ranking.iter().enumerate() {
        let r = r as u32 + 1;
        if let Some(k) = l.rank {
            sheet.write_number(r, 0, k as f64)?;
        }
        sheet.write_string(r, 1, &l.code)?;
        sheet.write_string(r, 2, &l.name)?;
        for (c, v) in [(3u16, l.index), (4, l.control), (5, l.flow)] {
            match v {
                Some(v) => sheet.write_number(r, c, v)?,
                None => sheet.write_string(r, c, "无数据")?,
            };
        }
        sheet.write_string(r, 6, l.no_data.join(", "))?;
    }
    let sheet = book.add_worksheet();
    sheet.set_name("卡口")?;
    for (c, h) in ["卡口", "扫码", "通行", "复核", "劝返"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h)?;
    }
    for (r, c) in b.figures.scans_by_checkpoint.iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, &c.name)?;
        for (k, n) in [c.counts.total, c.counts.pass, c.counts.refer, c.counts.stop]
            .into_iter()
            .enumerate()
        {
            sheet.write_number(r, k as u16 + 1, n as f64)?;
        }
    }
    let sheet = book.add_worksheet();
    sheet.set_name("待决策")?;
    for (c, h) in ["事项", "内容", "说明"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h)?;
    }
    for (r, (a, v, c)) in decisions_rows(b).into_iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, &a)?;
        sheet.write_string(r, 1, &v)?;
        sheet.write_string(r, 2, &c)?;
    }
    book.save_to_buffer()
}
