//! The code as a credential: a short-lived signed ZK1 text and its QR, and verification of
//! any ZK1 or HC1 text against the platform's own trust list.

use chrono::{DateTime, TimeDelta, Utc};
use credential::{Claims, Colour, SignedDocument, Verdict};
use domain::Right;
use serde::Serialize;

use super::{CodeView, current};
use crate::keys::STATUS_LIST_TYPE;
use crate::{Actor, App, AppError, Result};

/// How far back a status list reaches: codes live minutes, so a day is ample; a longer reach
/// would only make the list large.
const STATUS_LIST_MAX_AGE: TimeDelta = TimeDelta::days(7);
/// Bound on entries in one status list.
const STATUS_LIST_MAX_ENTRIES: u32 = 200_000;

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
    let colour: Colour = code.colour;
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

/// A scanned code as a checkpoint sees it: the verdict of the one pipeline, and for a valid
/// ZK1 code of this platform the colour its record holds now.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ScanCheck {
    #[schema(value_type = Object)]
    pub verdict: Verdict,
    /// The colour to act on: the record's colour now when known, else the code's own.
    pub colour: Option<String>,
    /// The record's colour differs from the one in the code (it changed after issue).
    pub colour_changed: bool,
}

/// Verify a scanned text for a checkpoint; the colour is taken from the record when the code
/// is ours and valid, because a colour can change within a code's few minutes of life.
pub async fn check_scanned(app: &App, actor: &Actor, text: &str) -> Result<ScanCheck> {
    actor.require(Right::VerifyCodes)?;
    let verdict = verify(app, text, None)?;
    let claimed = verdict
        .claims
        .get("col")
        .and_then(|c| c.as_str())
        .map(str::to_owned);
    let reference = verdict.claims.get("ref").and_then(|r| r.as_str());
    let current = match (verdict.valid, verdict.format, reference) {
        (true, Some(credential::Format::Zk1), Some(r)) => {
            let mut tx = app.store.read().await?;
            let c = tx.colour_of_ref(r).await?;
            tx.rollback().await?;
            c
        }
        _ => None,
    };
    let colour_changed = matches!((&current, &claimed), (Some(a), Some(b)) if a != b);
    Ok(ScanCheck {
        colour: current.or(claimed),
        colour_changed,
        verdict,
    })
}

/// A fresh credential as a PNG picture (for kiosks and printing); the text expires as usual.
pub async fn issue_png(app: &App, actor: &Actor, person_id: Option<i64>) -> Result<Vec<u8>> {
    let view = issue(app, actor, person_id).await?;
    credential::qr_png(&view.text).map_err(|e| AppError::Internal(format!("credential: {e}")))
}

/// The default lifetime of a code.
pub fn default_ttl() -> TimeDelta {
    credential::DEFAULT_TTL
}

/// One entry of the status list: the reference and the colour it has now.
#[derive(Debug, Clone, Serialize)]
struct StatusEntry {
    r#ref: String,
    colour: String,
    changed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
struct StatusList {
    issuer: &'static str,
    issued_at: DateTime<Utc>,
    since: DateTime<Utc>,
    /// True when the list was cut at its bound: the verifier should ask with a later `since`.
    truncated: bool,
    changed: Vec<StatusEntry>,
}

/// The signed status list: references whose colour changed at or after `since`. A verifier
/// that holds a code with one of these references refuses it unless its colour matches.
pub async fn status_list(app: &App, actor: &Actor, since: DateTime<Utc>) -> Result<SignedDocument> {
    actor.require(Right::VerifyCodes)?;
    let keys = app.keyring()?;
    let now = Utc::now();
    if since > now || now - since > STATUS_LIST_MAX_AGE {
        return Err(AppError::invalid(
            "since",
            "out_of_range",
            format!(
                "give an instant within the last {} days",
                STATUS_LIST_MAX_AGE.num_days()
            ),
        ));
    }
    let mut tx = app.store.read().await?;
    let rows = tx
        .colour_changes_since(since.timestamp_millis(), STATUS_LIST_MAX_ENTRIES + 1)
        .await?;
    tx.rollback().await?;
    let truncated = rows.len() > STATUS_LIST_MAX_ENTRIES as usize;
    let changed = rows
        .into_iter()
        .take(STATUS_LIST_MAX_ENTRIES as usize)
        .map(|r| StatusEntry {
            r#ref: r.r#ref,
            colour: r.colour,
            changed_at: DateTime::from_timestamp_millis(r.changed_at).unwrap_or(since),
        })
        .collect();
    keys.sign_document(
        STATUS_LIST_TYPE,
        &StatusList {
            issuer: ISSUER,
            issued_at: now,
            since,
            truncated,
            changed,
        },
    )
}

/// The published trust list, signed by the trust anchor.
pub fn signed_trust_list(app: &App) -> Result<SignedDocument> {
    app.keyring()?.signed_trust_list(Utc::now())
}

/// The trust anchor's public key as a trust list, for verifiers to pin.
pub fn trust_anchor(app: &App) -> Result<credential::TrustList> {
    Ok(app.keyring()?.anchor_list())
}
