use std::process::Command;

use testkit::PgCluster;

fn is_ready(cluster: &PgCluster) -> bool {
    Command::new(cluster.bin_dir().join("pg_isready"))
        .args(["-h", "127.0.0.1", "-p", &cluster.port().to_string()])
        .status()
        .expect("run pg_isready")
        .success()
}

#[test]
fn cluster_starts_serves_and_cleans_up() {
    let Some(cluster) = PgCluster::start() else {
        return;
    };
    assert!(is_ready(&cluster));
    assert_eq!(
        cluster.url(),
        format!("postgres://postgres@127.0.0.1:{}/postgres", cluster.port())
    );
    assert_eq!(cluster.psql("postgres", "select 1 + 1"), "2");

    let url = cluster.create_database("testkit_fresh");
    assert!(url.ends_with("/testkit_fresh"), "{url}");
    assert_eq!(
        cluster.psql("testkit_fresh", "select current_database()"),
        "testkit_fresh"
    );
    assert_eq!(
        cluster.psql("testkit_fresh", "show server_encoding"),
        "UTF8"
    );

    let dir = cluster.dir().to_owned();
    let pg_isready = cluster.bin_dir().join("pg_isready");
    let port = cluster.port().to_string();
    drop(cluster);
    assert!(!dir.exists(), "{} still exists", dir.display());
    let answers = Command::new(pg_isready)
        .args(["-h", "127.0.0.1", "-p", &port])
        .status()
        .expect("run pg_isready")
        .success();
    assert!(!answers, "server still answers on port {port}");
}

#[test]
fn shared_cluster_is_started_once() {
    let Some(a) = PgCluster::shared() else {
        return;
    };
    let b = PgCluster::shared().unwrap();
    assert!(std::ptr::eq(a, b));
    a.create_database("testkit_shared");
    assert_eq!(b.psql("testkit_shared", "select 'ok'"), "ok");
}
