//! Reading the audit log (admins only). Writing happens inside each use case's transaction.

use domain::Right;
pub use store::{AuditQuery, AuditRow};

use crate::{Actor, App, Result};

pub async fn list(app: &App, actor: &Actor, q: &AuditQuery) -> Result<Vec<AuditRow>> {
    actor.require(Right::ViewAudit)?;
    let mut tx = app.store.read().await?;
    Ok(tx.list_audit(q).await?)
}
