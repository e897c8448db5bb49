//! What each daily job does. Each one works in its own transaction(s) and writes an audit
//! entry, named `system`, in the transaction of its change.

use chrono::NaiveDate;
use store::AuditEntry;

use super::{BackupPlan, Job};
use crate::{App, AppError, Result};

/// Login attempts older than this are deleted by `purge_sessions`.
pub const LOGIN_ATTEMPTS_KEPT_DAYS: i64 = 30;

fn system_entry(owner: &str, job: Job, detail: String) -> AuditEntry {
    AuditEntry {
        user_id: None,
        username: "system".into(),
        role: "system".into(),
        action: format!("job.{}", job.name()),
        record_type: "job".into(),
        record_id: job.name().into(),
        client_addr: owner.into(),
        detail,
    }
}

pub(super) async fn run(
    app: &App,
    owner: &str,
    backup: Option<&BackupPlan>,
    job: Job,
    day: NaiveDate,
) -> Result<String> {
    let now = domain::time::now_ms();
    let detail = match job {
        Job::RecomputeCodes => {
            let mut tx = app.store.write().await?;
            let r = crate::codes::recompute_all(&mut tx, day, "daily").await?;
            let detail = format!(
                "{day}: {} evaluated, {} written, {} colour changes ({} green, {} yellow, {} red)",
                r.evaluated, r.written, r.colour_changes, r.to_green, r.to_yellow, r.to_red
            );
            tx.insert_audit(&system_entry(owner, job, detail.clone()), now)
                .await?;
            tx.commit().await?;
            detail
        }
        Job::QuarantineFollowUps => {
            let mut tx = app.store.write().await?;
            let r = crate::quarantine::generate_in(&mut tx, day).await?;
            let detail = format!(
                "{day}: {} persons in quarantine, {} new checks, {} without a team",
                r.persons, r.created, r.unassigned
            );
            tx.insert_audit(&system_entry(owner, job, detail.clone()), now)
                .await?;
            tx.commit().await?;
            detail
        }
        Job::PurgeSessions => {
            let mut tx = app.store.write().await?;
            let sessions = tx.purge_expired_sessions(now).await?;
            let attempts = tx
                .purge_login_attempts(now - LOGIN_ATTEMPTS_KEPT_DAYS * 86_400_000)
                .await?;
            let detail = format!(
                "{sessions} expired sessions, {attempts} login attempts older than \
                 {LOGIN_ATTEMPTS_KEPT_DAYS} days deleted"
            );
            tx.insert_audit(&system_entry(owner, job, detail.clone()), now)
                .await?;
            tx.commit().await?;
            detail
        }
        Job::Backup => {
            let plan = backup
                .ok_or_else(|| AppError::Internal("no backup directory is configured".into()))?;
            let made = crate::backup::daily(app, plan, day).await?;
            let mut tx = app.store.write().await?;
            tx.insert_audit(&system_entry(owner, job, made.clone()), now)
                .await?;
            tx.commit().await?;
            made
        }
    };
    Ok(detail)
}
