//! The one error type of the crate's fallible constructors (keys, certificates, trust lists,
//! issuing, QR rendering). Verification never returns it: a scanned text always yields a
//! [`crate::Verdict`].

/// What went wrong while building a key, a trust store, a code or a picture.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum CredentialError {
    /// A private or public key that cannot be used (wrong encoding, curve or algorithm).
    #[error("invalid key: {0}")]
    InvalidKey(String),
    /// An X.509 certificate that cannot be parsed or holds an unusable key.
    #[error("invalid certificate: {0}")]
    InvalidCertificate(String),
    /// A trust list document that does not follow the documented JSON shape.
    #[error("invalid trust list: {0}")]
    InvalidTrustList(String),
    /// Encoding a credential failed (CBOR, COSE, compression or the signature itself).
    #[error("cannot encode the credential: {0}")]
    Encoding(String),
    /// A signed document that is malformed or whose signature does not hold.
    #[error("signed document: {0}")]
    SignedDocument(String),
    /// The text does not fit in a QR code.
    #[error("cannot render the QR code: {0}")]
    Qr(String),
}
