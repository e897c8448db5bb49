//! zhikong's web edge: server-rendered pages (zh-CN first), the JSON API under `/api/v1`
//! with its OpenAPI document, sessions and CSRF. It speaks; the app layer decides.

mod assets;
mod auth;
mod chrome;
mod error;
pub mod i18n;
mod json;
mod routes;

use std::net::SocketAddr;

use app::App;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use tokio::net::TcpListener;

pub use routes::openapi::openapi_json;

/// Largest request body accepted anywhere (scan batches of 1,000 fit comfortably).
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

#[derive(Clone)]
pub struct AppState {
    pub app: App,
}

pub fn router(app: App) -> Router {
    let state = AppState { app };
    routes::router()
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(assets::security_headers))
        .with_state(state)
}

/// Serve until the process is told to stop (Ctrl-C / SIGTERM).
pub async fn serve(app: App, listener: TcpListener) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(app).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
