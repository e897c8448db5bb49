//! Server-side sessions: the browser holds a random token; the database holds its SHA-256 and
//! the account, so a stolen database does not yield live tokens, and any web node can serve any
//! request. Each session carries its own CSRF token for forms.

use rand::RngCore;
use sha2::{Digest, Sha256};
use store::{NewSession, SessionUser};

use crate::{Actor, App, AppError, Result};

use super::password::{dummy_hash, verify_password};

pub struct LoginOutcome {
    /// The secret for the cookie or the `Authorization: Bearer` header.
    pub token: String,
    pub csrf_token: String,
    pub actor: Actor,
}

fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Check the password and open a session. Failed attempts are counted per username and per
/// address; past the limit, even a right password is refused until the window passes.
pub async fn login(
    app: &App,
    username: &str,
    password: &str,
    client_addr: &str,
) -> Result<LoginOutcome> {
    let s = &app.settings;
    let now = domain::time::now_ms();
    let since = now - s.login_window_minutes * 60_000;
    let username = username.trim();
    if username.is_empty() {
        return Err(AppError::invalid(
            "username",
            "required",
            "username is required",
        ));
    }
    if password.is_empty() {
        return Err(AppError::invalid(
            "password",
            "required",
            "password is required",
        ));
    }
    let mut tx = app.store.write().await?;
    let (by_user, by_addr) = tx.failed_logins_since(username, client_addr, since).await?;
    if by_user >= s.login_max_failures_per_user || by_addr >= s.login_max_failures_per_addr {
        return Err(AppError::RateLimited {
            minutes: s.login_window_minutes,
        });
    }
    let user = tx.user_by_username(username).await?;
    let hash = user
        .as_ref()
        .map_or(dummy_hash(), |u| u.password_hash.as_str());
    let ok =
        verify_password(password, hash) && user.as_ref().is_some_and(|u| u.disabled_at.is_none());
    tx.record_login_attempt(username, client_addr, ok, now)
        .await?;
    let Some(user) = user.filter(|_| ok) else {
        // The failed attempt must be remembered even though the login fails.
        tx.commit().await?;
        return Err(AppError::BadCredentials);
    };
    let token = random_token();
    let csrf_token = random_token();
    tx.insert_session(
        &NewSession {
            token_hash: token_hash(&token),
            user_id: user.id,
            csrf_token: csrf_token.clone(),
            client_addr: client_addr.to_owned(),
            expires_at: now + s.session_minutes * 60_000,
        },
        now,
    )
    .await?;
    let area = tx.area(user.area_id).await?;
    let actor = actor_of(
        SessionUser {
            user,
            csrf_token: csrf_token.clone(),
            expires_at: 0,
        },
        &area.kind,
        client_addr,
    )?;
    tx.insert_audit(&actor.audit("session.login", "user", actor.user_id), now)
        .await?;
    tx.commit().await?;
    Ok(LoginOutcome {
        token,
        csrf_token,
        actor,
    })
}

pub async fn logout(app: &App, token: &str) -> Result<()> {
    let mut tx = app.store.write().await?;
    tx.delete_session(&token_hash(token)).await?;
    tx.commit().await?;
    Ok(())
}

/// The actor behind a session token and its CSRF token, or `Unauthenticated`.
pub async fn resolve_session(app: &App, token: &str, client_addr: &str) -> Result<(Actor, String)> {
    let now = domain::time::now_ms();
    let mut tx = app.store.read().await?;
    let found = tx
        .session(&token_hash(token), now)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let area = tx.area(found.user.area_id).await?;
    let csrf = found.csrf_token.clone();
    Ok((actor_of(found, &area.kind, client_addr)?, csrf))
}

fn actor_of(found: SessionUser, area_kind: &str, client_addr: &str) -> Result<Actor> {
    let u = found.user;
    let role = u
        .role
        .parse()
        .map_err(|_| AppError::Internal(format!("user {} has unknown role", u.id)))?;
    let scope_kind = area_kind
        .parse()
        .map_err(|_| AppError::Internal(format!("area {} has unknown kind", u.area_id)))?;
    Ok(Actor {
        user_id: u.id,
        username: u.username,
        display_name: u.display_name,
        role,
        scope_area_id: u.area_id,
        scope_kind,
        scope_path: u.area_path,
        person_id: u.person_id,
        client_addr: client_addr.to_owned(),
    })
}
