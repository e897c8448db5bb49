//! The one error for a value that failed to parse: a stable machine code (for the API and for
//! translation) and a sentence a person can act on.

/// Why a value was refused. `code` is stable and machine-readable; `message` is English prose
/// naming the problem (the web layer translates by `code` where it has a translation).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ValueError {
    pub code: &'static str,
    pub message: String,
}

impl ValueError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}
