//! The admin's area pages: the area tree from a file (upload → preview → confirm), boundaries
//! from a GeoJSON file, and the tree's list with rename, re-parent, retire and delete. Right:
//! `ManageAccounts` (checked by the app layer). The checkpoint management pages reuse the
//! upload's helpers.

pub(super) mod manage;
pub(super) mod tree;

use app::economy::import::RowIssue;
use axum::Router;
use axum::routing::{get, post};
use base64::Engine;

use crate::AppState;
use crate::i18n::{Lang, areas_admin::known};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/areas/tree/preview", post(tree::preview))
        .route("/areas/tree/import", post(tree::confirm))
        .route("/areas/boundaries", post(tree::boundaries))
        .route("/areas/manage", get(manage::list))
        .route("/areas/{id}/edit", get(manage::edit))
        .route("/areas/{id}/rename", post(manage::rename))
        .route("/areas/{id}/move", post(manage::move_to))
        .route("/areas/{id}/retire", post(manage::retire))
        .route("/areas/{id}/reinstate", post(manage::reinstate))
        .route("/areas/{id}/delete", post(manage::delete))
}

/// One line of an import's row report as a page shows it: the problem in the page's language
/// (by the issue's code) and the app's own words as the detail.
pub struct IssueView {
    /// The row number, or empty for the file as a whole.
    pub row: String,
    pub column: &'static str,
    pub problem: &'static str,
    pub detail: String,
}

pub fn issue_views(lang: Lang, issues: &[RowIssue]) -> Vec<IssueView> {
    issues
        .iter()
        .map(|i| IssueView {
            row: if i.row == 0 {
                lang.t("imp.file").to_owned()
            } else {
                i.row.to_string()
            },
            column: i.column.as_deref().map_or("", |c| {
                lang.t(known(&format!("imp.col.{c}"), "imp.col.other"))
            }),
            problem: lang.t(known(&format!("imp.issue.{}", i.code), "imp.issue.other")),
            detail: i.message.clone(),
        })
        .collect()
}

/// The uploaded file carried from the preview to the confirmation, so that what is written is
/// exactly the file that was checked.
pub fn carry(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The carried file, or a refusal naming the field.
pub fn carried(data: &str) -> Result<Vec<u8>, app::AppError> {
    base64::engine::general_purpose::STANDARD
        .decode(data.trim())
        .map_err(|_| {
            app::AppError::invalid(
                "data",
                "format",
                "the confirmed file is damaged; upload it again",
            )
        })
}

/// The i18n key of an area kind's name.
pub fn kind_key(k: domain::AreaKind) -> &'static str {
    match k {
        domain::AreaKind::Zone => "area.kind.zone",
        domain::AreaKind::Street => "area.kind.street",
        domain::AreaKind::Community => "area.kind.community",
        domain::AreaKind::MicroGrid => "area.kind.micro_grid",
    }
}

/// A path id as typed, or the refusal (400 through the error page).
pub fn id_of(raw: &str) -> Result<i64, app::AppError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| app::AppError::invalid("id", "format", "the id must be a number"))
}
