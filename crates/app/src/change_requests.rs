//! Changes that wait for a second person (the change policy, docs/RULES.md): a change that
//! would leave a code less strict on one person's word is stored here as a request, with its
//! input, instead of happening. A different account with the path's right approves it from
//! its own session; the approval replays the input in the approver's transaction, and the
//! history names both. A reviewer named in the request is the only one who may approve it.

use domain::Right;
use serde::{Deserialize, Serialize};
use store::{ChangeRequestRow, NewChangeRequest, Tx};

use crate::codes::{By, CheckInInput, DeclarationInput};
use crate::{Actor, App, AppError, Result};

/// The change a request holds, replayed on approval.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PendingChange {
    Declaration {
        person_id: i64,
        input: DeclarationInput,
    },
    CheckIn {
        person_id: i64,
        input: CheckInInput,
    },
    CaseChange {
        case_id: i64,
        input: crate::cases::CaseChangeInput,
    },
    QuarantineEnd {
        order_id: i64,
        input: crate::quarantine::EndChangeInput,
    },
    RiskAreaChange {
        id: i64,
        edit: crate::codes::risk_areas::RiskAreaEdit,
    },
}

impl PendingChange {
    fn kind(&self) -> &'static str {
        match self {
            Self::Declaration { .. } => "declaration",
            Self::CheckIn { .. } => "check_in",
            Self::CaseChange { .. } => "case_change",
            Self::QuarantineEnd { .. } => "quarantine_end",
            Self::RiskAreaChange { .. } => "risk_area_change",
        }
    }

    fn record(&self) -> (&'static str, i64) {
        match self {
            Self::Declaration { person_id, .. } | Self::CheckIn { person_id, .. } => {
                ("person", *person_id)
            }
            Self::CaseChange { case_id, .. } => ("case", *case_id),
            Self::QuarantineEnd { order_id, .. } => ("quarantine_order", *order_id),
            Self::RiskAreaChange { id, .. } => ("risk_area", *id),
        }
    }

    /// The right the second person needs.
    fn right(&self) -> Right {
        match self {
            Self::Declaration { .. } | Self::CheckIn { .. } => Right::ReviewCodes,
            Self::CaseChange { .. } => Right::ManageCases,
            Self::QuarantineEnd { .. } => Right::ReviewQuarantine,
            Self::RiskAreaChange { .. } => Right::ManageRiskAreas,
        }
    }
}

/// A request as listed and shown.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ChangeRequestView {
    pub id: i64,
    /// declaration, check_in, case_change, quarantine_end or risk_area_change
    pub kind: String,
    pub record_type: String,
    pub record_id: i64,
    /// What would change, in words (no personal data).
    pub summary: String,
    pub requested_by: String,
    pub requested_at: String,
    /// The account named to approve, if any.
    pub reviewer: Option<String>,
    /// pending, approved or rejected
    pub status: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub decision_note: Option<String>,
}

impl From<ChangeRequestRow> for ChangeRequestView {
    fn from(r: ChangeRequestRow) -> Self {
        ChangeRequestView {
            id: r.id,
            kind: r.kind,
            record_type: r.record_type,
            record_id: r.record_id,
            summary: r.summary,
            requested_by: r.requested_by_name,
            requested_at: domain::time::format_local(r.requested_at),
            reviewer: r.reviewer_name,
            status: r.status,
            decided_by: r.decided_by_name,
            decided_at: r.decided_at.map(domain::time::format_local),
            decision_note: r.decision_note,
        }
    }
}

/// A change to store as a request.
pub(crate) struct NewPending {
    pub change: PendingChange,
    pub area_path: String,
    pub summary: String,
    pub reviewer_id: Option<i64>,
}

/// Store a request in the caller's transaction, with its audit entry.
pub(crate) async fn file_in(tx: &mut Tx, actor: &Actor, p: NewPending) -> Result<i64> {
    if actor.user_id <= 0 {
        return Err(AppError::Forbidden(
            "a change that needs a second person is requested from an account".into(),
        ));
    }
    let (record_type, record_id) = p.change.record();
    let payload =
        serde_json::to_string(&p.change).map_err(|e| AppError::Internal(e.to_string()))?;
    let now = domain::time::now_ms();
    let id = tx
        .insert_change_request(
            &NewChangeRequest {
                kind: p.change.kind().to_owned(),
                record_type: record_type.to_owned(),
                record_id,
                area_path: p.area_path,
                summary: p.summary.clone(),
                payload,
                requested_by: actor.user_id,
                reviewer_id: p.reviewer_id,
            },
            now,
        )
        .await
        .map_err(|e| match e {
            store::StoreError::Conflict(_) => AppError::Conflict {
                field: "status".into(),
                message: "a change of this record already waits for a second person".into(),
            },
            e => e.into(),
        })?;
    let mut entry = actor.audit("change.request", "change_request", id);
    entry.detail = p.summary;
    tx.insert_audit(&entry, now).await?;
    Ok(id)
}

/// Store a request in its own transaction and answer that it waits (202 at the web edge).
pub(crate) async fn file(app: &App, actor: &Actor, p: NewPending) -> Result<AppError> {
    let mut tx = app.store.write().await?;
    let id = file_in(&mut tx, actor, p).await?;
    tx.commit().await?;
    Ok(pending(id))
}

pub(crate) fn pending(id: i64) -> AppError {
    AppError::Pending {
        request: Some(id),
        message: format!(
            "the change makes a code less strict: request {id} waits for a second person to \
             approve it from their own account"
        ),
    }
}

/// Whether an error says that the change needs a second person (and nothing was stored yet).
pub(crate) fn is_unfiled(r: &Result<impl Sized>) -> bool {
    matches!(r, Err(AppError::Pending { request: None, .. }))
}

/// Requests in the actor's area waiting for someone with a right the actor holds, oldest first
/// (the actor's own requests included, marked by name, so they see what waits).
pub async fn pending_for(app: &App, actor: &Actor) -> Result<Vec<ChangeRequestView>> {
    let mut tx = app.store.read().await?;
    let rows = tx.change_requests_by_status("pending", 500).await?;
    tx.rollback().await?;
    Ok(rows
        .into_iter()
        .filter(|r| actor.require_in_scope(&r.area_path).is_ok())
        .filter(|r| {
            serde_json::from_str::<PendingChange>(&r.payload)
                .is_ok_and(|c| actor.role.has(c.right()))
        })
        .map(ChangeRequestView::from)
        .collect())
}

/// One request, for whoever may act on it or asked for it.
pub async fn get(app: &App, actor: &Actor, id: i64) -> Result<ChangeRequestView> {
    let mut tx = app.store.read().await?;
    let r = tx.change_request(id).await?;
    tx.rollback().await?;
    actor.require_in_scope(&r.area_path)?;
    Ok(r.into())
}

/// Approve (replay the change, in this transaction, in the approver's name as second person)
/// or reject a request. The approver is a different account holding the path's right, and the
/// named reviewer when one was named.
pub async fn decide(
    app: &App,
    actor: &Actor,
    id: i64,
    approve: bool,
    note: &str,
) -> Result<ChangeRequestView> {
    let note = note.trim();
    if note.chars().count() > 1000 {
        return Err(AppError::invalid(
            "note",
            "too_long",
            "at most 1000 characters",
        ));
    }
    if !approve && note.chars().count() < 2 {
        return Err(AppError::invalid(
            "note",
            "too_short",
            "say why the change is refused",
        ));
    }
    let mut tx = app.store.write().await?;
    let r = tx.change_request(id).await?;
    let change: PendingChange =
        serde_json::from_str(&r.payload).map_err(|e| AppError::Internal(e.to_string()))?;
    actor.require(change.right())?;
    actor.require_in_scope(&r.area_path)?;
    if r.status != "pending" {
        return Err(AppError::Conflict {
            field: "status".into(),
            message: format!("the request is {} already", r.status),
        });
    }
    if actor.user_id == r.requested_by {
        return Err(AppError::Forbidden(
            "the second person must be someone other than the requester".into(),
        ));
    }
    if r.reviewer_id.is_some_and(|v| v != actor.user_id) {
        return Err(AppError::Forbidden(
            "the requester named another reviewer for this change".into(),
        ));
    }
    let now = domain::time::now_ms();
    let status = if approve { "approved" } else { "rejected" };
    if !tx
        .decide_change_request(id, status, actor.user_id, note, now)
        .await?
    {
        return Err(AppError::Conflict {
            field: "status".into(),
            message: "someone else decided first".into(),
        });
    }
    let action = if approve {
        "change.approve"
    } else {
        "change.reject"
    };
    let mut entry = actor.audit(action, "change_request", id);
    entry.detail = r.summary.clone();
    tx.insert_audit(&entry, now).await?;
    if approve {
        let requester = tx.user(r.requested_by).await?;
        let by = By {
            path: domain::rules::ChangePath::Rules,
            username: &requester.username,
            requested_by: requester.id,
            approved_by: Some(actor.user_id),
            manual: false,
        };
        apply(&mut tx, app, actor, by, &change).await?;
    }
    let row = tx.change_request(id).await?;
    tx.commit().await?;
    Ok(row.into())
}

/// Replay an approved change; `by.path` is set per kind.
async fn apply(
    tx: &mut Tx,
    app: &App,
    approver: &Actor,
    by: By<'_>,
    change: &PendingChange,
) -> Result<()> {
    use domain::rules::ChangePath;
    match change {
        PendingChange::Declaration { person_id, input } => {
            let by = By {
                path: ChangePath::DeclarationForOther,
                ..by
            };
            crate::codes::declare_apply(tx, app, approver, by, *person_id, input).await
        }
        PendingChange::CheckIn { person_id, input } => {
            let by = By {
                path: ChangePath::CheckInForOther,
                ..by
            };
            crate::codes::check_in_apply(tx, app, approver, by, *person_id, input).await
        }
        PendingChange::CaseChange { case_id, input } => {
            let by = By {
                path: ChangePath::CaseStatus,
                ..by
            };
            crate::cases::change_apply(tx, app, approver, by, *case_id, input).await
        }
        PendingChange::QuarantineEnd { order_id, input } => {
            let by = By {
                path: ChangePath::QuarantineEnd,
                ..by
            };
            crate::quarantine::change_end_apply(tx, app, approver, by, *order_id, input).await
        }
        PendingChange::RiskAreaChange { id, edit } => {
            let by = By {
                path: ChangePath::RiskArea,
                ..by
            };
            crate::codes::risk_areas::change_apply(tx, app, approver, by, *id, edit).await
        }
    }
}
