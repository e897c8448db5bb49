//! Logging in and out, and the language switch.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::Deserialize;

use crate::AppState;
use crate::auth::{LANG_COOKIE, SESSION_COOKIE, Viewer, Visitor, safe_next};
use crate::chrome::Chrome;
use crate::error::{render, status_of};
use crate::i18n::Lang;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    c: Chrome,
    error: Option<String>,
    username: String,
}

#[derive(Deserialize)]
pub struct NextParam {
    next: Option<String>,
}

pub async fn page(v: Visitor, Query(q): Query<NextParam>) -> Response {
    if v.viewer.is_some() {
        return Redirect::to(&safe_next(q.next.as_deref())).into_response();
    }
    render(&LoginPage {
        c: Chrome::anonymous(v.lang, &v.path),
        error: None,
        username: String::new(),
    })
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

pub async fn submit(
    State(s): State<AppState>,
    v: Visitor,
    jar: CookieJar,
    Query(q): Query<NextParam>,
    Form(f): Form<LoginForm>,
) -> Response {
    match app::auth::login(&s.app, &f.username, &f.password, &v.client).await {
        Ok(out) => {
            let cookie = Cookie::build((SESSION_COOKIE, out.token))
                .path("/")
                .http_only(true)
                .same_site(SameSite::Lax)
                .build();
            (jar.add(cookie), Redirect::to(&safe_next(q.next.as_deref()))).into_response()
        }
        Err(e) => {
            let status = status_of(&e);
            if matches!(e, app::AppError::Unavailable) {
                return crate::error::unavailable_page(Chrome::anonymous(v.lang, &v.path));
            }
            let message = match (&e, v.lang) {
                (app::AppError::BadCredentials, Lang::Zh) => "用户名或密码错误。".to_owned(),
                (app::AppError::RateLimited { minutes }, Lang::Zh) => {
                    format!("登录失败次数过多，请 {minutes} 分钟后再试。")
                }
                _ => e.to_string(),
            };
            let page = LoginPage {
                c: Chrome::anonymous(v.lang, &v.path),
                error: Some(message),
                username: f.username,
            };
            (status, render(&page)).into_response()
        }
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub async fn logout(
    State(s): State<AppState>,
    v: Viewer,
    jar: CookieJar,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Err(e) = v.check_csrf(&f.csrf) {
        return v.error_page(e);
    }
    if let Err(e) = app::auth::logout(&s.app, &v.token).await {
        return v.error_page(e);
    }
    (
        jar.remove(Cookie::build(SESSION_COOKIE).path("/")),
        Redirect::to("/login"),
    )
        .into_response()
}

pub async fn switch_lang(
    Path(tag): Path<String>,
    jar: CookieJar,
    Query(q): Query<NextParam>,
) -> Response {
    let lang = Lang::from_tag(&tag).unwrap_or_default();
    let cookie = Cookie::build((LANG_COOKIE, lang.tag()))
        .path("/")
        .same_site(SameSite::Lax)
        .build();
    (jar.add(cookie), Redirect::to(&safe_next(q.next.as_deref()))).into_response()
}
