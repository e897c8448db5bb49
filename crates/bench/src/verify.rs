//! `verify` and `issue`: the code credential's throughput on one thread.
//!
//! - `verify`: whole ZK1 verifications (Base45, zlib, COSE/CWT, ES256, expiry, verdict with
//!   claims) per second, against bare ES256 verifications with `ring` of the same key as the
//!   physical reference: the signature is the floor, everything else is overhead (goal: ratio
//!   ≥ 0.85). The two loops alternate in short rounds so that load from other processes on
//!   this shared machine hits both alike.
//! - `issue`: credentials signed, encoded and rendered to SVG per second.

use std::time::{Duration, Instant};

use anyhow::{Context, ensure};
use credential::chrono::{NaiveDate, Utc};
use credential::{Claims, Colour, DEFAULT_TTL, SigningKey, TrustStore};
use ring::signature::{ECDSA_P256_SHA256_FIXED, UnparsedPublicKey};
use serde_json::{Value, json};

use crate::round;

const ROUNDS: u32 = 10;
const ROUND: Duration = Duration::from_millis(200);

fn claims() -> Claims {
    Claims {
        issuer: "zhikong.bench".into(),
        reference: "p-5c0ffee1d2".into(),
        colour: Colour::Green,
        since: NaiveDate::from_ymd_opt(2022, 4, 1).unwrap_or_default(),
        masked_name: "王**".into(),
    }
}

/// Run `f` repeatedly for about `ROUND`; returns (iterations, seconds).
fn timed(mut f: impl FnMut() -> bool) -> anyhow::Result<(u64, f64)> {
    let started = Instant::now();
    let mut n = 0u64;
    while started.elapsed() < ROUND {
        for _ in 0..64 {
            ensure!(f(), "verification failed inside the benchmark loop");
        }
        n += 64;
    }
    Ok((n, started.elapsed().as_secs_f64()))
}

pub fn verify() -> anyhow::Result<Value> {
    let key = SigningKey::generate()?;
    let mut trust = TrustStore::new();
    trust.add_public_key(key.public_key(), None, None);
    let now = Utc::now();
    let code = credential::issue(&key, &claims(), now, DEFAULT_TTL)?;
    let verdict = credential::verify(&code, &trust, now);
    ensure!(verdict.valid, "benchmark code does not verify: {verdict:?}");

    // The reference: one P-256 signature over a message the size of the code's Sig_structure,
    // checked with ring from the raw public point, as the pipeline does.
    let message = vec![0x5a; 160];
    let signature = key.sign(&message)?;
    let spki = key.public_key().spki_der().to_vec();
    let point = spki
        .get(spki.len() - 65..)
        .context("SPKI too short")?
        .to_vec();

    let (mut zk1, mut bare) = ((0u64, 0f64), (0u64, 0f64));
    let mut round_ratios = vec![];
    for _ in 0..ROUNDS {
        let (zn, zs) = timed(|| credential::verify(&code, &trust, now).valid)?;
        zk1 = (zk1.0 + zn, zk1.1 + zs);
        let (bn, bs) = timed(|| {
            UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, &point)
                .verify(&message, &signature)
                .is_ok()
        })?;
        bare = (bare.0 + bn, bare.1 + bs);
        round_ratios.push((zn as f64 / zs) / (bn as f64 / bs));
    }
    let zk1_rate = zk1.0 as f64 / zk1.1;
    let bare_rate = bare.0 as f64 / bare.1;
    let ratio = zk1_rate / bare_rate;
    // Adjacent rounds see the same load from other processes; their median ratio is the
    // figure least disturbed by it.
    round_ratios.sort_by(f64::total_cmp);
    let median_round_ratio = round_ratios[round_ratios.len() / 2];
    Ok(json!({
        "scenario": "verify",
        "threads": 1,
        "code_chars": code.len(),
        "zk1_verifications_per_second": zk1_rate.round(),
        "zk1_us": round(1e6 / zk1_rate, 1),
        "reference": "ring ES256 verify (P-256, same key)",
        "es256_verifications_per_second": bare_rate.round(),
        "es256_us": round(1e6 / bare_rate, 1),
        "ratio": round(ratio, 3),
        "median_round_ratio": round(median_round_ratio, 3),
        "goal_ratio": 0.85,
        "within_goal": ratio >= 0.85,
        "seconds": round(zk1.1 + bare.1, 2),
    }))
}

pub fn issue() -> anyhow::Result<Value> {
    let key = SigningKey::generate()?;
    let claims = claims();
    let now = Utc::now();
    let mut svg_bytes = 0;
    let mut code_chars = 0;
    let (mut n, mut secs) = (0u64, 0f64);
    for _ in 0..ROUNDS {
        let (rn, rs) = timed(|| {
            let Ok(code) = credential::issue(&key, &claims, now, DEFAULT_TTL) else {
                return false;
            };
            let Ok(svg) = credential::qr_svg(&code) else {
                return false;
            };
            code_chars = code.len();
            svg_bytes = svg.len();
            true
        })?;
        n += rn;
        secs += rs;
    }
    let rate = n as f64 / secs;
    Ok(json!({
        "scenario": "issue",
        "threads": 1,
        "steps": "sign ES256 + CBOR/COSE + zlib + Base45 + QR SVG",
        "credentials_per_second": rate.round(),
        "us": round(1e6 / rate, 1),
        "code_chars": code_chars,
        "svg_bytes": svg_bytes,
        "seconds": round(secs, 2),
    }))
}
