//! Logging in and out, server-side sessions, CSRF tokens and login rate limiting.

mod password;
mod session;

pub use password::{dummy_hash, hash_password, verify_password};
pub use session::{LoginOutcome, login, logout, resolve_session};
