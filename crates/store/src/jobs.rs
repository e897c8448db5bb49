//! The daily jobs' rows: each job's lease and state (`jobs`) and the record of its runs
//! (`job_runs`). The lease is taken by one conditional UPDATE, atomic on both backends, so
//! that when several processes share a database exactly one of them runs a due job.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Result, Tx};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRow {
    pub name: String,
    pub lease_owner: Option<String>,
    pub lease_until: i64,
    /// The business day (YYYY-MM-DD) of the last successful run.
    pub done_day: Option<String>,
    /// Consecutive failures since the last success.
    pub failures: i64,
    /// A failed job does not run again before this instant (ms).
    pub retry_at: i64,
    /// "Run now" asked at this instant, by this username; cleared by the run that serves it.
    pub requested_at: Option<i64>,
    pub requested_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRunRow {
    pub id: i64,
    pub job: String,
    pub day: String,
    pub owner: String,
    /// `schedule`, `retry` or `manual`.
    pub cause: String,
    pub started_at: i64,
    pub finished_at: Option<i64>,
    /// `running`, `ok` or `failed`.
    pub result: String,
    pub detail: String,
    pub error: Option<String>,
}

const JOB_COLUMNS: &str = "name, lease_owner, lease_until, done_day, failures, retry_at, \
                           requested_at, requested_by";
const RUN_COLUMNS: &str =
    "id, job, day, owner, cause, started_at, finished_at, result, detail, error";

fn job_row(r: &AnyRow) -> Result<JobRow> {
    Ok(JobRow {
        name: r.try_get(0)?,
        lease_owner: r.try_get(1)?,
        lease_until: r.try_get(2)?,
        done_day: r.try_get(3)?,
        failures: r.try_get(4)?,
        retry_at: r.try_get(5)?,
        requested_at: r.try_get(6)?,
        requested_by: r.try_get(7)?,
    })
}

fn run_row(r: &AnyRow) -> Result<JobRunRow> {
    Ok(JobRunRow {
        id: r.try_get(0)?,
        job: r.try_get(1)?,
        day: r.try_get(2)?,
        owner: r.try_get(3)?,
        cause: r.try_get(4)?,
        started_at: r.try_get(5)?,
        finished_at: r.try_get(6)?,
        result: r.try_get(7)?,
        detail: r.try_get(8)?,
        error: r.try_get(9)?,
    })
}

/// A lease taken: the job's row as it was, and the run recorded for it.
#[derive(Debug, Clone)]
pub struct ClaimedJob {
    pub job: JobRow,
    pub run_id: i64,
}

impl Tx {
    /// Make sure each job has its row (new jobs appear with a new version).
    pub async fn ensure_jobs(&mut self, names: &[&str]) -> Result<()> {
        for name in names {
            sqlx::query("INSERT INTO jobs (name) VALUES ($1) ON CONFLICT (name) DO NOTHING")
                .bind(*name)
                .execute(self.conn())
                .await?;
        }
        Ok(())
    }

    pub async fn jobs(&mut self) -> Result<Vec<JobRow>> {
        let rows = sqlx::query(&format!("SELECT {JOB_COLUMNS} FROM jobs ORDER BY name"))
            .fetch_all(self.conn())
            .await?;
        rows.iter().map(job_row).collect()
    }

    /// Take the lease of `name` for `owner` until `lease_until` if the job is due: not done
    /// for `day` and past its retry time, or asked to run now; and nobody else holds an
    /// unexpired lease. On success a run is recorded as `running` (a run left `running` by a
    /// process whose lease expired is closed as failed first).
    pub async fn claim_job(
        &mut self,
        name: &str,
        owner: &str,
        day: &str,
        now: i64,
        lease_until: i64,
    ) -> Result<Option<ClaimedJob>> {
        let before = sqlx::query(&format!("SELECT {JOB_COLUMNS} FROM jobs WHERE name = $1"))
            .bind(name)
            .fetch_optional(self.conn())
            .await?;
        let Some(before) = before.as_ref().map(job_row).transpose()? else {
            return Ok(None);
        };
        let taken = sqlx::query(
            "UPDATE jobs SET lease_owner = $2, lease_until = $3
              WHERE name = $1 AND lease_until < $4
                AND (requested_at IS NOT NULL
                     OR ((done_day IS NULL OR done_day <> $5) AND retry_at <= $4))",
        )
        .bind(name)
        .bind(owner)
        .bind(lease_until)
        .bind(now)
        .bind(day)
        .execute(self.conn())
        .await?
        .rows_affected();
        if taken == 0 {
            return Ok(None);
        }
        sqlx::query(
            "UPDATE job_runs SET result = 'failed', finished_at = $2,
                    error = 'the process running it stopped before the end (its lease expired)'
              WHERE job = $1 AND result = 'running'",
        )
        .bind(name)
        .bind(now)
        .execute(self.conn())
        .await?;
        let cause = if before.requested_at.is_some() {
            "manual"
        } else if before.failures > 0 {
            "retry"
        } else {
            "schedule"
        };
        let run_id: i64 = sqlx::query(
            "INSERT INTO job_runs (job, day, owner, cause, started_at, result)
             VALUES ($1, $2, $3, $4, $5, 'running') RETURNING id",
        )
        .bind(name)
        .bind(day)
        .bind(owner)
        .bind(cause)
        .bind(now)
        .fetch_one(self.conn())
        .await?
        .try_get(0)?;
        Ok(Some(ClaimedJob {
            job: before,
            run_id,
        }))
    }

    /// Keep a lease while the job runs; false when it is no longer ours.
    pub async fn renew_job_lease(&mut self, name: &str, owner: &str, until: i64) -> Result<bool> {
        let n =
            sqlx::query("UPDATE jobs SET lease_until = $3 WHERE name = $1 AND lease_owner = $2")
                .bind(name)
                .bind(owner)
                .bind(until)
                .execute(self.conn())
                .await?
                .rows_affected();
        Ok(n > 0)
    }

    /// Record a run's end and release the lease. `Ok(detail)`: the job is done for `day`, its
    /// failures are forgotten and a "run now" asked before it started is served. `Err(error)`:
    /// one more failure, retried from `retry_at`.
    pub async fn finish_job(
        &mut self,
        claimed: &ClaimedJob,
        owner: &str,
        day: &str,
        outcome: std::result::Result<&str, &str>,
        now: i64,
        retry_at: i64,
    ) -> Result<()> {
        let name = &claimed.job.name;
        // A request made while the job ran is left for the next run.
        let served = claimed.job.requested_at.unwrap_or(i64::MIN);
        match outcome {
            Ok(detail) => {
                sqlx::query(
                    "UPDATE jobs SET lease_owner = NULL, lease_until = 0, done_day = $3,
                            failures = 0, retry_at = 0,
                            requested_at = CASE WHEN requested_at <= $4 THEN NULL
                                                ELSE requested_at END,
                            requested_by = CASE WHEN requested_at <= $4 THEN NULL
                                                ELSE requested_by END
                      WHERE name = $1 AND lease_owner = $2",
                )
                .bind(name)
                .bind(owner)
                .bind(day)
                .bind(served)
                .execute(self.conn())
                .await?;
                sqlx::query(
                    "UPDATE job_runs SET result = 'ok', finished_at = $2, detail = $3 WHERE id = $1",
                )
                .bind(claimed.run_id)
                .bind(now)
                .bind(detail)
                .execute(self.conn())
                .await?;
            }
            Err(error) => {
                sqlx::query(
                    "UPDATE jobs SET lease_owner = NULL, lease_until = 0,
                            failures = failures + 1, retry_at = $3,
                            requested_at = CASE WHEN requested_at <= $4 THEN NULL
                                                ELSE requested_at END,
                            requested_by = CASE WHEN requested_at <= $4 THEN NULL
                                                ELSE requested_by END
                      WHERE name = $1 AND lease_owner = $2",
                )
                .bind(name)
                .bind(owner)
                .bind(retry_at)
                .bind(served)
                .execute(self.conn())
                .await?;
                sqlx::query(
                    "UPDATE job_runs SET result = 'failed', finished_at = $2, error = $3
                      WHERE id = $1",
                )
                .bind(claimed.run_id)
                .bind(now)
                .bind(error)
                .execute(self.conn())
                .await?;
            }
        }
        Ok(())
    }

    /// Ask for a run now; false for an unknown job.
    pub async fn request_job(&mut self, name: &str, by: &str, now: i64) -> Result<bool> {
        let n = sqlx::query("UPDATE jobs SET requested_at = $2, requested_by = $3 WHERE name = $1")
            .bind(name)
            .bind(now)
            .bind(by)
            .execute(self.conn())
            .await?
            .rows_affected();
        Ok(n > 0)
    }

    /// The newest runs of one job, newest first.
    pub async fn job_runs(&mut self, name: &str, limit: i64) -> Result<Vec<JobRunRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {RUN_COLUMNS} FROM job_runs WHERE job = $1 ORDER BY id DESC LIMIT $2"
        ))
        .bind(name)
        .bind(limit)
        .fetch_all(self.conn())
        .await?;
        rows.iter().map(run_row).collect()
    }

    /// The last run of every job that has run.
    pub async fn last_job_runs(&mut self) -> Result<Vec<JobRunRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {RUN_COLUMNS} FROM job_runs
              WHERE id IN (SELECT MAX(id) FROM job_runs GROUP BY job) ORDER BY job"
        ))
        .fetch_all(self.conn())
        .await?;
        rows.iter().map(run_row).collect()
    }
}
