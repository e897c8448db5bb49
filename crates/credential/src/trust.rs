//! The trust store: which public keys a verifier accepts, under which key ids, and when.
//!
//! Filled from X.509 certificates (EU DCC signing certificates: PEM, base64 DER or raw DER),
//! from ZK1 public keys (SubjectPublicKeyInfo DER) and from the JSON trust list the server
//! publishes (format in the crate docs, type [`TrustList`]).

use std::collections::HashMap;

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use x509_cert::Certificate;
use x509_cert::der::Decode;

use crate::CredentialError;
use crate::keys::{PublicKey, kid_of};

/// Standard base64, padding optional: trust lists and certificate files come from many tools.
pub(crate) const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// One accepted key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustedKey {
    /// The key itself.
    pub key: PublicKey,
    /// The key ids a code may name this key by.
    pub kids: Vec<Vec<u8>>,
    /// Not accepted before this moment (certificate notBefore or trust-list value).
    pub not_before: Option<DateTime<Utc>>,
    /// Not accepted after this moment (certificate notAfter or trust-list value).
    pub not_after: Option<DateTime<Utc>>,
}

impl TrustedKey {
    /// Whether the key may be used at `at`.
    pub fn valid_at(&self, at: DateTime<Utc>) -> bool {
        self.not_before.is_none_or(|nb| at >= nb) && self.not_after.is_none_or(|na| at <= na)
    }
}

/// The keys a verifier accepts, indexed by key id.
#[derive(Clone, Debug, Default)]
pub struct TrustStore {
    keys: Vec<TrustedKey>,
    by_kid: HashMap<Vec<u8>, Vec<usize>>,
}

impl TrustStore {
    /// An empty store (accepts nothing).
    pub fn new() -> Self {
        Self::default()
    }

    /// How many keys the store holds.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether the store holds no key.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// All keys, in the order they were added.
    pub fn keys(&self) -> &[TrustedKey] {
        &self.keys
    }

    /// Accept a key under explicit key ids (none: its own SPKI kid) and validity.
    pub fn add(&mut self, mut entry: TrustedKey) {
        if entry.kids.is_empty() {
            entry.kids.push(entry.key.kid().to_vec());
        }
        let index = self.keys.len();
        for kid in &entry.kids {
            self.by_kid.entry(kid.clone()).or_default().push(index);
        }
        self.keys.push(entry);
    }

    /// Accept a ZK1 public key under its own kid, with an optional validity window.
    pub fn add_public_key(
        &mut self,
        key: PublicKey,
        not_before: Option<DateTime<Utc>>,
        not_after: Option<DateTime<Utc>>,
    ) {
        self.add(TrustedKey {
            kids: vec![key.kid().to_vec()],
            key,
            not_before,
            not_after,
        });
    }

    /// Accept the key of one DER X.509 certificate, valid within the certificate's validity.
    /// It is found under the DCC kid (SHA-256 of the certificate) and under the ZK1 kid
    /// (SHA-256 of its SubjectPublicKeyInfo).
    pub fn add_certificate_der(&mut self, der: &[u8]) -> Result<(), CredentialError> {
        let cert = Certificate::from_der(der)
            .map_err(|e| CredentialError::InvalidCertificate(format!("X.509 DER: {e}")))?;
        self.add_certificate(&cert, der)
    }

    fn add_certificate(&mut self, cert: &Certificate, der: &[u8]) -> Result<(), CredentialError> {
        let tbs = &cert.tbs_certificate;
        let spki_der = x509_cert::der::Encode::to_der(&tbs.subject_public_key_info)
            .map_err(|e| CredentialError::InvalidCertificate(format!("public key: {e}")))?;
        let key = PublicKey::from_spki_der(&spki_der)
            .map_err(|e| CredentialError::InvalidCertificate(e.to_string()))?;
        let time = |t: x509_cert::time::Time| {
            let d = t.to_unix_duration();
            DateTime::<Utc>::from_timestamp(i64::try_from(d.as_secs()).ok()?, 0)
        };
        let cert_kid = kid_of(der).to_vec();
        let spki_kid = key.kid().to_vec();
        self.add(TrustedKey {
            kids: vec![cert_kid, spki_kid],
            key,
            not_before: time(tbs.validity.not_before),
            not_after: time(tbs.validity.not_after),
        });
        Ok(())
    }

    /// Accept every certificate in `input`: PEM (one or more `CERTIFICATE` blocks), raw DER,
    /// or base64 DER (one certificate, or one per line). Returns how many were added.
    pub fn add_certificates(&mut self, input: &[u8]) -> Result<usize, CredentialError> {
        let text = std::str::from_utf8(input).ok();
        if let Some(text) = text.filter(|t| t.contains("-----BEGIN")) {
            let certs = Certificate::load_pem_chain(text.as_bytes())
                .map_err(|e| CredentialError::InvalidCertificate(format!("PEM: {e}")))?;
            for cert in &certs {
                let der = x509_cert::der::Encode::to_der(cert).map_err(|e| {
                    CredentialError::InvalidCertificate(format!("re-encoding: {e}"))
                })?;
                self.add_certificate(cert, &der)?;
            }
            return Ok(certs.len());
        }
        if input.first() == Some(&0x30) && Certificate::from_der(input).is_ok() {
            self.add_certificate_der(input)?;
            return Ok(1);
        }
        let text = text.ok_or_else(|| {
            CredentialError::InvalidCertificate("neither PEM, DER nor base64 text".into())
        })?;
        let whole: String = text.split_whitespace().collect();
        if whole.is_empty() {
            return Err(CredentialError::InvalidCertificate(
                "no certificate found".into(),
            ));
        }
        if let Ok(der) = BASE64.decode(&whole)
            && Certificate::from_der(&der).is_ok()
        {
            self.add_certificate_der(&der)?;
            return Ok(1);
        }
        let mut added = 0;
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let der = BASE64.decode(line).map_err(|e| {
                CredentialError::InvalidCertificate(format!("base64 certificate: {e}"))
            })?;
            self.add_certificate_der(&der)?;
            added += 1;
        }
        Ok(added)
    }

    /// Accept every key of a trust list, or none when any entry is bad. Returns how many were
    /// added.
    pub fn add_trust_list(&mut self, list: &TrustList) -> Result<usize, CredentialError> {
        let mut staged = Vec::with_capacity(list.keys.len());
        for (i, entry) in list.keys.iter().enumerate() {
            let bad =
                |what: String| CredentialError::InvalidTrustList(format!("keys[{i}]: {what}"));
            let kids = match &entry.kid {
                Some(kid) => {
                    let kid = BASE64
                        .decode(kid)
                        .map_err(|e| bad(format!("kid is not base64: {e}")))?;
                    if kid.is_empty() {
                        return Err(bad("kid is empty".into()));
                    }
                    vec![kid]
                }
                None => vec![],
            };
            match (&entry.spki, &entry.certificate) {
                (Some(spki), None) => {
                    let der = BASE64
                        .decode(spki)
                        .map_err(|e| bad(format!("spki is not base64: {e}")))?;
                    let key = PublicKey::from_spki_der(&der).map_err(|e| bad(e.to_string()))?;
                    staged.push(TrustedKey {
                        key,
                        kids,
                        not_before: entry.not_before,
                        not_after: entry.not_after,
                    });
                }
                (None, Some(cert)) => {
                    let der = BASE64
                        .decode(cert)
                        .map_err(|e| bad(format!("certificate is not base64: {e}")))?;
                    let mut one = TrustStore::new();
                    one.add_certificate_der(&der)
                        .map_err(|e| bad(e.to_string()))?;
                    let mut trusted = one.keys.remove(0);
                    if !kids.is_empty() {
                        trusted.kids = kids;
                    }
                    trusted.not_before = entry.not_before.or(trusted.not_before);
                    trusted.not_after = entry.not_after.or(trusted.not_after);
                    staged.push(trusted);
                }
                _ => {
                    return Err(bad(
                        "needs exactly one of \"spki\" and \"certificate\"".into()
                    ));
                }
            }
        }
        let added = staged.len();
        staged.into_iter().for_each(|k| self.add(k));
        Ok(added)
    }

    /// Parse a JSON trust list (see [`TrustList`]) and accept its keys.
    pub fn add_trust_list_json(&mut self, json: &str) -> Result<usize, CredentialError> {
        let list: TrustList = serde_json::from_str(json)
            .map_err(|e| CredentialError::InvalidTrustList(e.to_string()))?;
        self.add_trust_list(&list)
    }

    /// The store as a publishable trust list (keys as SPKI, every kid listed).
    pub fn to_trust_list(&self) -> TrustList {
        let keys = self
            .keys
            .iter()
            .flat_map(|k| {
                k.kids.iter().map(|kid| TrustListEntry {
                    kid: Some(BASE64.encode(kid)),
                    spki: Some(BASE64.encode(k.key.spki_der())),
                    certificate: None,
                    not_before: k.not_before,
                    not_after: k.not_after,
                })
            })
            .collect();
        TrustList { keys }
    }

    /// The keys a code may have been signed with. A code that names a kid gets the keys under
    /// that kid (several when kids collide) and nothing when the kid is unknown; a code that
    /// names none gets every key.
    pub(crate) fn candidates(&self, kid: Option<&[u8]>) -> Candidates<'_> {
        match kid {
            Some(kid) => match self.by_kid.get(kid) {
                Some(indexes) => Candidates::Some(indexes.iter().map(|&i| &self.keys[i]).collect()),
                None => Candidates::UnknownKid,
            },
            None => Candidates::Some(self.keys.iter().collect()),
        }
    }
}

pub(crate) enum Candidates<'a> {
    Some(Vec<&'a TrustedKey>),
    UnknownKid,
}

/// The JSON trust list: the unsigned body the server publishes and verifiers load.
///
/// ```json
/// {"keys": [
///   {"kid": "base64 (optional)", "spki": "base64 SubjectPublicKeyInfo DER",
///    "not_before": "2025-01-01T00:00:00Z", "not_after": null},
///   {"certificate": "base64 X.509 DER"}
/// ]}
/// ```
///
/// Each entry has exactly one of `spki` and `certificate`. `kid` (standard base64, padding
/// optional) is the id codes name the key by; without it the key is found under the SHA-256
/// kid of its SPKI (and, for a certificate, also of the certificate). `not_before` and
/// `not_after` are RFC 3339 instants, optional; a certificate's own validity applies when they
/// are absent. Unknown fields are ignored, so a signed envelope can wrap this body later.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TrustList {
    /// The accepted keys.
    pub keys: Vec<TrustListEntry>,
}

/// One key of a [`TrustList`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TrustListEntry {
    /// Key id, standard base64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    /// SubjectPublicKeyInfo DER, standard base64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spki: Option<String>,
    /// X.509 certificate DER, standard base64 (instead of `spki`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<String>,
    /// Not accepted before this instant.
    #[serde(default)]
    pub not_before: Option<DateTime<Utc>>,
    /// Not accepted after this instant.
    #[serde(default)]
    pub not_after: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SigningKey;

    #[test]
    fn trust_list_round_trips() {
        let key = SigningKey::generate().unwrap().public_key();
        let mut store = TrustStore::new();
        store.add_public_key(key.clone(), None, "2030-01-01T00:00:00Z".parse().ok());
        let json = serde_json::to_string(&store.to_trust_list()).unwrap();
        let mut again = TrustStore::new();
        assert_eq!(again.add_trust_list_json(&json).unwrap(), 1);
        assert_eq!(again.keys(), store.keys());
    }

    #[test]
    fn bad_trust_lists_are_rejected() {
        let mut store = TrustStore::new();
        for bad in [
            "",
            "{}",
            r#"{"keys":[{}]}"#,
            r#"{"keys":[{"spki":"!!"}]}"#,
            r#"{"keys":[{"spki":"AAAA"}]}"#,
            r#"{"keys":[{"spki":"AAAA","certificate":"AAAA"}]}"#,
        ] {
            assert!(store.add_trust_list_json(bad).is_err(), "{bad}");
        }
        assert!(store.is_empty());
    }

    #[test]
    fn certificate_input_that_is_not_one_is_rejected() {
        let mut store = TrustStore::new();
        assert!(store.add_certificates(b"").is_err());
        assert!(store.add_certificates(b"hello world").is_err());
        assert!(store.add_certificates(&[0x30, 0x03, 1, 2, 3]).is_err());
        assert!(
            store
                .add_certificates(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
                .is_err()
        );
    }
}
