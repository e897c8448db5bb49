//! Keys: the ES256 signing key of a ZK1 issuer, public keys (P-256 or RSA) as the verifier
//! sees them, and key ids.
//!
//! A public key travels as its SubjectPublicKeyInfo DER; internally it is kept in the form
//! `ring` verifies with (the uncompressed P-256 point, or the PKCS#1 RSAPublicKey), so that a
//! verification does not parse DER again.

use std::fmt;

use ring::rand::SystemRandom;
use ring::signature::{self, EcdsaKeyPair, KeyPair};
use x509_cert::der::Decode;
use x509_cert::der::asn1::ObjectIdentifier;
use x509_cert::spki::SubjectPublicKeyInfoRef;

use crate::CredentialError;

/// A key id: the first 8 bytes of SHA-256 over a DER structure (the SubjectPublicKeyInfo for
/// ZK1 keys, the whole certificate for EU DCC signing certificates).
pub type Kid = [u8; 8];

/// The key id of a DER structure: first 8 bytes of its SHA-256.
pub fn kid_of(der: &[u8]) -> Kid {
    let digest = ring::digest::digest(&ring::digest::SHA256, der);
    let mut kid = [0u8; 8];
    kid.copy_from_slice(&digest.as_ref()[..8]);
    kid
}

pub(crate) const OID_EC_PUBLIC_KEY: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
pub(crate) const OID_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
pub(crate) const OID_RSA_ENCRYPTION: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
// Some DCC signers publish RSA keys under the PSS OID; the key bits are the same PKCS#1 structure.
pub(crate) const OID_RSASSA_PSS: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");

/// The fixed DER prefix of a P-256 SubjectPublicKeyInfo: SEQUENCE { AlgorithmIdentifier
/// { id-ecPublicKey, prime256v1 }, BIT STRING (0 unused bits) } followed by the 65-byte point.
const P256_SPKI_PREFIX: [u8; 26] = [
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
    0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
];

/// What kind of key a [`PublicKey`] is, which decides the one algorithm it verifies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyKind {
    /// NIST P-256: verifies ES256 (ECDSA with SHA-256, raw r‖s signature).
    EcP256,
    /// RSA (2048–8192 bits): verifies PS256 (RSASSA-PSS with SHA-256).
    Rsa,
}

/// A public key as a verifier holds it.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    spki: Vec<u8>,
    kind: KeyKind,
    /// The key in `ring`'s input form: uncompressed point or PKCS#1 RSAPublicKey DER.
    raw: Vec<u8>,
    kid: Kid,
}

impl PublicKey {
    /// Parse a SubjectPublicKeyInfo DER. Accepts P-256 EC keys and RSA keys.
    pub fn from_spki_der(der: &[u8]) -> Result<Self, CredentialError> {
        let spki = SubjectPublicKeyInfoRef::from_der(der)
            .map_err(|e| CredentialError::InvalidKey(format!("not a SubjectPublicKeyInfo: {e}")))?;
        let bits = spki.subject_public_key.as_bytes().ok_or_else(|| {
            CredentialError::InvalidKey("public key bit string is not byte aligned".into())
        })?;
        let oid = spki.algorithm.oid;
        let kind = if oid == OID_EC_PUBLIC_KEY {
            let curve = spki
                .algorithm
                .parameters
                .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
            if curve != Some(OID_P256) {
                return Err(CredentialError::InvalidKey(format!(
                    "EC key on an unsupported curve {}",
                    curve.map_or_else(|| "(none)".to_string(), |c| c.to_string())
                )));
            }
            // ring verifies only uncompressed points.
            if bits.len() != 65 || bits[0] != 0x04 {
                return Err(CredentialError::InvalidKey(
                    "P-256 key is not an uncompressed point".into(),
                ));
            }
            KeyKind::EcP256
        } else if oid == OID_RSA_ENCRYPTION || oid == OID_RSASSA_PSS {
            KeyKind::Rsa
        } else {
            return Err(CredentialError::InvalidKey(format!(
                "unsupported key algorithm {oid}"
            )));
        };
        Ok(PublicKey {
            spki: der.to_vec(),
            kind,
            raw: bits.to_vec(),
            kid: kid_of(der),
        })
    }

    /// Build from an uncompressed P-256 point (65 bytes, leading 0x04).
    pub fn from_p256_point(point: &[u8]) -> Result<Self, CredentialError> {
        let mut der = Vec::with_capacity(P256_SPKI_PREFIX.len() + point.len());
        der.extend_from_slice(&P256_SPKI_PREFIX);
        der.extend_from_slice(point);
        Self::from_spki_der(&der)
    }

    /// The SubjectPublicKeyInfo DER.
    pub fn spki_der(&self) -> &[u8] {
        &self.spki
    }

    /// The key id of this key: first 8 bytes of SHA-256 of the SubjectPublicKeyInfo DER.
    pub fn kid(&self) -> Kid {
        self.kid
    }

    /// P-256 or RSA.
    pub fn kind(&self) -> KeyKind {
        self.kind
    }

    /// Check `signature` over `message` with this key's one algorithm (ES256 for P-256 with a
    /// raw 64-byte r‖s signature, PS256 for RSA).
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        let alg: &'static dyn signature::VerificationAlgorithm = match self.kind {
            KeyKind::EcP256 => &signature::ECDSA_P256_SHA256_FIXED,
            KeyKind::Rsa => &signature::RSA_PSS_2048_8192_SHA256,
        };
        signature::UnparsedPublicKey::new(alg, &self.raw)
            .verify(message, signature)
            .is_ok()
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicKey")
            .field("kind", &self.kind)
            .field("kid", &hex(&self.kid))
            .finish()
    }
}

/// The ES256 (P-256) key a ZK1 issuer signs with.
pub struct SigningKey {
    pkcs8: Vec<u8>,
    pair: EcdsaKeyPair,
    public: PublicKey,
    rng: SystemRandom,
}

impl SigningKey {
    /// A fresh random key.
    pub fn generate() -> Result<Self, CredentialError> {
        let rng = SystemRandom::new();
        let doc = EcdsaKeyPair::generate_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
            .map_err(|_| CredentialError::InvalidKey("key generation failed".into()))?;
        Self::from_pkcs8_der(doc.as_ref())
    }

    /// Load a PKCS#8 v1/v2 DER document holding a P-256 private key (with its public key, as
    /// OpenSSL and `to_pkcs8_der` write it).
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, CredentialError> {
        let rng = SystemRandom::new();
        let pair = EcdsaKeyPair::from_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, der, &rng)
            .map_err(|e| CredentialError::InvalidKey(format!("PKCS#8 P-256 key: {e}")))?;
        let public = PublicKey::from_p256_point(pair.public_key().as_ref())?;
        Ok(SigningKey {
            pkcs8: der.to_vec(),
            pair,
            public,
            rng,
        })
    }

    /// The PKCS#8 DER document of this key (the bytes it was loaded from or generated as).
    pub fn to_pkcs8_der(&self) -> Vec<u8> {
        self.pkcs8.clone()
    }

    /// The public half, with its kid.
    pub fn public_key(&self) -> PublicKey {
        self.public.clone()
    }

    /// The key id written into every code this key signs.
    pub fn kid(&self) -> Kid {
        self.public.kid
    }

    /// ES256 signature (raw r‖s, 64 bytes) over `message`.
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>, CredentialError> {
        self.pair
            .sign(&self.rng, message)
            .map(|s| s.as_ref().to_vec())
            .map_err(|_| CredentialError::Encoding("ECDSA signing failed".into()))
    }
}

impl fmt::Debug for SigningKey {
    // Never print the private key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &hex(&self.public.kid))
            .finish_non_exhaustive()
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_key_round_trips_through_pkcs8_and_spki() {
        let key = SigningKey::generate().unwrap();
        let again = SigningKey::from_pkcs8_der(&key.to_pkcs8_der()).unwrap();
        assert_eq!(key.public_key(), again.public_key());
        let public = PublicKey::from_spki_der(key.public_key().spki_der()).unwrap();
        assert_eq!(public.kind(), KeyKind::EcP256);
        assert_eq!(public.kid(), kid_of(public.spki_der()));
        let sig = key.sign(b"hello").unwrap();
        assert_eq!(sig.len(), 64);
        assert!(public.verify(b"hello", &sig));
        assert!(!public.verify(b"hellO", &sig));
    }

    #[test]
    fn garbage_keys_are_rejected() {
        assert!(SigningKey::from_pkcs8_der(b"nope").is_err());
        assert!(PublicKey::from_spki_der(&[]).is_err());
        assert!(PublicKey::from_p256_point(&[4; 10]).is_err());
    }
}
