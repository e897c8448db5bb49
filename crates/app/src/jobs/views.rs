//! The jobs as the admin sees them (`/jobs`, the home page's warning) and "run now".

use chrono::{Duration as Days, NaiveDate};
use domain::Right;
use serde::Serialize;
use store::{JobRow, JobRunRow};

use super::{Job, WAKE};
use crate::{Actor, App, AppError, Result};

/// One run, its instants shown in Asia/Shanghai.
#[derive(Debug, Clone, Serialize)]
pub struct RunView {
    pub day: String,
    pub cause: String,
    pub owner: String,
    pub started: String,
    pub duration_ms: Option<i64>,
    /// `running`, `ok` or `failed`.
    pub result: String,
    pub detail: String,
    pub error: String,
}

/// When a job runs next.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "kind", content = "at", rename_all = "snake_case")]
pub enum NextRun {
    /// Running now.
    Running,
    /// "Run now" was pressed; at the next tick.
    Requested,
    /// Due (not done for today): at the next tick.
    Due,
    /// Failed: retried at this instant.
    Retry(String),
    /// Done today: shortly after this midnight (Asia/Shanghai).
    Midnight(String),
    /// Done for the replayed or configured day, which does not turn by itself.
    WhenTheDayChanges,
}

#[derive(Debug, Clone, Serialize)]
pub struct JobView {
    pub name: &'static str,
    pub last: Option<RunView>,
    /// Consecutive failures since its last success.
    pub failures: i64,
    pub next: NextRun,
}

fn shanghai(ms: i64) -> String {
    domain::time::to_local(ms)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

fn run_view(r: JobRunRow) -> RunView {
    RunView {
        day: r.day,
        cause: r.cause,
        owner: r.owner,
        started: shanghai(r.started_at),
        duration_ms: r.finished_at.map(|f| f - r.started_at),
        result: r.result,
        detail: r.detail,
        error: r.error.unwrap_or_default(),
    }
}

fn next_run(app: &App, row: &JobRow, today: NaiveDate, now: i64) -> NextRun {
    if row.lease_owner.is_some() && row.lease_until > now {
        NextRun::Running
    } else if row.requested_at.is_some() {
        NextRun::Requested
    } else if row.failures > 0 && row.retry_at > now {
        NextRun::Retry(shanghai(row.retry_at))
    } else if row.done_day.as_deref() != Some(today.to_string().as_str()) {
        NextRun::Due
    } else if app.settings.as_of.is_some() {
        NextRun::WhenTheDayChanges
    } else {
        NextRun::Midnight(format!("{} 00:00", today + Days::days(1)))
    }
}

async fn views(app: &App) -> Result<Vec<JobView>> {
    let mut tx = app.store.read().await?;
    let rows = tx.jobs().await?;
    let last = tx.last_job_runs().await?;
    tx.rollback().await?;
    let today = app.today();
    let now = domain::time::now_ms();
    Ok(Job::ALL
        .into_iter()
        .map(|job| {
            // A job no scheduler has met yet has no row: never run, due.
            let row = rows.iter().find(|r| r.name == job.name());
            JobView {
                name: job.name(),
                last: last
                    .iter()
                    .find(|r| r.job == job.name())
                    .cloned()
                    .map(run_view),
                failures: row.map_or(0, |r| r.failures),
                next: row.map_or(NextRun::Due, |r| next_run(app, r, today, now)),
            }
        })
        .collect())
}

/// Every job this platform has run or scheduled, with its last run and next run.
pub async fn list(app: &App, actor: &Actor) -> Result<Vec<JobView>> {
    actor.require(Right::OperatePlatform)?;
    views(app).await
}

/// The jobs whose last run failed, for the admin's home page; nothing for other roles.
pub async fn failed_jobs(app: &App, actor: &Actor) -> Result<Vec<JobView>> {
    if !actor.role.has(Right::OperatePlatform) {
        return Ok(vec![]);
    }
    Ok(views(app)
        .await?
        .into_iter()
        .filter(|j| j.failures > 0)
        .collect())
}

/// "Run now": the job runs at the next tick of a scheduler (at once in this process), even if
/// it is done for today. Audited.
pub async fn request_run(app: &App, actor: &Actor, name: &str) -> Result<()> {
    actor.require(Right::OperatePlatform)?;
    let job = Job::from_name(name).ok_or(AppError::NotFound("job"))?;
    let now = domain::time::now_ms();
    let mut tx = app.store.write().await?;
    tx.ensure_jobs(&[job.name()]).await?;
    if !tx.request_job(job.name(), &actor.username, now).await? {
        return Err(AppError::NotFound("job"));
    }
    tx.insert_audit(&actor.audit("job.run_now", "job", job.name()), now)
        .await?;
    tx.commit().await?;
    WAKE.notify_one();
    Ok(())
}
