//! A database outage is said plainly (issue 14, item 8): with PostgreSQL stopped, `/healthz`
//! answers within 1 s, an API request gets 503 `database_unavailable` with `Retry-After` within
//! 2 s, a page says "系统暂时不可用" instead of sending a signed-in user to the login page; once
//! PostgreSQL is back, the same requests succeed without restarting zhikong.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use crate::common::{PASSWORD, client};

/// zhikong on the small demo in the PostgreSQL database at `url`, served from a thread of its own.
fn serve_on(url: String) -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let store = store::Store::connect(&url).await.unwrap();
            app::demo::generate(&store, app::demo::Scale::Small, 11)
                .await
                .unwrap();
            let app = app::App::new(store, app::Settings::default());
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            web::serve(app, listener).await.unwrap();
        });
    });
    rx.recv().expect("server on PostgreSQL started")
}

#[tokio::test]
async fn a_stopped_database_is_said_plainly_and_recovered_from() {
    let Some(pg) = testkit::PgCluster::start() else {
        return;
    };
    let addr = serve_on(pg.create_database("outage"));
    let url = |p: &str| format!("http://{addr}{p}");
    let http = client();

    let res = http
        .post(url("/api/v1/session"))
        .json(&serde_json::json!({"username": "commander", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let token = res.json::<serde_json::Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let me = || http.get(url("/api/v1/me")).bearer_auth(&token).send();
    let home = || {
        http.get(url("/home"))
            .header("cookie", format!("zk_session={token}"))
            .send()
    };
    assert_eq!(me().await.unwrap().status(), 200);
    assert_eq!(home().await.unwrap().status(), 200);

    pg.stop();

    let started = Instant::now();
    let health = http.get(url("/healthz")).send().await.unwrap();
    let took = started.elapsed();
    assert_eq!(health.status(), 503);
    let body: serde_json::Value = health.json().await.unwrap();
    assert_eq!(body["database"], "unreachable", "{body}");
    assert!(took < Duration::from_secs(1), "/healthz took {took:?}");

    let started = Instant::now();
    let res = me().await.unwrap();
    let took = started.elapsed();
    assert_eq!(res.status(), 503);
    assert!(
        res.headers().get("retry-after").is_some(),
        "{:?}",
        res.headers()
    );
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "database_unavailable", "{body}");
    assert!(
        took < Duration::from_secs(2),
        "the API answer took {took:?}"
    );

    let started = Instant::now();
    let res = home().await.unwrap();
    let took = started.elapsed();
    assert_eq!(res.status(), 503, "not a redirect to the login page");
    assert!(res.headers().get("location").is_none());
    assert!(res.headers().get("retry-after").is_some());
    let html = res.text().await.unwrap();
    assert!(html.contains("系统暂时不可用，请稍后再试"), "{html}");
    assert!(took < Duration::from_secs(2), "the page took {took:?}");
    // The root follows the session to the (unavailable) home page, not to the login form.
    let res = http
        .get(url("/"))
        .header("cookie", format!("zk_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["location"], "/home");

    pg.start_again();

    // The pool reconnects by itself: no restart of zhikong.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let status = me().await.unwrap().status();
        if status == 200 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "still {status} 30 s after PostgreSQL came back"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(home().await.unwrap().status(), 200);
    assert_eq!(
        http.get(url("/healthz")).send().await.unwrap().status(),
        200
    );
}
