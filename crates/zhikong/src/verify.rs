//! `zhikong verify`: check a ZK1 or HC1 code offline, without a database.
//!
//! `zhikong verify [--trust-cert FILE]… [--trust-list FILE [--trust-anchor FILE]] [--at RFC3339]
//! TEXT|-` prints
//! exactly one JSON verdict on standard output (see `credential::Verdict`) and exits 0 when
//! the code is valid, 1 when it is not, 2 on a usage error (unreadable or malformed trust
//! file, bad `--at`, unreadable standard input), which prints no verdict.

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::Args;
use credential::TrustStore;
use credential::chrono::{DateTime, Utc};

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// Trust the key of an X.509 certificate: a PEM file, a file of base64 DER, or DER.
    /// Repeatable.
    #[arg(long = "trust-cert", value_name = "FILE")]
    pub trust_cert: Vec<PathBuf>,
    /// Trust the keys of a JSON trust list: the signed document `GET /api/v1/trust-list`
    /// publishes (checked with `--trust-anchor`), or a plain body
    /// `{"keys":[{"kid":…,"spki":…,"not_before":…,"not_after":…}]}`.
    #[arg(long = "trust-list", value_name = "FILE")]
    pub trust_list: Option<PathBuf>,
    /// The pinned trust anchor that must have signed `--trust-list` (the output of
    /// `zhikong keys anchor` or `GET /api/v1/trust-anchor`). Required for a signed list.
    #[arg(long = "trust-anchor", value_name = "FILE", requires = "trust_list")]
    pub trust_anchor: Option<PathBuf>,
    /// Check at this instant (RFC 3339, e.g. 2021-06-01T18:00:00Z) instead of now.
    #[arg(long, value_name = "RFC3339")]
    pub at: Option<String>,
    /// The scanned text (quote it: Base45 contains spaces), or `-` to read standard input.
    pub text: String,
}

/// Run the command; returns the process exit code.
pub fn run(args: &VerifyArgs) -> i32 {
    let (text, trust, at) = match prepare(args) {
        Ok(ready) => ready,
        Err(e) => {
            eprintln!("zhikong verify: {e:#}");
            return 2;
        }
    };
    let verdict = credential::verify(&text, &trust, at);
    let mut out = std::io::stdout().lock();
    let printed = serde_json::to_writer(&mut out, &verdict)
        .map_err(anyhow::Error::from)
        .and_then(|()| Ok(writeln!(out)?))
        .and_then(|()| Ok(out.flush()?));
    if let Err(e) = printed {
        eprintln!("zhikong verify: cannot write the verdict: {e:#}");
        return 2;
    }
    if verdict.valid { 0 } else { 1 }
}

fn prepare(args: &VerifyArgs) -> anyhow::Result<(String, TrustStore, DateTime<Utc>)> {
    let at = match &args.at {
        Some(at) => DateTime::parse_from_rfc3339(at)
            .with_context(|| format!("--at {at:?} is not an RFC 3339 instant"))?
            .with_timezone(&Utc),
        None => Utc::now(),
    };
    let mut trust = TrustStore::new();
    for path in &args.trust_cert {
        trust
            .add_certificates(&read(path)?)
            .with_context(|| format!("--trust-cert {}", path.display()))?;
    }
    if let Some(path) = &args.trust_list {
        let body = String::from_utf8(read(path)?)
            .with_context(|| format!("--trust-list {} is not UTF-8", path.display()))?;
        let body = open_signed(&body, args.trust_anchor.as_deref())
            .with_context(|| format!("--trust-list {}", path.display()))?;
        trust
            .add_trust_list_json(&body)
            .with_context(|| format!("--trust-list {}", path.display()))?;
    }
    let text = if args.text == "-" {
        // A QR payload is a few kilobytes; read a little more so that an oversized input
        // still reaches the verifier and gets its own verdict.
        let mut text = String::new();
        std::io::stdin()
            .take((credential::MAX_TEXT_LEN as u64) * 4)
            .read_to_string(&mut text)
            .context("reading the code from standard input")?;
        text.trim_end_matches(['\r', '\n']).to_owned()
    } else {
        args.text.clone()
    };
    Ok((text, trust, at))
}

/// A signed trust list is opened with the pinned anchor; a plain one is taken as it is (the
/// operator vouches for the file).
fn open_signed(body: &str, anchor: Option<&Path>) -> anyhow::Result<String> {
    let signed = serde_json::from_str::<serde_json::Value>(body)
        .map(|v| v.get("payload").is_some() && v.get("signature").is_some())
        .unwrap_or(false);
    if !signed {
        anyhow::ensure!(
            anchor.is_none(),
            "--trust-anchor was given but the trust list is not signed"
        );
        return Ok(body.to_owned());
    }
    let Some(anchor) = anchor else {
        anyhow::bail!("the trust list is signed; give --trust-anchor FILE to check it");
    };
    let pinned = String::from_utf8(read(anchor)?)
        .with_context(|| format!("--trust-anchor {} is not UTF-8", anchor.display()))?;
    let mut anchors = TrustStore::new();
    anchors
        .add_trust_list_json(&pinned)
        .with_context(|| format!("--trust-anchor {}", anchor.display()))?;
    let keys: Vec<_> = anchors.keys().iter().map(|k| k.key.clone()).collect();
    let payload = credential::SignedDocument::from_json(body)?.open(&keys, "zhikong-trust-list")?;
    String::from_utf8(payload).context("the signed trust list is not UTF-8")
}

fn read(path: &Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}
