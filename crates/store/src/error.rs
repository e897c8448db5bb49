//! The store's error: what went wrong in terms the app layer can act on.

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the database: {0}")]
    Open(String),
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A unique constraint refused the write; the text names the constraint.
    #[error("already exists: {0}")]
    Conflict(String),
    /// The database cannot be reached (stopped, restarting, network gone, every connection
    /// busy past the pool's wait): nothing the request did is at fault, and a retry may succeed.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    #[error("database error: {0}")]
    Database(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e
            && db.is_unique_violation()
        {
            return StoreError::Conflict(db.message().to_owned());
        }
        if is_unavailable(&e) {
            return StoreError::Unavailable(e.to_string());
        }
        StoreError::Database(e)
    }
}

/// Errors that say "the database is not there right now" rather than "this statement is wrong":
/// the pool's wait ran out (sqlx retries refused connections until then), the socket broke, or
/// PostgreSQL said it is shutting down or starting (SQLSTATE class 08 connection exception,
/// 57P01–57P03).
fn is_unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => true,
        sqlx::Error::Tls(_) | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => db
            .code()
            .is_some_and(|c| c.starts_with("08") || matches!(&*c, "57P01" | "57P02" | "57P03")),
        _ => false,
    }
}
