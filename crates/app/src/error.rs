//! The app layer's error: each kind maps to one HTTP status at the web edge, and carries a
//! message a person can act on. Nothing a user typed ever becomes `Internal`.

use domain::ValueError;
use store::StoreError;

/// A refused field: which one, a stable code, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, code: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            code: code.to_owned(),
            message: message.into(),
        }
    }

    /// Attach a field name to a domain value error.
    pub fn from_value(field: &str, e: ValueError) -> Self {
        Self::new(field, e.code, e.message)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 400/422: one or more fields refused.
    #[error("invalid input: {}", .0.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
    /// 401: no or expired login.
    #[error("login required")]
    Unauthenticated,
    /// 401 at login: wrong username or password (never says which).
    #[error("wrong username or password")]
    BadCredentials,
    /// 429: too many failed logins.
    #[error("too many failed logins; try again in {minutes} minutes")]
    RateLimited { minutes: i64 },
    /// 403: the role lacks the right, or the record lies outside the account's area.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// 404.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// 409: a unique value is taken.
    #[error("{field}: {message}")]
    Conflict { field: String, message: String },
    /// 503: the database cannot be reached right now; the request may be repeated later.
    #[error("the database is temporarily unavailable; try again shortly")]
    Unavailable,
    /// 500: the database failed; details go to the log, not to the user.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn invalid(field: &str, code: &str, message: impl Into<String>) -> Self {
        Self::Invalid(vec![FieldError::new(field, code, message)])
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => AppError::NotFound(what),
            StoreError::Conflict(what) => AppError::Conflict {
                field: String::new(),
                message: format!("already exists ({what})"),
            },
            StoreError::Unavailable(detail) => {
                // Logged once here with its cause; the answer only says "try again".
                ::tracing::warn!(%detail, "database unavailable");
                AppError::Unavailable
            }
            other => AppError::Internal(other.to_string()),
        }
    }
}

/// Collects field errors so that a form reports every problem at once.
#[derive(Debug, Default)]
pub struct Validation {
    errors: Vec<FieldError>,
}

impl Validation {
    pub fn check<T>(&mut self, field: &str, r: Result<T, ValueError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.errors.push(FieldError::from_value(field, e));
                None
            }
        }
    }

    pub fn push(&mut self, e: FieldError) {
        self.errors.push(e);
    }

    pub fn finish(self) -> Result<(), AppError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(self.errors))
        }
    }
}
