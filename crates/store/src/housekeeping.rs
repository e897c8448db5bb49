//! Deleting what has served its time: expired sessions and old login attempts (the daily
//! `purge_sessions` job).

use crate::{Result, Tx};

impl Tx {
    /// Delete sessions that expired before `now`; how many.
    pub async fn purge_expired_sessions(&mut self, now: i64) -> Result<u64> {
        Ok(sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(now)
            .execute(self.conn())
            .await?
            .rows_affected())
    }

    /// Delete login attempts made before `before`; how many. The rate limit only looks at the
    /// last window, so anything older only keeps who tried which username from where.
    pub async fn purge_login_attempts(&mut self, before: i64) -> Result<u64> {
        Ok(sqlx::query("DELETE FROM login_attempts WHERE at < $1")
            .bind(before)
            .execute(self.conn())
            .await?
            .rows_affected())
    }
}
