//! ZK1 round trips: issue → verify, expiry, wrong keys, tampering, and the verdict's JSON shape.

use std::io::{Read as _, Write as _};

use credential::chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use credential::{
    Claims, Colour, DEFAULT_TTL, Format, SigningKey, TrustStore, TrustedKey, issue, verify,
};
use domain::PersonName;

fn now() -> DateTime<Utc> {
    "2025-03-01T08:00:00Z".parse().unwrap()
}

fn claims() -> Claims {
    Claims::new(
        "zhikong.test",
        "p-7f3a9c",
        Colour::Yellow,
        NaiveDate::from_ymd_opt(2025, 2, 27).unwrap(),
        &PersonName::parse("张三丰").unwrap(),
    )
}

fn setup() -> (SigningKey, TrustStore, String) {
    let key = SigningKey::generate().unwrap();
    let mut trust = TrustStore::new();
    trust.add_public_key(key.public_key(), None, None);
    let code = issue(&key, &claims(), now(), DEFAULT_TTL).unwrap();
    (key, trust, code)
}

#[test]
fn issued_code_verifies_and_carries_its_claims() {
    let (key, trust, code) = setup();
    assert!(code.starts_with("ZK1:"));
    let v = verify(&code, &trust, now() + TimeDelta::seconds(10));
    assert!(v.valid, "{v:?}");
    assert_eq!(v.format, Some(Format::Zk1));
    assert_eq!(v.error, None);
    let iat = now().timestamp();
    assert_eq!(
        v.claims,
        serde_json::json!({
            "iss": "zhikong.test", "iat": iat, "exp": iat + 300,
            "ref": "p-7f3a9c", "col": "yellow", "since": "2025-02-27", "name": "张**",
        })
    );
    // The kid is the SPKI kid of the signer, and the key survives PKCS#8.
    let again = SigningKey::from_pkcs8_der(&key.to_pkcs8_der()).unwrap();
    assert_eq!(again.kid(), key.public_key().kid());
    let code2 = issue(&again, &claims(), now(), DEFAULT_TTL).unwrap();
    assert!(verify(&code2, &trust, now()).valid);
}

#[test]
fn expiry_is_checked_at_the_given_clock() {
    let (_, trust, code) = setup();
    let exp = now() + DEFAULT_TTL;
    assert!(verify(&code, &trust, exp - TimeDelta::seconds(1)).valid);
    let v = verify(&code, &trust, exp);
    assert_eq!((v.valid, v.checks.expiry), (false, Some(false)));
    let v = verify(&code, &trust, exp + TimeDelta::minutes(1));
    assert_eq!(v.checks.signature, Some(true));
    assert_eq!((v.valid, v.checks.expiry), (false, Some(false)));
    assert!(v.error.unwrap().contains("expired"));
    // Issued in the future beyond the leeway: not yet valid.
    let v = verify(&code, &trust, now() - TimeDelta::minutes(2));
    assert_eq!((v.valid, v.checks.expiry), (false, Some(false)));
    assert!(verify(&code, &trust, now() - TimeDelta::seconds(30)).valid);
}

#[test]
fn custom_ttl() {
    let key = SigningKey::generate().unwrap();
    let mut trust = TrustStore::new();
    trust.add_public_key(key.public_key(), None, None);
    let code = issue(&key, &claims(), now(), TimeDelta::minutes(1)).unwrap();
    assert!(verify(&code, &trust, now() + TimeDelta::seconds(59)).valid);
    assert!(!verify(&code, &trust, now() + TimeDelta::seconds(61)).valid);
}

#[test]
fn wrong_key_fails_the_signature() {
    let (key, _, code) = setup();
    // Another key: the code's kid is unknown.
    let other = SigningKey::generate().unwrap();
    let mut trust = TrustStore::new();
    trust.add_public_key(other.public_key(), None, None);
    let v = verify(&code, &trust, now());
    assert_eq!((v.valid, v.checks.signature), (false, Some(false)));
    assert!(v.error.unwrap().contains("unknown key id"));
    // Another key filed under the signer's kid (a collision): tried, and it does not verify.
    let mut trust = TrustStore::new();
    trust.add(TrustedKey {
        key: other.public_key(),
        kids: vec![key.kid().to_vec()],
        not_before: None,
        not_after: None,
    });
    let v = verify(&code, &trust, now());
    assert_eq!((v.valid, v.checks.signature), (false, Some(false)));
    assert!(v.error.unwrap().contains("does not verify"));
    // Both under the same kid: the right one is found.
    trust.add(TrustedKey {
        key: key.public_key(),
        kids: vec![key.kid().to_vec()],
        not_before: None,
        not_after: None,
    });
    assert!(verify(&code, &trust, now()).valid);
    // Empty store.
    assert_eq!(
        verify(&code, &TrustStore::new(), now()).checks.signature,
        Some(false)
    );
}

#[test]
fn key_validity_applies_at_signing_time() {
    let key = SigningKey::generate().unwrap();
    let code = issue(&key, &claims(), now(), DEFAULT_TTL).unwrap();
    let mut retired = TrustStore::new();
    retired.add_public_key(key.public_key(), None, Some(now() - TimeDelta::hours(1)));
    let v = verify(&code, &retired, now());
    assert_eq!((v.valid, v.checks.signature), (false, Some(false)));
    let mut future = TrustStore::new();
    future.add_public_key(key.public_key(), Some(now() + TimeDelta::hours(1)), None);
    assert!(!verify(&code, &future, now()).valid);
    let mut current = TrustStore::new();
    current.add_public_key(key.public_key(), Some(now()), Some(now()));
    assert!(verify(&code, &current, now()).valid);
}

/// Decode a code to its COSE bytes, change them, and encode again: reaches the signature check.
fn recode(code: &str, change: impl FnOnce(&mut Vec<u8>)) -> String {
    let compressed = base45::decode(&code[4..]).unwrap();
    let mut cose = vec![];
    flate2::read::ZlibDecoder::new(&compressed[..])
        .read_to_end(&mut cose)
        .unwrap();
    change(&mut cose);
    let mut z = flate2::write::ZlibEncoder::new(vec![], flate2::Compression::default());
    z.write_all(&cose).unwrap();
    format!("{}{}", &code[..4], base45::encode(z.finish().unwrap()))
}

#[test]
fn tampering_fails_clearly() {
    let (_, trust, code) = setup();
    // Person reference changed inside the signed payload: decodes, signature fails.
    let forged = recode(&code, |cose| {
        let at = cose.windows(8).position(|w| w == b"p-7f3a9c").unwrap();
        cose[at..at + 8].copy_from_slice(b"p-000001");
    });
    let v = verify(&forged, &trust, now());
    assert_eq!(v.checks.cose, Some(true), "{v:?}");
    assert_eq!(v.claims["ref"], "p-000001");
    assert_eq!((v.valid, v.checks.signature), (false, Some(false)));
    assert!(v.error.unwrap().contains("signature"));
    // Last signature byte flipped.
    let flipped = recode(&code, |cose| *cose.last_mut().unwrap() ^= 1);
    assert_eq!(
        verify(&flipped, &trust, now()).checks.signature,
        Some(false)
    );
    // A character of the text changed: fails at Base45 or zlib, with a reason.
    let mut chars: Vec<char> = code.chars().collect();
    let mid = chars.len() / 2;
    chars[mid] = if chars[mid] == 'A' { 'B' } else { 'A' };
    let v = verify(&chars.into_iter().collect::<String>(), &trust, now());
    assert!(!v.valid && v.error.is_some(), "{v:?}");
    // Truncated.
    let v = verify(&code[..code.len() - 10], &trust, now());
    assert!(!v.valid && v.error.is_some());
    // HC1 prefix on a ZK1 body: the zhikong claim is not an hcert.
    let v = verify(&code.replacen("ZK1:", "HC1:", 1), &trust, now());
    assert_eq!((v.format, v.checks.cose), (Some(Format::Hc1), Some(false)));
}

#[test]
fn wrong_algorithm_is_refused() {
    let (_, trust, code) = setup();
    // Protected header {1: -7, 4: kid} → {1: -35 (ES384), …}: 0x26 is -7, 0x38 0x22 is -35.
    let es384 = recode(&code, |cose| {
        let at = cose.windows(2).position(|w| w == [0x01, 0x26]).unwrap();
        cose.splice(at + 1..at + 2, [0x38, 0x22]);
        // The protected bstr grew by one byte.
        cose[at - 2] += 1;
    });
    let v = verify(&es384, &trust, now());
    assert_eq!(v.checks.cose, Some(true), "{v:?}");
    assert_eq!(v.checks.signature, Some(false));
    assert!(v.error.unwrap().contains("unsupported signature algorithm"));
}

#[test]
fn zip_bomb_is_refused() {
    let trust = TrustStore::new();
    let mut z = flate2::write::ZlibEncoder::new(vec![], flate2::Compression::best());
    z.write_all(&vec![0u8; 1 << 20]).unwrap();
    let bomb = format!("ZK1:{}", base45::encode(z.finish().unwrap()));
    let v = verify(&bomb, &trust, now());
    assert_eq!((v.checks.base45, v.checks.zlib), (Some(true), Some(false)));
    let error = v.error.unwrap();
    assert!(error.contains("inflates to more than"), "{error}");
}

#[test]
fn verdict_json_has_the_documented_shape() {
    let v = verify("hello", &TrustStore::new(), now());
    assert_eq!(
        serde_json::to_string(&v).unwrap(),
        r#"{"format":null,"valid":false,"checks":{"prefix":false,"base45":null,"zlib":null,"cose":null,"signature":null,"expiry":null},"claims":{},"error":"unknown prefix \"hell\": expected \"ZK1:\" or \"HC1:\""}"#
    );
    let (_, trust, code) = setup();
    let json = serde_json::to_value(verify(&code, &trust, now())).unwrap();
    assert_eq!(json["format"], "ZK1");
    assert_eq!(json["valid"], true);
    assert_eq!(json["error"], serde_json::Value::Null);
    assert_eq!(
        json["checks"],
        serde_json::json!({"prefix": true, "base45": true, "zlib": true, "cose": true,
            "signature": true, "expiry": true})
    );
}
