//! Issuing ZK1 codes: `ZK1:` + Base45( zlib( COSE_Sign1 ES256( CWT ) ) ).
//!
//! The CWT carries `iss` (1), `exp` (4) and `iat` (6) in seconds, and the private claim
//! [`ZK1_CLAIM`] holding a map of four text values: `ref` (pseudonymous person reference),
//! `col` (`green`/`yellow`/`red`), `since` (colour-since date, `YYYY-MM-DD`) and `name` (masked
//! name). The protected header holds `alg` = ES256 and `kid` = the signing key's SPKI kid.

use std::io::Write as _;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use ciborium::value::Value;
use coset::{TaggedCborSerializable as _, iana};
use domain::PersonName;

use crate::cbor::{self, int};
use crate::{CredentialError, SigningKey};

/// The CWT claim key of the zhikong claim map: the first key of the private-use range
/// (below -65536) of the IANA CWT Claims registry, so it cannot clash with a registered claim
/// such as the EU DCC's `hcert` (-260).
pub const ZK1_CLAIM: i64 = -65537;

/// How long a code is valid unless the caller says otherwise: minutes, so a screenshot dies
/// quickly.
pub const DEFAULT_TTL: TimeDelta = TimeDelta::minutes(5);

/// The health-code colour: the domain's own type, so the credential and the rule engine can
/// never disagree on the names.
pub use domain::rules::CodeColor as Colour;

/// What a ZK1 code says about its holder. Never the full name or ID number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claims {
    /// Issuer (`iss`), e.g. the platform's area code or host name.
    pub issuer: String,
    /// Pseudonymous person reference (`ref`): lets the status list name the person without
    /// naming them.
    pub reference: String,
    /// Current colour (`col`).
    pub colour: Colour,
    /// Date the colour took effect (`since`).
    pub since: NaiveDate,
    /// Masked name (`name`), e.g. `张**`.
    pub masked_name: String,
}

impl Claims {
    /// Claims for a person, masking the name with the platform's masking rule.
    pub fn new(
        issuer: impl Into<String>,
        reference: impl Into<String>,
        colour: Colour,
        since: NaiveDate,
        name: &PersonName,
    ) -> Self {
        Claims {
            issuer: issuer.into(),
            reference: reference.into(),
            colour,
            since,
            masked_name: domain::mask::mask_name(name.as_str()),
        }
    }
}

/// Sign and encode a ZK1 code, valid from `now` for `ttl` (see [`DEFAULT_TTL`]).
pub fn issue(
    key: &SigningKey,
    claims: &Claims,
    now: DateTime<Utc>,
    ttl: TimeDelta,
) -> Result<String, CredentialError> {
    let iat = now.timestamp();
    let exp = iat.saturating_add(ttl.num_seconds());
    let text = |s: &str| Value::Text(s.to_owned());
    let zk = Value::Map(vec![
        (text("ref"), text(&claims.reference)),
        (text("col"), text(claims.colour.as_str())),
        (
            text("since"),
            text(&claims.since.format("%Y-%m-%d").to_string()),
        ),
        (text("name"), text(&claims.masked_name)),
    ]);
    let cwt = Value::Map(vec![
        (int(1), text(&claims.issuer)),
        (int(4), int(exp)),
        (int(6), int(iat)),
        (int(ZK1_CLAIM), zk),
    ]);
    sign_encode(key, &cwt, "ZK1:")
}

/// The claim key of the EU DCC payload (`hcert`) in the CWT, and its version-1 key.
pub const HCERT_CLAIM: i64 = -260;

/// Sign and encode an EU Digital COVID Certificate (`HC1:`), as a foreign health authority
/// does: `certificate` is the DCC JSON (`ver`, `nam`, `dob`, and `v`/`t`/`r`), issued at `iat`
/// and valid until `exp`. Used for test certificates and the demo's foreign arrivals.
pub fn issue_hc1(
    key: &SigningKey,
    issuer: &str,
    certificate: &serde_json::Value,
    iat: DateTime<Utc>,
    exp: DateTime<Utc>,
) -> Result<String, CredentialError> {
    let dcc = Value::serialized(certificate)
        .map_err(|e| CredentialError::Encoding(format!("DCC JSON: {e}")))?;
    let cwt = Value::Map(vec![
        (int(1), Value::Text(issuer.to_owned())),
        (int(4), int(exp.timestamp())),
        (int(6), int(iat.timestamp())),
        (int(HCERT_CLAIM), Value::Map(vec![(int(1), dcc)])),
    ]);
    sign_encode(key, &cwt, "HC1:")
}

/// COSE_Sign1 ES256 over the CWT, zlib, Base45, with the prefix.
fn sign_encode(key: &SigningKey, cwt: &Value, prefix: &str) -> Result<String, CredentialError> {
    let payload = cbor::encode(cwt).map_err(CredentialError::Encoding)?;
    let protected = coset::HeaderBuilder::new()
        .algorithm(iana::Algorithm::ES256)
        .key_id(key.kid().to_vec())
        .build();
    let sign1 = coset::CoseSign1Builder::new()
        .protected(protected)
        .payload(payload)
        .try_create_signature(b"", |tbs| key.sign(tbs))?
        .build();
    let cose = sign1
        .to_tagged_vec()
        .map_err(|e| CredentialError::Encoding(format!("COSE: {e}")))?;
    let compressed = zlib(&cose, flate2::Compression::best())?;
    // A short message is mostly signature and short strings, which deflate barely shrinks: a
    // stored block is then smaller (a smaller QR symbol) and much cheaper to inflate.
    let stored = zlib(&cose, flate2::Compression::none())?;
    let compressed = if stored.len() <= compressed.len() {
        stored
    } else {
        compressed
    };
    Ok(format!("{prefix}{}", base45::encode(compressed)))
}

fn zlib(data: &[u8], level: flate2::Compression) -> Result<Vec<u8>, CredentialError> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::with_capacity(data.len() + 16), level);
    z.write_all(data)
        .map_err(|e| CredentialError::Encoding(format!("zlib: {e}")))?;
    z.finish()
        .map_err(|e| CredentialError::Encoding(format!("zlib: {e}")))
}

/// Decode the zhikong claim map of a verified or unverified ZK1 payload.
pub(crate) fn zk1_claims_json(
    cwt: &[(Value, Value)],
) -> Result<serde_json::Map<String, serde_json::Value>, String> {
    let Some(Value::Map(zk)) = cbor::get_int(cwt, ZK1_CLAIM) else {
        return Err(format!("no zhikong claim map under key {ZK1_CLAIM}"));
    };
    let field = |name: &str| match cbor::get_text(zk, name) {
        Some(Value::Text(t)) => Ok(t.clone()),
        Some(_) => Err(format!("claim {name:?} is not text")),
        None => Err(format!("claim {name:?} is missing")),
    };
    let mut out = serde_json::Map::new();
    out.insert("ref".into(), field("ref")?.into());
    let col = field("col")?;
    if col.parse::<Colour>().is_err() {
        return Err(format!(
            "claim \"col\" is {col:?}, not green, yellow or red"
        ));
    }
    out.insert("col".into(), col.into());
    out.insert("since".into(), field("since")?.into());
    out.insert("name".into(), field("name")?.into());
    Ok(out)
}
