//! The code as a credential: a short-lived signed ZK1 text and its QR, and verification of
//! any ZK1 or HC1 text against the platform's own trust list.

use chrono::{TimeDelta, Utc};
use credential::{Claims, Colour, Verdict};
use serde::Serialize;

use super::{CodeView, current};
use crate::{Actor, App, AppError, Result};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CredentialView {
    pub code: CodeView,
    /// `ZK1:…`, to be shown as a QR code.
    pub text: String,
    /// Asia/Shanghai time after which checkpoints refuse it.
    pub expires_at: String,
    pub expires_in_seconds: i64,
    /// The QR code as SVG.
    pub qr_svg: String,
}

/// Issuer claim of every ZK1 code this platform signs.
pub const ISSUER: &str = "CN-330402-zhikong";

pub async fn issue(app: &App, actor: &Actor, person_id: Option<i64>) -> Result<CredentialView> {
    let keys = app.keyring()?;
    let code = current(app, actor, person_id).await?;
    let (reference, name) = {
        let mut tx = app.store.read().await?;
        let row = tx
            .health_code(code.person_id)
            .await?
            .ok_or(AppError::NotFound("health code"))?;
        (row.r#ref, tx.person(code.person_id).await?.name)
    };
    let name = domain::PersonName::parse(&name).map_err(|e| AppError::Internal(e.message))?;
    let colour =
        Colour::parse(code.colour.as_str()).ok_or_else(|| AppError::Internal("colour".into()))?;
    let since = code
        .since
        .parse()
        .map_err(|_| AppError::Internal("stored since".into()))?;
    let claims = Claims::new(ISSUER, reference, colour, since, &name);
    let now = Utc::now();
    let err = |e: credential::CredentialError| AppError::Internal(format!("credential: {e}"));
    let text = credential::issue(keys.signing_key(), &claims, now, keys.ttl).map_err(err)?;
    let qr_svg = credential::qr_svg(&text).map_err(err)?;
    let expires = now + keys.ttl;
    Ok(CredentialView {
        code,
        text,
        expires_at: domain::time::format_local(expires.timestamp_millis()),
        expires_in_seconds: keys.ttl.num_seconds(),
        qr_svg,
    })
}

/// Verify a scanned text (ZK1 of this platform, or an EU HC1 certificate when its signer is
/// trusted) at `at` (default now).
pub fn verify(app: &App, text: &str, at: Option<chrono::DateTime<Utc>>) -> Result<Verdict> {
    let keys = app.keyring()?;
    let at = at.unwrap_or_else(Utc::now);
    Ok(credential::verify(text, &keys.trust_store(at), at))
}

/// The default lifetime of a code.
pub fn default_ttl() -> TimeDelta {
    credential::DEFAULT_TTL
}
