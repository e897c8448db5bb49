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

/// GET with a bearer token: (status, JSON body or null).
pub async fn get_json(tok: &str, path: &str) -> (u16, serde_json::Value) {
    let res = client()
        .get(server().url(path))
        .bearer_auth(tok)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(serde_json::Value::Null))
}

/// POST a JSON body with a bearer token: (status, JSON body or null).
pub async fn post_json(
    tok: &str,
    path: &str,
    body: &serde_json::Value,
) -> (u16, serde_json::Value) {
    let res = client()
        .post(server().url(path))
        .bearer_auth(tok)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(serde_json::Value::Null))
}

/// In the browser: sign in through the login form and wait for the home page.
pub async fn browser_log_in(
    c: &testkit::fantoccini::Client,
    username: &str,
) -> Result<(), testkit::fantoccini::error::CmdError> {
    use testkit::fantoccini::Locator;
    c.goto(&server().url("/login")).await?;
    c.find(Locator::Id("username"))
        .await?
        .send_keys(username)
        .await?;
    c.find(Locator::Id("password"))
        .await?
        .send_keys(PASSWORD)
        .await?;
    c.find(Locator::Id("login-submit")).await?.click().await?;
    c.wait().for_element(Locator::Id("home")).await?;
    Ok(())
}

/// In the browser: sign out through the header's form (it carries the CSRF token).
pub async fn browser_log_out(
    c: &testkit::fantoccini::Client,
) -> Result<(), testkit::fantoccini::error::CmdError> {
    use testkit::fantoccini::Locator;
    c.find(Locator::Css("form[action='/logout'] button"))
        .await?
        .click()
        .await?;
    c.wait().for_element(Locator::Id("login-form")).await?;
    Ok(())
}

/// A page with the session cookie: (status, HTML).
pub async fn page(tok: &str, path: &str) -> (u16, String) {
    let res = client()
        .get(server().url(path))
        .header("cookie", format!("zk_session={tok}"))
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// The CSRF token of the session, from a form on `path`.
pub async fn csrf(tok: &str, path: &str) -> String {
    let (_, html) = page(tok, path).await;
    let at = html
        .find("name=\"csrf\" value=\"")
        .expect("a form with its token")
        + 19;
    html[at..at + html[at..].find('"').unwrap()].to_owned()
}

/// POST a form with the session cookie: (status, Location, body).
pub async fn post_form(tok: &str, path: &str, form: &[(&str, &str)]) -> (u16, String, String) {
    let res = client()
        .post(server().url(path))
        .header("cookie", format!("zk_session={tok}"))
        .form(form)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, location, res.text().await.unwrap())
}

/// A multipart body as a browser sends the import form.
pub fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> (String, Vec<u8>) {
    let boundary = "----zhikongTestBoundary7";
    let mut body = vec![];
    for (k, v) in fields {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .bytes(),
        );
    }
    if let Some((name, data)) = file {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n").bytes());
        body.extend(data);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A server of one test's own, on the small demo in a directory of its own, which the test can
/// stop (a device losing its link, a crash) and start again on the same port and database.
pub struct OwnServer {
    pub dir: tempfile::TempDir,
    pub addr: SocketAddr,
    running: Option<(
        tokio::sync::oneshot::Sender<()>,
        std::thread::JoinHandle<()>,
    )>,
}

impl OwnServer {
    /// Generate the small demo (with `seed`) and serve it on a free port.
    pub async fn start(seed: u64) -> OwnServer {
        let dir = tempfile::tempdir().unwrap();
        let store = store::Store::open_sqlite(dir.path()).await.unwrap();
        app::demo::generate(&store, app::demo::Scale::Small, seed)
            .await
            .unwrap();
        store.close().await;
        let mut s = OwnServer {
            dir,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            running: None,
        };
        s.run();
        s
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Serve from a thread and runtime of its own, so that stopping it ends every connection.
    fn run(&mut self) {
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let dir = self.dir.path().to_owned();
        let addr = self.addr;
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let store = store::Store::open_sqlite(&dir).await.unwrap();
                let keys = app::keys::KeyRing::load_or_create(
                    &dir.join("keys"),
                    app::codes::default_ttl(),
                )
                .unwrap();
                let app = app::App::new(store, app::Settings::default()).with_keys(keys);
                // The same port again after a stop: reuse it despite connections in TIME_WAIT.
                let socket = tokio::net::TcpSocket::new_v4().unwrap();
                socket.set_reuseaddr(true).unwrap();
                socket.bind(addr).unwrap();
                let listener = socket.listen(1024).unwrap();
                addr_tx.send(listener.local_addr().unwrap()).unwrap();
                tokio::select! {
                    r = web::serve(app, listener) => r.unwrap(),
                    _ = stop_rx => {}
                }
            });
            // Drops the open connections' tasks: clients see the server gone.
            rt.shutdown_timeout(std::time::Duration::from_secs(2));
        });
        self.addr = addr_rx.recv().expect("own server started");
        self.running = Some((stop_tx, thread));
    }

    /// Stop serving: the port refuses connections until [`OwnServer::restart`].
    pub fn stop(&mut self) {
        if let Some((stop, thread)) = self.running.take() {
            let _ = stop.send(());
            thread.join().unwrap();
        }
    }

    /// Serve again on the same port and database.
    pub fn restart(&mut self) {
        self.stop();
        self.run();
    }
}

impl Drop for OwnServer {
    fn drop(&mut self) {
        self.stop();
    }
}
