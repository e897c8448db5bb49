//! The risk-area list (风险地区): read it, add an entry, change one's level or period, end one,
//! import a whole file. Every change is audited and recomputes, in the same transaction, the
//! codes of everyone who arrived from that division within the lookback window.

mod entry;
mod import;
mod preview;

use chrono::NaiveDate;
use domain::Right;
use serde::{Deserialize, Serialize};
use store::{RiskAreaQuery, RiskAreaRow, RiskAreaSort, RiskAreaStatus, Tx};

use super::bulk::{RecomputeReport, recompute_affected};
use crate::{Actor, App, AppError, Result};

pub use entry::{RiskAreaEdit, RiskAreaInput};
pub use import::{ImportFormat, RiskAreaImportReport, RowIssue, import};
pub use preview::{RiskAreaPreview, preview_add, preview_change, preview_end};

/// Entries per page of the list.
pub const PER_PAGE: i64 = 50;

/// One entry of the list as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RiskAreaView {
    pub id: i64,
    pub division_code: String,
    /// `high` or `medium`.
    pub level: String,
    pub valid_from: String,
    pub valid_to: Option<String>,
    /// On the platform's today: `current`, `ended` or `upcoming`.
    pub status: String,
}

impl RiskAreaView {
    fn new(r: RiskAreaRow, today: NaiveDate) -> Self {
        let today = today.to_string();
        let status = if r.valid_from > today {
            "upcoming"
        } else if r.valid_to.as_deref().is_some_and(|to| to < today.as_str()) {
            "ended"
        } else {
            "current"
        };
        RiskAreaView {
            id: r.id,
            division_code: r.division_code,
            level: r.level,
            valid_from: r.valid_from,
            valid_to: r.valid_to,
            status: status.to_owned(),
        }
    }
}

/// What the list may be narrowed and ordered by (all optional; as a query string).
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct RiskAreaListParams {
    /// Division codes starting with these digits.
    pub q: Option<String>,
    /// `high` or `medium`.
    pub level: Option<String>,
    /// `current`, `ended` or `upcoming`.
    pub status: Option<String>,
    /// `division` (default), `newest` or `level`.
    pub sort: Option<String>,
    /// From 1.
    pub page: Option<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RiskAreaPage {
    pub items: Vec<RiskAreaView>,
    /// Entries matching the filter.
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub per_page: i64,
}

/// A change to the list and the recompute it caused.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RiskAreaChange {
    pub area: RiskAreaView,
    pub recompute: RecomputeReport,
}

fn empty_to_none(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl RiskAreaListParams {
    fn query(&self, today: NaiveDate) -> Result<RiskAreaQuery> {
        let mut v = crate::error::Validation::default();
        let prefix = empty_to_none(&self.q).map(str::to_owned);
        if let Some(p) = &prefix
            && (p.len() > 12 || !p.bytes().all(|b| b.is_ascii_digit()))
        {
            v.push(crate::FieldError::new(
                "q",
                "format",
                "search by the digits a division code starts with (at most 12)",
            ));
        }
        let level = empty_to_none(&self.level).map(str::to_owned);
        if let Some(l) = &level {
            v.check("level", l.parse::<domain::rules::RiskAreaLevel>());
        }
        let status = match empty_to_none(&self.status) {
            None => None,
            Some("current") => Some(RiskAreaStatus::Current),
            Some("ended") => Some(RiskAreaStatus::Ended),
            Some("upcoming") => Some(RiskAreaStatus::Upcoming),
            Some(other) => {
                v.push(crate::FieldError::new(
                    "status",
                    "unknown",
                    format!("unknown status {other:?}; expected current, ended or upcoming"),
                ));
                None
            }
        };
        let sort = match empty_to_none(&self.sort) {
            None | Some("division") => RiskAreaSort::Division,
            Some("newest") => RiskAreaSort::Newest,
            Some("level") => RiskAreaSort::Level,
            Some(other) => {
                v.push(crate::FieldError::new(
                    "sort",
                    "unknown",
                    format!("unknown sort {other:?}; expected division, newest or level"),
                ));
                RiskAreaSort::Division
            }
        };
        let page = self.page.unwrap_or(1);
        if !(1..=100_000).contains(&page) {
            v.push(crate::FieldError::new(
                "page",
                "range",
                "page must be a number from 1",
            ));
        }
        v.finish()?;
        Ok(RiskAreaQuery {
            division_prefix: prefix,
            level,
            status,
            on: today.to_string(),
            sort,
            offset: (page.clamp(1, 100_000) - 1) * PER_PAGE,
            limit: PER_PAGE,
        })
    }
}

/// One page of the list. The list is public knowledge, so any account may read it.
pub async fn list(app: &App, _actor: &Actor, p: &RiskAreaListParams) -> Result<RiskAreaPage> {
    let today = app.today();
    let query = p.query(today)?;
    let mut tx = app.store.read().await?;
    let (rows, total) = tx.risk_areas_page(&query).await?;
    tx.rollback().await?;
    Ok(RiskAreaPage {
        items: rows
            .into_iter()
            .map(|r| RiskAreaView::new(r, today))
            .collect(),
        total,
        page: query.offset / PER_PAGE + 1,
        pages: ((total + PER_PAGE - 1) / PER_PAGE).max(1),
        per_page: PER_PAGE,
    })
}

pub async fn get(app: &App, _actor: &Actor, id: i64) -> Result<RiskAreaView> {
    let mut tx = app.store.read().await?;
    let row = tx.risk_area(id).await?;
    tx.rollback().await?;
    row.map(|r| RiskAreaView::new(r, app.today()))
        .ok_or(AppError::NotFound("risk area"))
}

/// Refuse a second entry for the same division starting the same day (the list's key).
async fn refuse_duplicate(
    tx: &mut Tx,
    division_code: &str,
    valid_from: &str,
    except: Option<i64>,
) -> Result<()> {
    let taken = tx.risk_areas().await?.into_iter().any(|r| {
        r.division_code == division_code && r.valid_from == valid_from && Some(r.id) != except
    });
    if taken {
        return Err(AppError::Conflict {
            field: "valid_from".into(),
            message: format!("{division_code} already has an entry from {valid_from}"),
        });
    }
    Ok(())
}

/// Audit the change, recompute the affected codes and commit.
async fn finish(
    app: &App,
    mut tx: Tx,
    actor: &Actor,
    action: &str,
    row: RiskAreaRow,
) -> Result<RiskAreaChange> {
    let recompute = recompute_affected(
        &mut tx,
        app.today(),
        &actor.username,
        std::slice::from_ref(&row.division_code),
    )
    .await?;
    let mut entry = actor.audit(action, "risk_area", row.id);
    entry.detail = serde_json::json!({
        "division_code": row.division_code,
        "level": row.level,
        "valid_from": row.valid_from,
        "valid_to": row.valid_to,
        "recompute": recompute,
    })
    .to_string();
    tx.insert_audit(&entry, domain::time::now_ms()).await?;
    tx.commit().await?;
    Ok(RiskAreaChange {
        area: RiskAreaView::new(row, app.today()),
        recompute,
    })
}

/// Add an entry to the list.
pub async fn add(app: &App, actor: &Actor, input: &RiskAreaInput) -> Result<RiskAreaChange> {
    actor.require(Right::ManageRiskAreas)?;
    let e = input.validate()?;
    let mut tx = app.store.write().await?;
    refuse_duplicate(&mut tx, &e.division_code, &e.valid_from, None).await?;
    let id = tx
        .insert_risk_area(
            &e.division_code,
            &e.level,
            &e.valid_from,
            e.valid_to.as_deref(),
            domain::time::now_ms(),
        )
        .await?;
    let row = RiskAreaRow {
        id,
        division_code: e.division_code,
        level: e.level,
        valid_from: e.valid_from,
        valid_to: e.valid_to,
    };
    finish(app, tx, actor, "risk_area.add", row).await
}

/// Change an entry's level or period.
pub async fn change(
    app: &App,
    actor: &Actor,
    id: i64,
    edit: &RiskAreaEdit,
) -> Result<RiskAreaChange> {
    actor.require(Right::ManageRiskAreas)?;
    let mut tx = app.store.write().await?;
    let before = tx
        .risk_area(id)
        .await?
        .ok_or(AppError::NotFound("risk area"))?;
    let e = edit.validate(&before)?;
    refuse_duplicate(&mut tx, &before.division_code, &e.valid_from, Some(id)).await?;
    tx.update_risk_area(id, &e.level, &e.valid_from, e.valid_to.as_deref())
        .await?;
    let row = RiskAreaRow {
        id,
        division_code: before.division_code,
        level: e.level,
        valid_from: e.valid_from,
        valid_to: e.valid_to,
    };
    finish(app, tx, actor, "risk_area.change", row).await
}

/// The change that ends `before` on `last_day` (default: the day before today).
fn end_edit(app: &App, before: &RiskAreaRow, last_day: Option<&str>) -> Result<RiskAreaEdit> {
    let last = match last_day.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => entry::parse_day("valid_to", d)?,
        None => app.today().pred_opt().unwrap_or(NaiveDate::MIN),
    };
    Ok(RiskAreaEdit {
        level: before.level.clone(),
        valid_from: before.valid_from.clone(),
        valid_to: Some(last.to_string()),
    })
}

/// End an entry: listed through `last_day` (default: the day before today), not after.
pub async fn end(
    app: &App,
    actor: &Actor,
    id: i64,
    last_day: Option<&str>,
) -> Result<RiskAreaChange> {
    actor.require(Right::ManageRiskAreas)?;
    let mut tx = app.store.write().await?;
    let before = tx
        .risk_area(id)
        .await?
        .ok_or(AppError::NotFound("risk area"))?;
    let e = end_edit(app, &before, last_day)?.validate(&before)?;
    tx.update_risk_area(id, &e.level, &e.valid_from, e.valid_to.as_deref())
        .await?;
    let row = RiskAreaRow {
        id,
        division_code: before.division_code,
        level: e.level,
        valid_from: e.valid_from,
        valid_to: e.valid_to,
    };
    finish(app, tx, actor, "risk_area.end", row).await
}
