-- Daily jobs inside `serve` (docs/OPERATIONS.md). One row per job: its lease (owner and
-- expiry, taken by one atomic UPDATE so that several processes sharing a database run each
-- job once), the business day it last completed, and its retry state.
CREATE TABLE jobs (
    name             TEXT    PRIMARY KEY,
    lease_owner      TEXT,
    lease_until      INTEGER NOT NULL DEFAULT 0,
    -- YYYY-MM-DD: the business day (App::today) of the last successful run.
    done_day         TEXT,
    -- Consecutive failures; a failed job waits until retry_at (backoff) before it runs again.
    failures         INTEGER NOT NULL DEFAULT 0,
    retry_at         INTEGER NOT NULL DEFAULT 0,
    -- Set by "run now"; cleared by the run that serves it.
    requested_at     INTEGER,
    requested_by     TEXT
);

CREATE TABLE job_runs (
    id           INTEGER PRIMARY KEY,
    job          TEXT    NOT NULL REFERENCES jobs(name),
    day          TEXT    NOT NULL,
    owner        TEXT    NOT NULL,
    cause        TEXT    NOT NULL CHECK (cause IN ('schedule', 'retry', 'manual')),
    started_at   INTEGER NOT NULL,
    finished_at  INTEGER,
    result       TEXT    NOT NULL CHECK (result IN ('running', 'ok', 'failed')),
    detail       TEXT    NOT NULL DEFAULT '',
    error        TEXT
);
CREATE INDEX job_runs_job ON job_runs (job, id);

-- Retention (PIPL): audit entries are kept three years; older ones may be deleted by the
-- retention job, younger ones never. Updates stay refused.
DROP TRIGGER audit_log_no_delete;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN old.at >= (CAST(strftime('%s', 'now') AS INTEGER) - 1096 * 86400) * 1000
BEGIN SELECT RAISE(ABORT, 'audit_log is insert-only'); END;
