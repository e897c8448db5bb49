//! Checkpoints (卡点) and gates (小门): their management (create, edit, retire; one that has
//! scanned anyone is never deleted), the scans their devices upload, and their figures.

pub mod figures;
pub mod import;
pub mod ingest;
mod input;
pub mod listing;

use domain::Right;
use serde::Serialize;
use store::{CheckpointRecord, Tx};

use crate::{Actor, App, AppError, Result};

pub use input::CheckpointInput;

/// A checkpoint as its pages and the API show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CheckpointView {
    pub id: i64,
    /// The short code devices are configured with.
    pub code: String,
    pub kind: String,
    pub name: String,
    pub area_id: i64,
    pub lat: f64,
    pub lon: f64,
    /// The temporary party branch (临时党支部) set up at the checkpoint.
    pub party_branch: Option<String>,
    pub hours: String,
    pub staff_on_duty: i64,
    /// Asia/Shanghai time of retirement; retired checkpoints take no new scans.
    pub retired_at: Option<String>,
}

impl From<CheckpointRecord> for CheckpointView {
    fn from(r: CheckpointRecord) -> Self {
        CheckpointView {
            id: r.id,
            code: r.code,
            kind: r.kind,
            name: r.name,
            area_id: r.area_id,
            lat: r.lat,
            lon: r.lon,
            party_branch: r.party_branch,
            hours: r.hours,
            staff_on_duty: r.staff_on_duty,
            retired_at: r.retired_at.map(domain::time::format_local),
        }
    }
}

/// A checkpoint's editable fields, for the audit entry's before and after.
pub(crate) fn edit_json(r: &CheckpointRecord) -> serde_json::Value {
    serde_json::json!({
        "kind": r.kind, "name": r.name, "area_id": r.area_id, "lat": r.lat, "lon": r.lon,
        "party_branch": r.party_branch, "hours": r.hours, "staff_on_duty": r.staff_on_duty,
    })
}

/// Who may see checkpoints: whoever screens at one or manages them.
fn require_view(actor: &Actor) -> Result<()> {
    if actor.role.has(Right::VerifyCodes) || actor.role.has(Right::ManageCheckpoints) {
        Ok(())
    } else {
        actor.require(Right::VerifyCodes)
    }
}

/// The checkpoints in the actor's area, in id order; retired ones too when asked.
pub async fn list(app: &App, actor: &Actor, with_retired: bool) -> Result<Vec<CheckpointView>> {
    require_view(actor)?;
    let mut tx = app.store.read().await?;
    let rows = tx
        .checkpoint_records(&actor.scope_path, with_retired)
        .await?;
    tx.rollback().await?;
    Ok(rows.into_iter().map(CheckpointView::from).collect())
}

pub async fn get(app: &App, actor: &Actor, id: i64) -> Result<CheckpointView> {
    require_view(actor)?;
    let mut tx = app.store.read().await?;
    let row = tx.checkpoint_record(id).await?;
    tx.rollback().await?;
    actor.require_in_scope(&row.area_path)?;
    Ok(row.into())
}

async fn in_scope(tx: &mut Tx, actor: &Actor, id: i64) -> Result<CheckpointRecord> {
    let row = tx.checkpoint_record(id).await?;
    actor.require_in_scope(&row.area_path)?;
    Ok(row)
}

pub async fn create(app: &App, actor: &Actor, input: &CheckpointInput) -> Result<CheckpointView> {
    actor.require(Right::ManageCheckpoints)?;
    let mut tx = app.store.write().await?;
    let (code, edit) = input.validate(&mut tx, actor, true).await?;
    let now = domain::time::now_ms();
    let id = tx
        .create_checkpoint(&code, &edit, now)
        .await
        .map_err(|e| match e {
            store::StoreError::Conflict(_) => AppError::Conflict {
                field: "code".into(),
                message: format!("a checkpoint with code {code:?} exists"),
            },
            other => other.into(),
        })?;
    tx.insert_audit(&actor.audit("checkpoint.create", "checkpoint", id), now)
        .await?;
    let view = tx.checkpoint_record(id).await?.into();
    tx.commit().await?;
    Ok(view)
}

pub async fn edit(
    app: &App,
    actor: &Actor,
    id: i64,
    input: &CheckpointInput,
) -> Result<CheckpointView> {
    actor.require(Right::ManageCheckpoints)?;
    let mut tx = app.store.write().await?;
    in_scope(&mut tx, actor, id).await?;
    let (_, edit) = input.validate(&mut tx, actor, false).await?;
    let now = domain::time::now_ms();
    let before = tx.checkpoint_record(id).await?;
    tx.update_checkpoint(id, &edit, now).await?;
    let after = tx.checkpoint_record(id).await?;
    let mut entry = actor.audit("checkpoint.edit", "checkpoint", id);
    entry.detail =
        serde_json::json!({ "before": edit_json(&before), "after": edit_json(&after) }).to_string();
    tx.insert_audit(&entry, now).await?;
    let view = tx.checkpoint_record(id).await?.into();
    tx.commit().await?;
    Ok(view)
}

/// Retire a checkpoint (`retire = true`) or bring a retired one back into service.
pub async fn retire(app: &App, actor: &Actor, id: i64, retire: bool) -> Result<CheckpointView> {
    actor.require(Right::ManageCheckpoints)?;
    let mut tx = app.store.write().await?;
    let row = in_scope(&mut tx, actor, id).await?;
    let now = domain::time::now_ms();
    if row.retired_at.is_some() != retire {
        tx.set_checkpoint_retired(id, retire.then_some(now), now)
            .await?;
        let action = if retire {
            "checkpoint.retire"
        } else {
            "checkpoint.reinstate"
        };
        tx.insert_audit(&actor.audit(action, "checkpoint", id), now)
            .await?;
    }
    let view = tx.checkpoint_record(id).await?.into();
    tx.commit().await?;
    Ok(view)
}

/// Delete a checkpoint entered by mistake. One that has scans is refused: retire it instead,
/// so that its scans keep their place for tracing and the figures.
pub async fn delete(app: &App, actor: &Actor, id: i64) -> Result<()> {
    actor.require(Right::ManageCheckpoints)?;
    let mut tx = app.store.write().await?;
    in_scope(&mut tx, actor, id).await?;
    if !tx.delete_unused_checkpoint(id).await? {
        return Err(AppError::Conflict {
            field: "id".into(),
            message: "the checkpoint has scans; retire it instead of deleting it".into(),
        });
    }
    let now = domain::time::now_ms();
    tx.insert_audit(&actor.audit("checkpoint.delete", "checkpoint", id), now)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// What a checkpoint's station page (the screening officer's phone) needs: the checkpoint,
/// today's counts there and the temperature from which a scan is referred.
#[derive(Debug, Clone, Serialize)]
pub struct Station {
    pub checkpoint: CheckpointView,
    pub today: figures::Counts,
    /// When `today` was counted, ms since the epoch.
    pub counted_at: i64,
    /// ℃; a temperature at or above it is a fever (refer), as the server decides.
    pub fever_from: f64,
}

/// The checkpoints an officer may screen at: in service and inside the officer's area.
pub async fn stations(app: &App, actor: &Actor) -> Result<Vec<CheckpointView>> {
    actor.require(Right::VerifyCodes)?;
    list(app, actor, false).await
}

/// One checkpoint's station: the officer screens (`VerifyCodes`) at a checkpoint inside their
/// area that is still in service; a retired one is refused naming `id`.
pub async fn station(app: &App, actor: &Actor, id: i64) -> Result<Station> {
    actor.require(Right::VerifyCodes)?;
    let checkpoint = get(app, actor, id).await?;
    if checkpoint.retired_at.is_some() {
        return Err(AppError::Conflict {
            field: "id".into(),
            message: format!(
                "checkpoint {} is retired and takes no scans",
                checkpoint.name
            ),
        });
    }
    let counted_at = domain::time::now_ms();
    let today = figures::today(app, actor, id).await?;
    Ok(Station {
        checkpoint,
        today,
        counted_at,
        fever_from: domain::rules::Ruleset::default_zhejiang().normal_below(),
    })
}
