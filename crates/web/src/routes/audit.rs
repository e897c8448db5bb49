//! The audit log page (admins): newest first, keyset pages.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use crate::AppState;
use crate::auth::Viewer;
use crate::chrome::Chrome;
use crate::error::render;

const PAGE: u32 = 100;

struct AuditLine {
    at: String,
    who: String,
    action: String,
    record: String,
    client: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    c: Chrome,
    rows: Vec<AuditLine>,
    older_href: Option<String>,
}

#[derive(Deserialize)]
pub struct AuditParams {
    before: Option<i64>,
}

pub async fn page(State(s): State<AppState>, v: Viewer, Query(q): Query<AuditParams>) -> Response {
    let query = app::audit::AuditQuery {
        before: q.before,
        limit: PAGE,
        ..Default::default()
    };
    match app::audit::list(&s.app, &v.actor, &query).await {
        Ok(rows) => {
            let older_href = (rows.len() == PAGE as usize)
                .then(|| rows.last().map(|r| format!("/audit?before={}", r.id)))
                .flatten();
            let rows = rows
                .into_iter()
                .map(|r| AuditLine {
                    at: domain::time::format_local(r.at),
                    who: format!("{} ({})", r.username, r.role),
                    action: r.action,
                    record: format!("{} {}", r.record_type, r.record_id),
                    client: r.client_addr,
                })
                .collect();
            render(&AuditPage {
                c: v.chrome(),
                rows,
                older_href,
            })
        }
        Err(e) => v.error_page(e),
    }
}
