//! One server per test binary: the small demo zone on SQLite in a temporary directory, served
//! on a free port from a thread of its own, so that every test can reach it whatever runtime
//! the test itself runs on.

use std::net::SocketAddr;
use std::sync::OnceLock;

pub struct Server {
    pub addr: SocketAddr,
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

pub fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let dir = tempfile::tempdir().unwrap();
                let store = store::Store::open_sqlite(dir.path()).await.unwrap();
                app::demo::generate(&store, app::demo::Scale::Small, 7)
                    .await
                    .unwrap();
                app::economy::demo::generate(&store, 7).await.unwrap();
                let keys = app::keys::KeyRing::load_or_create(
                    &dir.path().join("keys"),
                    app::codes::default_ttl(),
                )
                .unwrap();
                let app = app::App::new(store, app::Settings::default()).with_keys(keys);
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                tx.send(listener.local_addr().unwrap()).unwrap();
                web::serve(app, listener).await.unwrap();
                drop(dir);
            });
        });
        Server {
            addr: rx.recv().expect("test server started"),
        }
    })
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub const PASSWORD: &str = app::demo::DEMO_PASSWORD;

/// Log in through the API; returns the bearer token.
pub async fn token(username: &str) -> String {
    let res = client()
        .post(server().url("/api/v1/session"))
        .json(&serde_json::json!({"username": username, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "login as {username}");
    let body: serde_json::Value = res.json().await.unwrap();
    body["token"].as_str().unwrap().to_owned()
}
