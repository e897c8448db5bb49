//! zhikong's storage: one API over two backends, SQLite (embedded default, WAL) and
//! PostgreSQL. The SQL is written once in the dialect both accept (`$n` parameters, `RETURNING`,
//! `ON CONFLICT`); where they differ, `Backend` says which text to use. Migrations are embedded,
//! one folder per backend, and applied at open.

mod area_admin;
mod areas;
mod audit;
mod bulk;
mod cases;
mod checkpoint_edits;
mod checkpoints;
mod code_reviews;
mod code_status;
mod codes;
mod codes_bulk;
mod command;
mod contacts;
mod day_counts;
mod economy;
mod enterprise;
mod error;
mod housekeeping;
mod jobs;
mod maintenance;
mod meta;
mod persons;
mod quarantine;
mod scan_indexes;
mod scans;
mod stats;
mod users;
mod wipe;

use std::path::Path;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

pub use area_admin::{AreaAdminRow, AreaAttachments, Reparented};
pub use areas::{AreaRow, NewArea};
pub use audit::{AuditEntry, AuditQuery, AuditRow};
pub use cases::{CaseRow, ClusterRow, NewCase};
pub use checkpoint_edits::{CheckpointEdit, CheckpointRecord};
pub use checkpoints::{CheckpointRow, NewCheckpoint};
pub use code_reviews::{AppealRow, Decision, NewAppeal, NewOverride, OverrideRow};
pub use code_status::StatusRow;
pub use codes::{
    ArrivalRow, CheckInRow, CodeChangeRow, CodeUpsert, HealthCodeRow, NewCodeChange,
    NewDeclaration, RiskAreaRow,
};
pub use codes::{RiskAreaQuery, RiskAreaSort, RiskAreaStatus};
pub use codes_bulk::{
    BulkDeclaration, BulkScope, BulkWindow, NO_REASONS, NewCheckIn, PersonAreasRow,
    PersonArrivalRow, PersonCheckInRow, StoredCodeRow,
};
pub use command::{ConfirmedCaseRow, StreetShareRow};
pub use contacts::{ContactRow, ExposureRow, NewContact};
pub use day_counts::shanghai_day_number;
pub use economy::{
    EconBuildingTaxRow, EconConferenceRow, EconEnterpriseFacts, EconEvaluationRow,
    EconIndicatorRow, EconProjectRow, EconRegionRow, EconStageRow, EconValueQuery, EconValueRow,
    NewEconEvaluation, NewEconProject, NewEconValue,
};
pub use enterprise::{
    ApplicationRow, DisbursementRow, ElectricityRow, EnterpriseCursor, EnterpriseQuery,
    EnterpriseRow, EnterpriseSort, GridRow, MatchFactsRow, NewApplication, NewEnterprise, NewGrid,
    NewOfficer, NewPayout, NewReport, NewRequest, NewVisit, OfficerLoadRow, OfficerRow, OnTimeRow,
    PayoutRow, PayoutTotalRow, RateGroupRow, ReportRow, RequestRow, RequestStepRow, VisitRow,
};
pub use error::StoreError;
pub use jobs::{ClaimedJob, JobRow, JobRunRow};
pub use persons::{NewPerson, PersonCursor, PersonQuery, PersonRow, PersonSort, Scope};
pub use quarantine::{
    AlertRow, ArrivalDeskRow, CheckRow, CommunityQuarantineRow, EndChangeRow, FollowUpTarget,
    NewAlert, NewArrival, NewCheck, NewOrder, NewRoom, NewSite, OrderQuery, OrderRow,
    QuarantineRuleRow, RoomRow, SiteOccupancyRow, SiteRow, StreetChecksRow, TeamMemberRow, TestRow,
};
pub use scans::{
    DecisionCounts, NewScan, ScannedPerson, ScansPerDayRow, SightingRow, StoredScanKey,
};
pub use stats::Counts;
pub use users::{NewSession, NewUser, SessionUser, UserRow};

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// How long a PostgreSQL request waits for a connection before the database counts as
/// unavailable. Under 2 s so that the answer (503 with Retry-After) comes within 2 s.
pub const PG_ACQUIRE_TIMEOUT: Duration = Duration::from_millis(1500);

/// The handle the app layer holds. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    backend: Backend,
    /// Where it was opened from (for `pg_dump` and messages).
    url: String,
    /// Readers; on PostgreSQL also the writers.
    read: AnyPool,
    /// On SQLite a single connection, so writers queue here instead of failing with
    /// SQLITE_BUSY when two of them try to upgrade a read transaction at once.
    write: AnyPool,
}

/// One transaction. Every store operation runs inside one; the app layer opens one per request
/// so that nothing is half-written.
pub struct Tx {
    inner: sqlx::Transaction<'static, sqlx::Any>,
    backend: Backend,
}

impl Store {
    /// Open (creating if needed) `DIR/zhikong.db`.
    pub async fn open_sqlite(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Open(format!("{}: {e}", dir.display())))?;
        let file = dir.join("zhikong.db");
        let url = format!("sqlite://{}?mode=rwc", file.display());
        Self::connect(&url).await
    }

    /// Connect by URL: `sqlite://…` or `postgres://…`, and bring the schema up to date.
    pub async fn connect(url: &str) -> Result<Self> {
        let store = Self::connect_unmigrated(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Connect without touching the schema: to look at a copy (a backup being made or
    /// restored, a file `zhikong check` examines) exactly as it is.
    pub async fn connect_unmigrated(url: &str) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StoreError::Open(format!(
                "unsupported database URL {url:?}: expected sqlite:// or postgres://"
            )));
        };
        let options: AnyConnectOptions = url
            .parse()
            .map_err(|e| StoreError::Open(format!("bad database URL: {e}")))?;
        let store = match backend {
            Backend::Sqlite => {
                let read = sqlite_pool(&options, 4).await?;
                let write = sqlite_pool(&options, 1).await?;
                Store {
                    backend,
                    url: url.to_owned(),
                    read,
                    write,
                }
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    // A stopped database must be said within 2 s (503, docs/OPERATIONS.md):
                    // sqlx retries a refused connection until this wait runs out.
                    .acquire_timeout(PG_ACQUIRE_TIMEOUT)
                    .connect_with(options)
                    .await
                    .map_err(|e| StoreError::Open(e.to_string()))?;
                Store {
                    backend,
                    url: url.to_owned(),
                    read: pool.clone(),
                    write: pool,
                }
            }
        };
        Ok(store)
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    async fn migrate(&self) -> Result<()> {
        let migrator = match self.backend {
            Backend::Sqlite => sqlx::migrate!("migrations/sqlite"),
            Backend::Postgres => sqlx::migrate!("migrations/postgres"),
        };
        migrator
            .run(&self.write)
            .await
            .map_err(|e| StoreError::Open(format!("migration: {e}")))
    }

    /// A transaction that may write. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`), so a writer of another process sharing the file waits for it (busy timeout)
    /// instead of failing when both try to upgrade a read to a write.
    pub async fn write(&self) -> Result<Tx> {
        let inner = match self.backend {
            Backend::Sqlite => self.write.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.write.begin().await?,
        };
        Ok(Tx {
            inner,
            backend: self.backend,
        })
    }

    /// A transaction for reading: on SQLite it does not wait for the writer.
    pub async fn read(&self) -> Result<Tx> {
        Ok(Tx {
            inner: self.read.begin().await?,
            backend: self.backend,
        })
    }

    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }
}

async fn sqlite_pool(options: &AnyConnectOptions, size: u32) -> Result<AnyPool> {
    let pool = AnyPoolOptions::new()
        .max_connections(size)
        .min_connections(1)
        .after_connect(|conn, _meta| {
            Box::pin(async move {
                // WAL: readers never block the writer; NORMAL is durable across application
                // crashes and loses at most the last commits on power loss, as WAL intends.
                conn.execute("PRAGMA journal_mode = WAL").await?;
                conn.execute("PRAGMA synchronous = NORMAL").await?;
                conn.execute("PRAGMA foreign_keys = ON").await?;
                conn.execute("PRAGMA busy_timeout = 10000").await?;
                conn.execute("PRAGMA cache_size = -65536").await?;
                Ok(())
            })
        })
        .connect_with(options.clone())
        .await
        .map_err(|e| StoreError::Open(e.to_string()))?;
    Ok(pool)
}

impl Tx {
    pub async fn commit(self) -> Result<()> {
        self.inner.commit().await?;
        Ok(())
    }

    pub async fn rollback(self) -> Result<()> {
        self.inner.rollback().await?;
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    fn conn(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.inner
    }
}

/// The exclusive upper bound of a prefix range: every string starting with `prefix` sorts in
/// `[prefix, upper)`. A range, unlike `LIKE 'x%'`, uses a plain index on both backends.
pub(crate) fn prefix_upper(prefix: &str) -> String {
    let mut s = prefix.to_owned();
    s.push(char::MAX);
    s
}

#[doc(hidden)]
impl Tx {
    /// Raw SQL for the conformance suite (e.g. to prove the audit log refuses UPDATE).
    pub async fn execute_raw_for_tests(&mut self, sql: &str) -> Result<u64> {
        Ok(sqlx::query(sql).execute(self.conn()).await?.rows_affected())
    }
}
