//! Signed documents the platform publishes for offline verifiers — the trust list and the
//! status list — as JWS in flattened JSON serialization (RFC 7515 §7.2.2), ES256:
//!
//! ```json
//! {"protected": "base64url({\"alg\":\"ES256\",\"kid\":\"<base64 kid>\",\"typ\":\"…\"})",
//!  "payload": "base64url(JSON body)", "signature": "base64url(r‖s)"}
//! ```
//!
//! The signature covers the exact payload bytes, so nothing depends on how JSON is re-encoded.
//! The signer is the platform's trust anchor, a long-lived key distributed to verifiers out of
//! band; it signs no health codes itself.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde::{Deserialize, Serialize};

use crate::{CredentialError, PublicKey, SigningKey};

/// A signed document as published.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedDocument {
    pub protected: String,
    pub payload: String,
    pub signature: String,
}

#[derive(Serialize, Deserialize)]
struct Header {
    alg: String,
    kid: String,
    typ: String,
}

fn bad(what: impl Into<String>) -> CredentialError {
    CredentialError::SignedDocument(what.into())
}

impl SignedDocument {
    /// Sign `body` (JSON bytes) as a document of type `typ` (e.g. `zhikong-trust-list`).
    pub fn sign(key: &SigningKey, typ: &str, body: &[u8]) -> Result<Self, CredentialError> {
        let header = Header {
            alg: "ES256".into(),
            kid: STANDARD.encode(key.kid()),
            typ: typ.into(),
        };
        let header =
            serde_json::to_vec(&header).map_err(|e| CredentialError::Encoding(e.to_string()))?;
        let protected = URL_SAFE_NO_PAD.encode(header);
        let payload = URL_SAFE_NO_PAD.encode(body);
        let signature = key.sign(format!("{protected}.{payload}").as_bytes())?;
        Ok(SignedDocument {
            protected,
            payload,
            signature: URL_SAFE_NO_PAD.encode(signature),
        })
    }

    /// Parse a published document (JSON text).
    pub fn from_json(text: &str) -> Result<Self, CredentialError> {
        serde_json::from_str(text).map_err(|e| bad(format!("not a signed document: {e}")))
    }

    /// Check the signature with one of `anchors` (the one whose kid the header names) and that
    /// the type is `typ`; returns the payload bytes.
    pub fn open(&self, anchors: &[PublicKey], typ: &str) -> Result<Vec<u8>, CredentialError> {
        let header = URL_SAFE_NO_PAD
            .decode(&self.protected)
            .map_err(|_| bad("protected header is not base64url"))?;
        let header: Header =
            serde_json::from_slice(&header).map_err(|e| bad(format!("protected header: {e}")))?;
        if header.alg != "ES256" {
            return Err(bad(format!("algorithm {:?} is not ES256", header.alg)));
        }
        if header.typ != typ {
            return Err(bad(format!(
                "document type {:?}, expected {typ:?}",
                header.typ
            )));
        }
        let kid = STANDARD
            .decode(&header.kid)
            .map_err(|_| bad("kid is not base64"))?;
        let anchor = anchors
            .iter()
            .find(|a| a.kid().as_slice() == kid.as_slice())
            .ok_or_else(|| bad("signed by a key that is not a trust anchor here"))?;
        let signature = URL_SAFE_NO_PAD
            .decode(&self.signature)
            .map_err(|_| bad("signature is not base64url"))?;
        let input = format!("{}.{}", self.protected, self.payload);
        if !anchor.verify(input.as_bytes(), &signature) {
            return Err(bad("the signature does not hold"));
        }
        URL_SAFE_NO_PAD
            .decode(&self.payload)
            .map_err(|_| bad("payload is not base64url"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_document_opens_with_its_anchor_only() {
        let anchor = SigningKey::generate().unwrap();
        let other = SigningKey::generate().unwrap();
        let doc = SignedDocument::sign(&anchor, "t", br#"{"keys":[]}"#).unwrap();
        let json = serde_json::to_string(&doc).unwrap();
        let back = SignedDocument::from_json(&json).unwrap();
        assert_eq!(
            back.open(&[anchor.public_key()], "t").unwrap(),
            br#"{"keys":[]}"#
        );
        assert!(back.open(&[other.public_key()], "t").is_err());
        assert!(back.open(&[anchor.public_key()], "u").is_err());
        // A changed payload fails the signature.
        let mut forged = back.clone();
        forged.payload = URL_SAFE_NO_PAD.encode(br#"{"keys":[{"spki":"x"}]}"#);
        let err = forged.open(&[anchor.public_key()], "t").unwrap_err();
        assert!(err.to_string().contains("does not hold"), "{err}");
    }
}
