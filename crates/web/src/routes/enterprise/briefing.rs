//! The online policy briefing (网络说明会): every policy of the catalog in plain language —
//! what it gives, who qualifies (the rules as written), how to get it, questions and answers.

use askama::Template;
use axum::response::Response;
use domain::enterprise::policy::{Catalog, PayoutMode, Policy};

use super::yuan;
use crate::auth::Viewer;
use crate::chrome::Chrome;
use crate::error::render;

#[derive(Template)]
#[template(path = "policy_briefing.html")]
struct Page {
    c: Chrome,
    policies: Vec<Policy>,
}

impl Page {
    fn cap(&self, p: &Policy) -> String {
        yuan(&p.cap_fen)
    }
    fn automatic(&self, p: &Policy) -> bool {
        p.mode == PayoutMode::Automatic
    }
    fn kind_key(&self, p: &Policy) -> String {
        super::state_key(p.kind.as_str())
    }
}

pub async fn page(v: Viewer) -> Response {
    render(&Page {
        c: v.chrome(),
        policies: Catalog::default_catalog().policies,
    })
}
