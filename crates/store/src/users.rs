//! Accounts, their server-side sessions, and login attempts (for rate limiting).

use sqlx::Row;

use crate::{Result, Tx};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub area_id: i64,
    pub area_path: String,
    pub person_id: Option<i64>,
    pub password_hash: String,
    pub disabled_at: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub area_id: i64,
    pub area_path: String,
    pub person_id: Option<i64>,
    pub password_hash: String,
}

#[derive(Debug, Clone)]
pub struct NewSession {
    pub token_hash: String,
    pub user_id: i64,
    pub csrf_token: String,
    pub client_addr: String,
    pub expires_at: i64,
}

/// A live session joined with its account.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub user: UserRow,
    pub csrf_token: String,
    pub expires_at: i64,
}

const COLUMNS: &str =
    "id, username, display_name, role, area_id, area_path, person_id, password_hash, disabled_at";

impl Tx {
    pub async fn insert_user(&mut self, u: &NewUser, now: i64) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO users (username, display_name, role, area_id, area_path, person_id,
                                password_hash, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(&u.username)
        .bind(&u.display_name)
        .bind(&u.role)
        .bind(u.area_id)
        .bind(&u.area_path)
        .bind(u.person_id)
        .bind(&u.password_hash)
        .bind(now)
        .fetch_one(self.conn())
        .await?;
        Ok(row.try_get(0)?)
    }

    pub async fn user_by_username(&mut self, username: &str) -> Result<Option<UserRow>> {
        Ok(
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE username = $1"))
                .bind(username)
                .fetch_optional(self.conn())
                .await?,
        )
    }

    pub async fn user(&mut self, id: i64) -> Result<UserRow> {
        self.one_by_id(
            &format!("SELECT {COLUMNS} FROM users WHERE id = $1"),
            id,
            "user",
        )
        .await
    }

    pub async fn list_users(&mut self) -> Result<Vec<UserRow>> {
        Ok(
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM users ORDER BY id"))
                .fetch_all(self.conn())
                .await?,
        )
    }

    pub async fn insert_session(&mut self, s: &NewSession, now: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, client_addr, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&s.token_hash)
        .bind(s.user_id)
        .bind(&s.csrf_token)
        .bind(&s.client_addr)
        .bind(now)
        .bind(s.expires_at)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// The session with this token hash, if it has not expired and its account is enabled.
    pub async fn session(&mut self, token_hash: &str, now: i64) -> Result<Option<SessionUser>> {
        let cols = COLUMNS
            .split(", ")
            .map(|c| format!("u.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let row = sqlx::query(&format!(
            "SELECT {cols}, s.csrf_token, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL"
        ))
        .bind(token_hash)
        .bind(now)
        .fetch_optional(self.conn())
        .await?;
        let Some(row) = row else { return Ok(None) };
        use sqlx::FromRow;
        Ok(Some(SessionUser {
            user: UserRow::from_row(&row)?,
            csrf_token: row.try_get("csrf_token")?,
            expires_at: row.try_get("expires_at")?,
        }))
    }

    pub async fn delete_session(&mut self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    pub async fn delete_expired_sessions(&mut self, now: i64) -> Result<u64> {
        Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(self.conn())
            .await?
            .rows_affected())
    }

    pub async fn record_login_attempt(
        &mut self,
        username: &str,
        client_addr: &str,
        success: bool,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO login_attempts (username, client_addr, success, at) VALUES ($1, $2, $3, $4)",
        )
        .bind(username)
        .bind(client_addr)
        .bind(i64::from(success))
        .bind(now)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Failed attempts since `since` for this username, and from this address.
    pub async fn failed_logins_since(
        &mut self,
        username: &str,
        client_addr: &str,
        since: i64,
    ) -> Result<(i64, i64)> {
        let row = sqlx::query(
            "SELECT
               (SELECT COUNT(*) FROM login_attempts WHERE username = $1 AND success = 0 AND at >= $3),
               (SELECT COUNT(*) FROM login_attempts WHERE client_addr = $2 AND success = 0 AND at >= $3)",
        )
        .bind(username)
        .bind(client_addr)
        .bind(since)
        .fetch_one(self.conn())
        .await?;
        Ok((row.try_get(0)?, row.try_get(1)?))
    }
}
