//! Who is asking: extractors that turn the session cookie (pages) or a bearer token (API
//! clients and devices) into an `Actor`, with the CSRF rule for cookie-authenticated writes.

use std::net::SocketAddr;

use app::{Actor, AppError};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;

use crate::AppState;
use crate::error::ApiError;
use crate::i18n::Lang;

pub const SESSION_COOKIE: &str = "zk_session";
pub const LANG_COOKIE: &str = "zk_lang";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The peer address; behind a proxy this is the proxy (forwarded headers are not trusted,
/// since anyone can send them).
pub fn client_addr(parts: &Parts) -> String {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_owned(), |ci| ci.0.ip().to_string())
}

pub fn lang_of(headers: &HeaderMap) -> Lang {
    CookieJar::from_headers(headers)
        .get(LANG_COOKIE)
        .and_then(|c| Lang::from_tag(c.value()))
        .unwrap_or_default()
}

fn path_of(parts: &Parts) -> String {
    parts
        .uri
        .path_and_query()
        .map_or("/", |pq| pq.as_str())
        .to_owned()
}

/// A page request from anyone, signed in or not.
pub struct Visitor {
    pub lang: Lang,
    pub path: String,
    pub client: String,
    pub viewer: Option<Viewer>,
    /// A session cookie came but the database could not be asked about it: the visitor may
    /// well be signed in, so they must not be treated as signed out (sent to the login page).
    pub lookup_failed: bool,
}

/// A page request from a signed-in account.
pub struct Viewer {
    pub actor: Actor,
    pub csrf: String,
    pub token: String,
    pub lang: Lang,
    pub path: String,
}

impl Viewer {
    pub fn chrome(&self) -> crate::chrome::Chrome {
        crate::chrome::Chrome::for_actor(self.lang, &self.path, &self.actor, &self.csrf)
    }

    /// Forms carry the session's CSRF token; a mismatch means the form came from elsewhere.
    pub fn check_csrf(&self, sent: &str) -> Result<(), AppError> {
        if !sent.is_empty() && constant_time_eq(sent.as_bytes(), self.csrf.as_bytes()) {
            Ok(())
        } else {
            Err(AppError::Forbidden(
                "the form has expired or came from another site; reload and try again".into(),
            ))
        }
    }
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let lang = lang_of(&parts.headers);
        let path = path_of(parts);
        let client = client_addr(parts);
        let token = CookieJar::from_headers(&parts.headers)
            .get(SESSION_COOKIE)
            .map(|c| c.value().to_owned());
        let mut lookup_failed = false;
        let viewer = match token {
            Some(token) => match app::auth::resolve_session(&state.app, &token, &client).await {
                Ok((actor, csrf)) => Some(Viewer {
                    actor,
                    csrf,
                    token,
                    lang,
                    path: path.clone(),
                }),
                Err(AppError::Unavailable) => {
                    lookup_failed = true;
                    None
                }
                Err(_) => None,
            },
            None => None,
        };
        Ok(Visitor {
            lang,
            path,
            client,
            viewer,
            lookup_failed,
        })
    }
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Ok(visitor) = Visitor::from_request_parts(parts, state).await;
        if visitor.lookup_failed {
            return Err(crate::error::unavailable_page(
                crate::chrome::Chrome::anonymous(visitor.lang, &visitor.path),
            ));
        }
        visitor.viewer.ok_or_else(|| {
            let next = urlencode(&visitor.path);
            Redirect::to(&format!("/login?next={next}")).into_response()
        })
    }
}

/// An API request from an account: `Authorization: Bearer <token>` or the session cookie;
/// with the cookie, a request that changes anything must repeat the CSRF token in
/// `X-CSRF-Token`, because a browser would attach the cookie to a forged request too.
pub struct ApiActor(pub Actor);

impl FromRequestParts<AppState> for ApiActor {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let client = client_addr(parts);
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|t| t.trim().to_owned());
        let (token, via_cookie) = match bearer {
            Some(t) => (t, false),
            None => match CookieJar::from_headers(&parts.headers).get(SESSION_COOKIE) {
                Some(c) => (c.value().to_owned(), true),
                None => {
                    return Err(ApiError::new(
                        StatusCode::UNAUTHORIZED,
                        "unauthenticated",
                        "log in first: POST /api/v1/session, then send Authorization: Bearer <token>",
                    ));
                }
            },
        };
        let (actor, csrf) = app::auth::resolve_session(&state.app, &token, &client).await?;
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if via_cookie && !safe {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !constant_time_eq(sent.as_bytes(), csrf.as_bytes()) {
                return Err(ApiError::field(
                    StatusCode::FORBIDDEN,
                    "csrf",
                    CSRF_HEADER,
                    "a cookie-authenticated change needs the session's CSRF token in X-CSRF-Token",
                ));
            }
        }
        Ok(ApiActor(actor))
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub fn urlencode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// Only local paths may be redirect targets, so `next=` cannot send anyone to another site.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/home".to_owned(),
    }
}

/// The client address as an extractor, for handlers that need nothing else of the request.
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(client_addr(parts)))
    }
}
