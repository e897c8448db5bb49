//! zhikong's use cases. Each one opens one transaction, checks the actor's role and area
//! scope, decides with the domain, saves through the store and records the audit entry in the
//! same transaction — so a request either happens whole, audit included, or not at all.

pub mod actor;
pub mod areas;
pub mod areas_admin;
pub mod areas_import;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod cases;
pub mod check;
pub mod checkpoints;
pub mod codes;
pub mod command;
pub mod demo;
pub mod economy;
pub mod enterprise;
pub mod error;
pub mod jobs;
pub mod keys;
pub mod map;
pub mod people;
pub mod quarantine;
pub mod stats;
pub mod tracing;

pub use actor::Actor;
pub use error::{AppError, FieldError};

use store::Store;

pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// Settings the use cases need; the binary fills them from flags, file and environment.
#[derive(Debug, Clone)]
pub struct Settings {
    /// How long a login lasts without activity, in minutes.
    pub session_minutes: i64,
    /// Failed logins allowed per username within `login_window_minutes`.
    pub login_max_failures_per_user: i64,
    /// Failed logins allowed per client address within `login_window_minutes`.
    pub login_max_failures_per_addr: i64,
    pub login_window_minutes: i64,
    /// The day the platform treats as today; None for the calendar day in Asia/Shanghai. Set
    /// for a replayed demo (the demo records its day, see [`App::load_as_of`]) or a drill.
    pub as_of: Option<chrono::NaiveDate>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            session_minutes: 12 * 60,
            login_max_failures_per_user: 5,
            login_max_failures_per_addr: 30,
            login_window_minutes: 15,
            as_of: None,
        }
    }
}

/// Key of the replayed day in `platform_meta`.
pub const AS_OF_KEY: &str = "as_of";

/// The application: the store, the settings and the credential signing keys. Cheap to clone;
/// one per process.
#[derive(Clone)]
pub struct App {
    pub store: Store,
    pub settings: Settings,
    /// Without keys the platform runs, but cannot issue or verify ZK1 codes.
    pub keys: Option<std::sync::Arc<keys::KeyRing>>,
}

impl App {
    pub fn new(store: Store, settings: Settings) -> Self {
        Self {
            store,
            settings,
            keys: None,
        }
    }

    pub fn with_keys(mut self, keys: keys::KeyRing) -> Self {
        self.keys = Some(std::sync::Arc::new(keys));
        self
    }

    /// Today for the records (declarations, check-ins, rules): the configured day, else the
    /// calendar day in Asia/Shanghai. Credential expiry always uses the real clock.
    pub fn today(&self) -> chrono::NaiveDate {
        self.settings
            .as_of
            .unwrap_or_else(|| domain::time::to_local(domain::time::now_ms()).date_naive())
    }

    /// Take the day a replayed demo stands on from the database, unless a day is configured.
    pub async fn load_as_of(mut self) -> Result<Self> {
        if self.settings.as_of.is_none() {
            let mut tx = self.store.read().await?;
            let stored = tx.meta(AS_OF_KEY).await?;
            tx.rollback().await?;
            self.settings.as_of = stored.and_then(|d| d.parse().ok());
        }
        Ok(self)
    }

    pub(crate) fn keyring(&self) -> Result<&keys::KeyRing> {
        self.keys.as_deref().ok_or_else(|| {
            AppError::Internal("no signing keys are configured (see `zhikong keys`)".into())
        })
    }
}
