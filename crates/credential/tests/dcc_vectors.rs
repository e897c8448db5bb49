//! The EU DCC test vectors under shared/data/dcc: each file's certificate is the only trusted
//! key, its validation clock the instant, and every expected result present must hold.

use std::path::{Path, PathBuf};

use credential::chrono::{DateTime, NaiveDateTime, Utc};
use credential::{Checks, TrustStore, verify};

/// Reads one step's outcome from the checks.
type Step = fn(&Checks) -> Option<bool>;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/dcc");

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// The files write the clock as RFC 3339, some without an offset (read as UTC).
fn clock(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .or_else(|_| {
            NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f").map(|t| t.and_utc())
        })
        .unwrap_or_else(|e| panic!("clock {text:?}: {e}"))
}

#[test]
fn every_dcc_test_vector_passes() {
    let mut files = vec![];
    json_files(Path::new(DIR), &mut files);
    files.sort();
    assert!(files.len() >= 80, "expected the DCC vectors in {DIR}");
    let mut failures = vec![];
    let mut checked = 0;
    for file in &files {
        let name = file.strip_prefix(DIR).unwrap_or(file).display().to_string();
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let ctx = &doc["TESTCTX"];
        let mut trust = TrustStore::new();
        let cert = ctx["CERTIFICATE"].as_str().expect("certificate");
        trust
            .add_certificates(cert.as_bytes())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let at = ctx["VALIDATIONCLOCK"]
            .as_str()
            .map(clock)
            .unwrap_or_else(Utc::now);
        let text = doc["PREFIX"].as_str().unwrap_or("");
        let verdict = verify(text, &trust, at);
        let c = &verdict.checks;
        if std::env::var_os("DCC_VERBOSE").is_some() {
            eprintln!("{name}: valid={} {c:?} {:?}", verdict.valid, verdict.error);
        }
        let expected: [(&str, Step); 6] = [
            ("EXPECTEDUNPREFIX", |c| Some(c.prefix)),
            ("EXPECTEDB45DECODE", |c| c.base45),
            ("EXPECTEDCOMPRESSION", |c| c.zlib),
            ("EXPECTEDDECODE", |c| c.cose),
            ("EXPECTEDVERIFY", |c| c.signature),
            ("EXPECTEDEXPIRATIONCHECK", |c| c.expiry),
        ];
        for (key, get) in expected {
            let Some(want) = doc["EXPECTEDRESULTS"][key].as_bool() else {
                continue;
            };
            checked += 1;
            let got = get(c);
            // A step expected to fail may also be unreached because an earlier one failed.
            let ok = if want {
                got == Some(true)
            } else {
                got != Some(true) && !verdict.valid
            };
            if !ok {
                failures.push(format!(
                    "{name}: {key} expected {want}, got {got:?} (error: {:?})",
                    verdict.error
                ));
            }
        }
    }
    eprintln!("{} files, {checked} expected results checked", files.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn dcc_claims_are_exposed() {
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{DIR}/common/CO1.json")).unwrap())
            .unwrap();
    let mut trust = TrustStore::new();
    trust
        .add_certificates(doc["TESTCTX"]["CERTIFICATE"].as_str().unwrap().as_bytes())
        .unwrap();
    let v = verify(
        doc["PREFIX"].as_str().unwrap(),
        &trust,
        clock(doc["TESTCTX"]["VALIDATIONCLOCK"].as_str().unwrap()),
    );
    assert!(v.checks.signature == Some(true), "{v:?}");
    assert_eq!(v.claims["name"], "Musterfrau-Gößinger, Gabriele");
    assert_eq!(v.claims["dob"], "1998-02-26");
    assert_eq!(v.claims["v"][0]["dn"], 1);
    assert_eq!(v.claims["iss"], "AT");
}
