//! The daily jobs that run inside `serve`: recompute every code for the new business day,
//! generate the day's quarantine follow-ups, purge expired sessions and old login attempts, and
//! make the daily backup.
//!
//! **What "daily" means.** A job is due when it has not succeeded for the business day
//! ([`App::today`]). On the real clock the day turns at 00:00 Asia/Shanghai, and the scheduler
//! (a tick every [`TICK`]) runs the jobs within a minute after midnight; a server started later
//! in the day runs what that day has not had yet. A replayed demo or a drill (`as_of`) stands
//! on one day: its jobs run once for that day, at the first tick, and again only if the day is
//! changed (a new `as_of`) or someone presses "run now".
//!
//! **Once across processes.** Several `serve` processes may share one PostgreSQL: each tick,
//! each process tries to take a job's lease with one conditional UPDATE (`Tx::claim_job`);
//! only one succeeds, the others see the job leased or done. A lease lasts [`LEASE`] and is
//! renewed while the job runs, so a process that dies mid-run leaves the job to another one
//! once its lease expires. Each run is recorded (start, end, result, what it did or its error);
//! a failed job is retried after a growing wait ([`retry_delay`]) and shows on the admin's
//! home page until it succeeds.

mod tasks;
mod views;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use serde::Serialize;
use store::ClaimedJob;

use crate::{App, Result};

pub use views::{JobView, NextRun, RunView, failed_jobs, list, request_run};

/// How often the scheduler looks for due jobs.
pub const TICK: Duration = Duration::from_secs(30);
/// How long a lease holds before another process may take the job over.
pub const LEASE: Duration = Duration::from_secs(10 * 60);

/// The daily jobs, in the order a tick runs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Job {
    RecomputeCodes,
    QuarantineFollowUps,
    PurgeSessions,
    Backup,
}

impl Job {
    pub const ALL: [Job; 4] = [
        Job::RecomputeCodes,
        Job::QuarantineFollowUps,
        Job::PurgeSessions,
        Job::Backup,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Job::RecomputeCodes => "recompute_codes",
            Job::QuarantineFollowUps => "quarantine_follow_ups",
            Job::PurgeSessions => "purge_sessions",
            Job::Backup => "backup",
        }
    }

    pub fn from_name(name: &str) -> Option<Job> {
        Job::ALL.into_iter().find(|j| j.name() == name)
    }
}

/// Where the daily backup goes, and what it takes along.
#[derive(Debug, Clone)]
pub struct BackupPlan {
    /// Directory of the daily archives (`zhikong-YYYY-MM-DD.tar.gz`).
    pub dir: PathBuf,
    /// The data directory whose `keys/` go into the archive.
    pub data_dir: PathBuf,
    /// How many daily archives to keep (the oldest are removed after a good backup).
    pub keep: usize,
}

/// The scheduler of one process.
#[derive(Clone)]
pub struct Scheduler {
    app: App,
    /// Names this process in leases and runs: host and process id.
    owner: String,
    backup: Option<Arc<BackupPlan>>,
}

/// What one job did in one tick.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ran {
    pub job: Job,
    /// What it did, or why it failed.
    pub outcome: std::result::Result<String, String>,
}

/// The wait before retrying a job that failed `failures` times in a row: 1 minute, doubling,
/// at most an hour.
pub fn retry_delay(failures: i64) -> Duration {
    let minutes = 1u64 << failures.clamp(1, 7).saturating_sub(1);
    Duration::from_secs(60 * minutes.min(60))
}

impl Scheduler {
    pub fn new(app: App, owner: impl Into<String>) -> Self {
        Self {
            app,
            owner: owner.into(),
            backup: None,
        }
    }

    /// The owner name of this process: host name and process id.
    pub fn process_owner() -> String {
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .map(|h| h.trim().to_owned())
            .unwrap_or_else(|_| "localhost".into());
        format!("{host}:{}", std::process::id())
    }

    pub fn with_backup(mut self, plan: BackupPlan) -> Self {
        self.backup = Some(Arc::new(plan));
        self
    }

    /// The jobs this process runs: the backup only where a backup directory is configured.
    pub fn jobs(&self) -> Vec<Job> {
        Job::ALL
            .into_iter()
            .filter(|j| *j != Job::Backup || self.backup.is_some())
            .collect()
    }

    /// Run every due job once, in order; what ran.
    pub async fn tick(&self) -> Result<Vec<Ran>> {
        let names: Vec<&str> = self.jobs().iter().map(|j| j.name()).collect();
        let mut tx = self.app.store.write().await?;
        tx.ensure_jobs(&names).await?;
        tx.commit().await?;
        let mut ran = vec![];
        for job in self.jobs() {
            if let Some(r) = self.run_if_due(job).await? {
                ran.push(r);
            }
        }
        Ok(ran)
    }

    async fn run_if_due(&self, job: Job) -> Result<Option<Ran>> {
        let day = self.app.today();
        let now = domain::time::now_ms();
        let mut tx = self.app.store.write().await?;
        let claimed = tx
            .claim_job(
                job.name(),
                &self.owner,
                &day.to_string(),
                now,
                now + LEASE.as_millis() as i64,
            )
            .await?;
        tx.commit().await?;
        let Some(claimed) = claimed else {
            return Ok(None);
        };
        ::tracing::info!(job = job.name(), %day, "job started");
        let outcome = self.run_holding_lease(job, day, &claimed).await;
        let now = domain::time::now_ms();
        let retry_at = now + retry_delay(claimed.job.failures + 1).as_millis() as i64;
        let text = outcome.as_ref().map(String::as_str).map_err(String::as_str);
        let mut tx = self.app.store.write().await?;
        tx.finish_job(&claimed, &self.owner, &day.to_string(), text, now, retry_at)
            .await?;
        tx.commit().await?;
        match &outcome {
            Ok(detail) => ::tracing::info!(job = job.name(), %detail, "job done"),
            Err(error) => ::tracing::error!(job = job.name(), %error, "job failed"),
        }
        Ok(Some(Ran { job, outcome }))
    }

    /// Run the job while renewing its lease, so a long run is not taken over.
    async fn run_holding_lease(
        &self,
        job: Job,
        day: NaiveDate,
        claimed: &ClaimedJob,
    ) -> std::result::Result<String, String> {
        let work = tasks::run(&self.app, &self.owner, self.backup.as_deref(), job, day);
        tokio::pin!(work);
        let mut renew = tokio::time::interval(LEASE / 4);
        renew.tick().await;
        loop {
            tokio::select! {
                r = &mut work => return r.map_err(|e| e.to_string()),
                _ = renew.tick() => {
                    let until = domain::time::now_ms() + LEASE.as_millis() as i64;
                    if let Err(e) = self.renew(&claimed.job.name, until).await {
                        ::tracing::warn!(job = job.name(), error = %e, "lease not renewed");
                    }
                }
            }
        }
    }

    async fn renew(&self, name: &str, until: i64) -> Result<bool> {
        let mut tx = self.app.store.write().await?;
        let kept = tx.renew_job_lease(name, &self.owner, until).await?;
        tx.commit().await?;
        Ok(kept)
    }

    /// Tick every [`TICK`] (and at once when "run now" is pressed in this process) until the
    /// process ends. A tick that fails (the database is down) is logged and tried again.
    pub fn spawn(self) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            loop {
                if let Err(e) = self.tick().await {
                    ::tracing::warn!(error = %e, "job scheduler tick failed");
                }
                tokio::select! {
                    _ = tokio::time::sleep(TICK) => {}
                    _ = WAKE.notified() => {}
                }
            }
        })
    }
}

/// Wakes the schedulers of this process when "run now" is pressed.
static WAKE: tokio::sync::Notify = tokio::sync::Notify::const_new();
