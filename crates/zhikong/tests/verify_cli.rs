//! `zhikong verify` as a person runs it: one JSON verdict on stdout, exit 0/1/2.

use std::io::Write as _;
use std::process::{Command, Output, Stdio};

use credential::chrono::{DateTime, Utc};
use credential::{Claims, Colour, DEFAULT_TTL, SigningKey, TrustStore};

const DCC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/dcc");

fn zhikong(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zhikong"))
        .arg("verify")
        .args(args)
        // No database, data directory or configuration is touched.
        .env("ZHIKONG_DATA", "/nonexistent/zhikong-data")
        .env("ZHIKONG_CONFIG", "/nonexistent/zhikong.toml")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn verdict(out: &Output) -> serde_json::Value {
    let stdout = String::from_utf8(out.stdout.clone()).unwrap();
    assert_eq!(stdout.lines().count(), 1, "one JSON line: {stdout}");
    serde_json::from_str(&stdout).unwrap()
}

struct Dcc {
    text: String,
    at: String,
    cert: tempfile::NamedTempFile,
}

fn dcc(file: &str) -> Dcc {
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{DCC}/{file}")).unwrap()).unwrap();
    let mut cert = tempfile::NamedTempFile::new().unwrap();
    writeln!(cert, "{}", doc["TESTCTX"]["CERTIFICATE"].as_str().unwrap()).unwrap();
    Dcc {
        text: doc["PREFIX"].as_str().unwrap().to_owned(),
        at: doc["TESTCTX"]["VALIDATIONCLOCK"]
            .as_str()
            .unwrap()
            .to_owned(),
        cert,
    }
}

#[test]
fn valid_dcc_exits_0() {
    let d = dcc("DE/1.json");
    let cert = d.cert.path().to_str().unwrap();
    let out = zhikong(&["--trust-cert", cert, "--at", &d.at, &d.text], None);
    let v = verdict(&out);
    assert_eq!(out.status.code(), Some(0), "{v}");
    assert_eq!(v["valid"], true);
    assert_eq!(v["format"], "HC1");
    // The same from standard input, with the line break a shell adds.
    let out = zhikong(
        &["--trust-cert", cert, "--at", &d.at, "-"],
        Some(&format!("{}\n", d.text)),
    );
    assert_eq!(out.status.code(), Some(0));
    // Checked now, long after its expiry.
    let out = zhikong(&["--trust-cert", cert, &d.text], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(verdict(&out)["checks"]["expiry"], false);
}

#[test]
fn garbage_exits_1_with_a_verdict() {
    let out = zhikong(&["not a code"], None);
    assert_eq!(out.status.code(), Some(1));
    let v = verdict(&out);
    assert_eq!(v["valid"], false);
    assert_eq!(v["checks"]["prefix"], false);
    assert!(v["error"].as_str().unwrap().contains("prefix"));
}

#[test]
fn usage_errors_exit_2_without_a_verdict() {
    let d = dcc("DE/1.json");
    for args in [
        vec!["--trust-cert", "/nonexistent/cert.pem", &d.text],
        vec!["--trust-list", "/nonexistent/list.json", &d.text],
        vec!["--at", "yesterday", &d.text],
        vec![],
    ] {
        let out = zhikong(&args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    // A file that is not a certificate.
    let mut junk = tempfile::NamedTempFile::new().unwrap();
    writeln!(junk, "hello").unwrap();
    let out = zhikong(
        &["--trust-cert", junk.path().to_str().unwrap(), &d.text],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn zk1_with_a_trust_list() {
    let key = SigningKey::generate().unwrap();
    let now: DateTime<Utc> = "2025-05-01T10:00:00Z".parse().unwrap();
    let claims = Claims {
        issuer: "zhikong.test".into(),
        reference: "p-42".into(),
        colour: Colour::Red,
        since: "2025-04-30".parse().unwrap(),
        masked_name: "赵*".into(),
    };
    let code = credential::issue(&key, &claims, now, DEFAULT_TTL).unwrap();
    let mut store = TrustStore::new();
    store.add_public_key(key.public_key(), None, None);
    let mut list = tempfile::NamedTempFile::new().unwrap();
    serde_json::to_writer(&mut list, &store.to_trust_list()).unwrap();
    let list = list.path().to_str().unwrap();
    let out = zhikong(
        &["--trust-list", list, "--at", "2025-05-01T10:01:00Z", &code],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let v = verdict(&out);
    assert_eq!(
        (v["format"].as_str(), v["claims"]["col"].as_str()),
        (Some("ZK1"), Some("red"))
    );
    let out = zhikong(
        &["--trust-list", list, "--at", "2025-05-01T10:06:00Z", &code],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(verdict(&out)["checks"]["expiry"], false);
}

#[test]
fn zk1_with_a_signed_trust_list_and_its_anchor() {
    let key = SigningKey::generate().unwrap();
    let anchor = SigningKey::generate().unwrap();
    let now: DateTime<Utc> = "2025-05-01T10:00:00Z".parse().unwrap();
    let claims = Claims {
        issuer: "zhikong.test".into(),
        reference: "p-43".into(),
        colour: Colour::Green,
        since: "2025-04-30".parse().unwrap(),
        masked_name: "钱*".into(),
    };
    let code = credential::issue(&key, &claims, now, DEFAULT_TTL).unwrap();
    let mut store = TrustStore::new();
    store.add_public_key(key.public_key(), None, None);
    let body = serde_json::to_vec(&store.to_trust_list()).unwrap();
    let doc = credential::SignedDocument::sign(&anchor, "zhikong-trust-list", &body).unwrap();
    let mut list = tempfile::NamedTempFile::new().unwrap();
    serde_json::to_writer(&mut list, &doc).unwrap();
    let pin = |k: &SigningKey| {
        let mut s = TrustStore::new();
        s.add_public_key(k.public_key(), None, None);
        let mut f = tempfile::NamedTempFile::new().unwrap();
        serde_json::to_writer(&mut f, &s.to_trust_list()).unwrap();
        f
    };
    let good = pin(&anchor);
    let wrong = pin(&key);
    let list = list.path().to_str().unwrap();
    fn args<'a>(list: &'a str, anchor: Option<&'a str>, code: &'a str) -> Vec<&'a str> {
        let mut v = vec!["--trust-list", list];
        if let Some(a) = anchor {
            v.extend(["--trust-anchor", a]);
        }
        v.extend(["--at", "2025-05-01T10:01:00Z", code]);
        v
    }
    let out = zhikong(&args(list, good.path().to_str(), &code), None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The wrong anchor, or none, is a usage error: the list cannot be trusted.
    let out = zhikong(&args(list, wrong.path().to_str(), &code), None);
    assert_eq!(out.status.code(), Some(2));
    let out = zhikong(&args(list, None, &code), None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--trust-anchor"));
}
