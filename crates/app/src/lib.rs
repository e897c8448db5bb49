//! zhikong's use cases. Each one opens one transaction, checks the actor's role and area
//! scope, decides with the domain, saves through the store and records the audit entry in the
//! same transaction — so a request either happens whole, audit included, or not at all.

pub mod actor;
pub mod areas;
pub mod areas_import;
pub mod audit;
pub mod auth;
pub mod codes;
pub mod demo;
pub mod economy;
pub mod error;
pub mod keys;
pub mod map;
pub mod people;
pub mod stats;

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
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            session_minutes: 12 * 60,
            login_max_failures_per_user: 5,
            login_max_failures_per_addr: 30,
            login_window_minutes: 15,
        }
    }
}

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

    pub(crate) fn keyring(&self) -> Result<&keys::KeyRing> {
        self.keys.as_deref().ok_or_else(|| {
            AppError::Internal("no signing keys are configured (see `zhikong keys`)".into())
        })
    }
}
