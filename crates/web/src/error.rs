//! App errors become answers here: JSON for the API, a page for the browser. Every kind a user
//! can cause is a 4xx naming the field and the problem; only a database failure is a 500, and
//! its details go to the log, not to the user. A database that cannot be reached is a 503 with
//! `Retry-After` (code `database_unavailable`; a page says so in plain words), never a 500 and
//! never "log in again".

use app::{AppError, FieldError};
use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::chrome::Chrome;

pub fn status_of(e: &AppError) -> StatusCode {
    match e {
        AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Unauthenticated | AppError::BadCredentials => StatusCode::UNAUTHORIZED,
        AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        AppError::Forbidden(_) => StatusCode::FORBIDDEN,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::Conflict { .. } => StatusCode::CONFLICT,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
    }
}

fn code_of(e: &AppError) -> &'static str {
    match e {
        AppError::Invalid(_) => "invalid",
        AppError::Unauthenticated => "unauthenticated",
        AppError::BadCredentials => "bad_credentials",
        AppError::RateLimited { .. } => "rate_limited",
        AppError::Forbidden(_) => "forbidden",
        AppError::NotFound(_) => "not_found",
        AppError::Conflict { .. } => "conflict",
        AppError::Internal(_) => "internal",
        AppError::Unavailable => "database_unavailable",
    }
}

/// Seconds a client is asked to wait before repeating a request the database could not serve.
pub const RETRY_AFTER_SECONDS: &str = "5";

/// The JSON error body of every API failure.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    pub status: u16,
    pub code: String,
    pub message: String,
    /// For `invalid` (and `conflict`): each refused field with its problem.
    pub fields: Vec<FieldErrorBody>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FieldErrorBody {
    pub field: String,
    pub code: String,
    pub message: String,
}

impl From<&FieldError> for FieldErrorBody {
    fn from(f: &FieldError) -> Self {
        Self {
            field: f.field.clone(),
            code: f.code.clone(),
            message: f.message.clone(),
        }
    }
}

/// An API failure.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    pub fields: Vec<FieldErrorBody>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.to_owned(),
            message: message.into(),
            fields: vec![],
        }
    }

    pub fn field(status: StatusCode, code: &str, field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self {
            status,
            code: code.to_owned(),
            message: format!("{field}: {message}"),
            fields: vec![FieldErrorBody {
                field: field.to_owned(),
                code: code.to_owned(),
                message,
            }],
        }
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        if let AppError::Internal(detail) = &e {
            tracing::error!(%detail, "internal error");
        }
        let fields = match &e {
            AppError::Invalid(fs) => fs.iter().map(FieldErrorBody::from).collect(),
            AppError::Conflict { field, message } if !field.is_empty() => vec![FieldErrorBody {
                field: field.clone(),
                code: "conflict".into(),
                message: message.clone(),
            }],
            _ => vec![],
        };
        let message = match &e {
            AppError::Internal(_) => "internal error; the details are in the server log".to_owned(),
            other => other.to_string(),
        };
        Self {
            status: status_of(&e),
            code: code_of(&e).to_owned(),
            message,
            fields,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                status: self.status.as_u16(),
                code: self.code,
                message: self.message,
                fields: self.fields,
            },
        };
        let mut response = (self.status, axum::Json(body)).into_response();
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static(RETRY_AFTER_SECONDS),
            );
        }
        response
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    c: Chrome,
    status: u16,
    message: String,
}

/// A page failure, rendered inside the normal frame.
pub struct PageError {
    pub chrome: Chrome,
    pub error: AppError,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        if matches!(self.error, AppError::Unavailable) {
            return unavailable_page(self.chrome);
        }
        let api = ApiError::from(self.error);
        let page = ErrorPage {
            c: self.chrome,
            status: api.status.as_u16(),
            message: api.message,
        };
        (api.status, render(&page)).into_response()
    }
}

/// The page shown while the database cannot be reached: "系统暂时不可用，请稍后再试", 503 with
/// `Retry-After`. Drawn from the chrome alone, so it needs nothing from the database.
pub fn unavailable_page(chrome: Chrome) -> Response {
    let page = ErrorPage {
        status: StatusCode::SERVICE_UNAVAILABLE.as_u16(),
        message: chrome.lang.t("error.unavailable").to_owned(),
        c: chrome,
    };
    let mut response = (StatusCode::SERVICE_UNAVAILABLE, render(&page)).into_response();
    response.headers_mut().insert(
        axum::http::header::RETRY_AFTER,
        axum::http::HeaderValue::from_static(RETRY_AFTER_SECONDS),
    );
    response
}

/// A page that may carry a refusal: what `loaded` read, drawn by `page` with `error`'s
/// message and answered with its status (a refusal names the field: 4xx; 200 without one);
/// the error page when the page itself could not be loaded.
pub fn page_or_error<T, P: Template>(
    v: &crate::auth::Viewer,
    loaded: Result<T, AppError>,
    error: Option<AppError>,
    page: impl FnOnce(T, Option<String>) -> P,
) -> Response {
    let refusal = error.map(|e| (status_of(&e), e.to_string()));
    page_or_refusal(v, loaded, refusal, page)
}

/// [`page_or_error`] with the refusal already as its status and message.
pub fn page_or_refusal<T, P: Template>(
    v: &crate::auth::Viewer,
    loaded: Result<T, AppError>,
    refusal: Option<(StatusCode, String)>,
    page: impl FnOnce(T, Option<String>) -> P,
) -> Response {
    match loaded {
        Ok(data) => {
            let (status, message) = refusal.map_or((StatusCode::OK, None), |(s, m)| (s, Some(m)));
            (status, render(&page(data, message))).into_response()
        }
        Err(e) => v.error_page(e),
    }
}

impl crate::auth::Viewer {
    /// The error page of a request that cannot be shown otherwise.
    pub fn error_page(&self, error: AppError) -> Response {
        PageError {
            chrome: self.chrome(),
            error,
        }
        .into_response()
    }
}

/// Render a template; a template error is a bug, logged and answered with a 500.
pub fn render<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => axum::response::Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "template error").into_response()
        }
    }
}
