//! zhikong's code credential (see ARCHITECTURE.md, "The code credential").
//!
//! - **Issue** ([`issue`]): `ZK1:` + Base45( zlib( COSE_Sign1 ES256( CWT ) ) ), the container
//!   of the EU Digital COVID Certificate. CWT claims `iss` (1), `exp` (4), `iat` (6) in
//!   seconds, and the private claim [`ZK1_CLAIM`] (-65537) holding the text map `ref`
//!   (pseudonymous person reference), `col` (`green`/`yellow`/`red`), `since` (`YYYY-MM-DD`) and
//!   `name` (masked name). Protected header: `alg` ES256 and `kid` = first 8 bytes of SHA-256
//!   of the signer's SubjectPublicKeyInfo DER. Codes live [`DEFAULT_TTL`] (5 minutes) unless
//!   the caller says otherwise.
//! - **Verify** ([`verify`]): one pipeline for `ZK1:` and `HC1:` texts, ES256 and PS256, against
//!   a [`TrustStore`] at a given instant; returns a [`Verdict`] for any input, never panics,
//!   never inflates more than [`MAX_INFLATED`] bytes.
//! - **Trust**: [`TrustStore`] from X.509 certificates (PEM, base64 DER, DER), ZK1 public keys
//!   and the JSON [`TrustList`]:
//!
//!   ```json
//!   {"keys": [
//!     {"kid": "base64 (optional)", "spki": "base64 SubjectPublicKeyInfo DER",
//!      "not_before": "2025-01-01T00:00:00Z", "not_after": "2025-07-01T00:00:00Z"},
//!     {"certificate": "base64 X.509 DER"}
//!   ]}
//!   ```
//!
//!   Exactly one of `spki`/`certificate` per entry; `kid` defaults to the SPKI kid (and, for a
//!   certificate, the DCC certificate kid too); validity fields are optional RFC 3339 instants
//!   (a certificate's own validity applies without them); unknown fields are ignored.
//! - **Signed documents** ([`SignedDocument`]): the trust list and the status list the
//!   platform publishes, as ES256 JWS signed by its trust anchor.
//! - **Render** ([`qr_svg`], [`qr_png`]).
//!
//! Pure: no I/O and no clock; the caller passes the instant. Randomness is used only for key
//! generation and ECDSA nonces.

mod cbor;
mod error;
mod issue;
mod keys;
mod qr;
mod signed;
mod trust;
mod verify;

pub use error::CredentialError;
pub use issue::{Claims, Colour, DEFAULT_TTL, HCERT_CLAIM, ZK1_CLAIM, issue, issue_hc1};
pub use keys::{KeyKind, Kid, PublicKey, SigningKey, kid_of};
pub use qr::{qr_png, qr_svg};
pub use signed::SignedDocument;
pub use trust::{TrustList, TrustListEntry, TrustStore, TrustedKey};
pub use verify::{
    Checks, Format, ISSUED_AT_LEEWAY_SECS, MAX_INFLATED, MAX_TEXT_LEN, Verdict, verify,
};

// The clock type of the API, re-exported so callers need not pin chrono themselves.
pub use chrono;
