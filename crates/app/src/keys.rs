//! The signing keys of the ZK1 credential, kept under `DATA/keys/`:
//! - `current.pk8` — the private key in use (PKCS#8 DER, readable by the owner only);
//! - `anchor.pk8` — the trust anchor: a long-lived key that signs the published trust list and
//!   status list (never a health code). Verifiers pin its public half (`zhikong keys anchor`,
//!   `GET /api/v1/trust-anchor`), so a trust list fetched over any channel can be checked;
//! - `retired-<unix seconds>-<kid hex>.spki` — public keys of earlier keys. A retired key stays
//!   in the trust list until every code it signed has expired (retirement + the code lifetime),
//!   so a rotation never turns a valid code in someone's hand invalid.
//!
//! Every web node serving the same platform needs the same directory (deploy it with the
//! binary, or mount it).

use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeDelta, Utc};
use credential::{PublicKey, SignedDocument, SigningKey, TrustList, TrustStore};
use serde::Serialize;

use crate::{AppError, Result};

pub struct KeyRing {
    dir: PathBuf,
    current: SigningKey,
    anchor: SigningKey,
    /// (public key, retired at)
    retired: Vec<(PublicKey, DateTime<Utc>)>,
    /// How long an issued code lives.
    pub ttl: TimeDelta,
}

fn io(e: std::io::Error, what: &Path) -> AppError {
    AppError::Internal(format!("{}: {e}", what.display()))
}

fn crypto(e: credential::CredentialError) -> AppError {
    AppError::Internal(format!("signing key: {e}"))
}

impl KeyRing {
    /// Load `dir`, creating a first key if there is none.
    pub fn load_or_create(dir: &Path, ttl: TimeDelta) -> Result<KeyRing> {
        std::fs::create_dir_all(dir).map_err(|e| io(e, dir))?;
        let current = load_or_generate(&dir.join("current.pk8"))?;
        let anchor = load_or_generate(&dir.join("anchor.pk8"))?;
        let mut retired = vec![];
        for entry in std::fs::read_dir(dir).map_err(|e| io(e, dir))? {
            let path = entry.map_err(|e| io(e, dir))?.path();
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            let Some(rest) = name
                .strip_prefix("retired-")
                .and_then(|r| r.strip_suffix(".spki"))
            else {
                continue;
            };
            let Some(at) = rest.split('-').next().and_then(|s| s.parse::<i64>().ok()) else {
                continue;
            };
            let der = std::fs::read(&path).map_err(|e| io(e, &path))?;
            let key = PublicKey::from_spki_der(&der).map_err(crypto)?;
            let at = DateTime::from_timestamp(at, 0).unwrap_or_default();
            retired.push((key, at));
        }
        retired.sort_by_key(|(_, at)| *at);
        Ok(KeyRing {
            dir: dir.to_owned(),
            current,
            anchor,
            retired,
            ttl,
        })
    }

    /// Replace the current key with a new one; the old one's public half is kept as retired.
    /// Returns (old kid, new kid) in hex.
    pub fn rotate(&mut self, now: DateTime<Utc>) -> Result<(String, String)> {
        // Whole seconds, as the file name keeps it, so the ring reads back the same.
        let now = DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now);
        let old = self.current.public_key();
        let old_kid = hex::encode(old.kid());
        let retired_path = self
            .dir
            .join(format!("retired-{}-{old_kid}.spki", now.timestamp()));
        std::fs::write(&retired_path, old.spki_der()).map_err(|e| io(e, &retired_path))?;
        let new = SigningKey::generate().map_err(crypto)?;
        write_private(&self.dir.join("current.pk8"), &new.to_pkcs8_der())?;
        let new_kid = hex::encode(new.kid());
        self.retired.push((old, now));
        self.current = new;
        Ok((old_kid, new_kid))
    }

    pub fn signing_key(&self) -> &SigningKey {
        &self.current
    }

    /// The keys a verifier should accept at `now`: the current one, and retired ones whose
    /// last codes may still be alive.
    pub fn trust_store(&self, now: DateTime<Utc>) -> TrustStore {
        let mut store = TrustStore::new();
        store.add_public_key(self.current.public_key(), None, None);
        for (key, retired_at) in &self.retired {
            let until = *retired_at + self.ttl;
            if until > now {
                store.add_public_key(key.clone(), None, Some(until));
            }
        }
        store
    }

    pub fn trust_list(&self, now: DateTime<Utc>) -> TrustList {
        self.trust_store(now).to_trust_list()
    }

    /// The trust list as published: signed by the anchor, with the instant it was made.
    pub fn signed_trust_list(&self, now: DateTime<Utc>) -> Result<SignedDocument> {
        #[derive(Serialize)]
        struct Published {
            issued_at: DateTime<Utc>,
            #[serde(flatten)]
            list: TrustList,
        }
        self.sign_document(
            TRUST_LIST_TYPE,
            &Published {
                issued_at: now,
                list: self.trust_list(now),
            },
        )
    }

    /// Sign any published JSON document with the trust anchor.
    pub fn sign_document(&self, typ: &str, body: &impl Serialize) -> Result<SignedDocument> {
        let bytes = serde_json::to_vec(body).map_err(|e| AppError::Internal(e.to_string()))?;
        SignedDocument::sign(&self.anchor, typ, &bytes).map_err(crypto)
    }

    /// The anchor's public key as a one-entry trust list, for verifiers to pin.
    pub fn anchor_list(&self) -> TrustList {
        let mut store = TrustStore::new();
        store.add_public_key(self.anchor.public_key(), None, None);
        store.to_trust_list()
    }

    /// (kid hex, retired at) of every key, current last with `None`.
    pub fn describe(&self) -> Vec<(String, Option<DateTime<Utc>>)> {
        let mut out: Vec<_> = self
            .retired
            .iter()
            .map(|(k, at)| (hex::encode(k.kid()), Some(*at)))
            .collect();
        out.push((hex::encode(self.current.kid()), None));
        out
    }
}

/// The `typ` of the signed trust list.
pub const TRUST_LIST_TYPE: &str = "zhikong-trust-list";
/// The `typ` of the signed status list.
pub const STATUS_LIST_TYPE: &str = "zhikong-status-list";

fn load_or_generate(path: &Path) -> Result<SigningKey> {
    if !path.exists() {
        write_private(
            path,
            &SigningKey::generate().map_err(crypto)?.to_pkcs8_der(),
        )?;
    }
    let der = std::fs::read(path).map_err(|e| io(e, path))?;
    SigningKey::from_pkcs8_der(&der).map_err(crypto)
}

/// Write a private key readable by its owner only.
fn write_private(path: &Path, der: &[u8]) -> Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, der).map_err(|e| io(e, &tmp))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| io(e, &tmp))?;
    }
    // Rename, so a crash never leaves a half-written key behind.
    std::fs::rename(&tmp, path).map_err(|e| io(e, path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotation_keeps_old_codes_verifiable_until_they_expire() {
        let dir = tempfile::tempdir().unwrap();
        let ttl = TimeDelta::minutes(5);
        let mut ring = KeyRing::load_or_create(dir.path(), ttl).unwrap();
        let first = hex::encode(ring.signing_key().kid());
        let t0 = Utc::now();
        let (old, new) = ring.rotate(t0).unwrap();
        assert_eq!(old, first);
        assert_ne!(old, new);
        assert_eq!(ring.trust_store(t0 + TimeDelta::minutes(4)).len(), 2);
        assert_eq!(ring.trust_store(t0 + TimeDelta::minutes(6)).len(), 1);
        // Reloading from disk gives the same ring.
        let again = KeyRing::load_or_create(dir.path(), ttl).unwrap();
        assert_eq!(hex::encode(again.signing_key().kid()), new);
        assert_eq!(again.describe().len(), 2);
    }

    #[test]
    fn the_published_trust_list_opens_with_the_pinned_anchor() {
        let dir = tempfile::tempdir().unwrap();
        let ring = KeyRing::load_or_create(dir.path(), TimeDelta::minutes(5)).unwrap();
        let doc = ring.signed_trust_list(Utc::now()).unwrap();
        let mut pinned = TrustStore::new();
        pinned.add_trust_list(&ring.anchor_list()).unwrap();
        let anchors: Vec<PublicKey> = pinned.keys().iter().map(|k| k.key.clone()).collect();
        let body = doc.open(&anchors, TRUST_LIST_TYPE).unwrap();
        let mut store = TrustStore::new();
        store
            .add_trust_list_json(std::str::from_utf8(&body).unwrap())
            .unwrap();
        assert_eq!(store.len(), 1);
        // The anchor survives a reload and a rotation of the signing key.
        let mut again = KeyRing::load_or_create(dir.path(), TimeDelta::minutes(5)).unwrap();
        again.rotate(Utc::now()).unwrap();
        assert_eq!(again.anchor_list(), ring.anchor_list());
    }
}
