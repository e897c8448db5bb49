//! The risk-area list: view, import and edit; a change recomputes affected codes in bulk.

use axum::Router;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
}
