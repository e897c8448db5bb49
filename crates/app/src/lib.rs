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

/// The application: the store and the settings. Cheap to clone; one per process.
#[derive(Clone)]
pub struct App {
    pub store: Store,
    pub settings: Settings,
}

impl App {
    pub fn new(store: Store, settings: Settings) -> Self {
        Self { store, settings }
    }
}
