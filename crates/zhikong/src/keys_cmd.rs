//! `zhikong keys`: the signing keys under `DATA/keys` — create them, rotate the code-signing
//! key (old keys stay in the trust list until their last codes expire), list them, and print
//! the trust anchor verifiers pin.

use std::path::Path;

use anyhow::Context as _;
use app::keys::KeyRing;
use clap::Subcommand;
use credential::chrono::{TimeDelta, Utc};
use serde_json::json;

#[derive(Subcommand, Debug)]
pub enum KeysWhat {
    /// Create the keys if there are none (serve does this too); print them.
    Generate,
    /// Replace the code-signing key; codes signed by the old one stay valid until they expire.
    Rotate,
    /// Print every key as JSON: kid, state, retired at, trusted until.
    List,
    /// Print the trust anchor (the key that signs the trust list) as a trust list for
    /// verifiers to pin.
    Anchor,
}

pub fn run(dir: &Path, ttl: TimeDelta, what: &KeysWhat) -> anyhow::Result<()> {
    let mut ring = KeyRing::load_or_create(dir, ttl)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("keys in {}", dir.display()))?;
    match what {
        KeysWhat::Generate | KeysWhat::List => print_list(&ring),
        KeysWhat::Rotate => {
            let (old, new) = ring
                .rotate(Utc::now())
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            eprintln!("rotated: {old} retired, {new} signs from now on");
            print_list(&ring)
        }
        KeysWhat::Anchor => {
            println!("{}", serde_json::to_string_pretty(&ring.anchor_list())?);
            Ok(())
        }
    }
}

fn print_list(ring: &KeyRing) -> anyhow::Result<()> {
    let keys: Vec<_> = ring
        .describe()
        .into_iter()
        .map(|(kid, retired)| match retired {
            None => json!({"kid": kid, "state": "current"}),
            Some(at) => json!({
                "kid": kid,
                "state": "retired",
                "retired_at": at,
                "trusted_until": at + ring.ttl,
            }),
        })
        .collect();
    println!(
        "{}",
        serde_json::to_string_pretty(&json!({ "keys": keys }))?
    );
    Ok(())
}
