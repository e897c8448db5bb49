//! HC1 certificates issued here verify through the one pipeline against a trust list that
//! holds their signer, and fail against one that does not.

use chrono::{TimeZone, Utc};
use credential::{SigningKey, TrustStore, issue_hc1, verify};

#[test]
fn issued_hc1_verifies_against_its_signer_only() {
    let key = SigningKey::generate().unwrap();
    let dcc = serde_json::json!({
        "ver": "1.0.0",
        "nam": {"fn": "Kim", "gn": "Minjun", "fnt": "KIM", "gnt": "MINJUN"},
        "dob": "1990-04-02",
        "t": [{"tg": "840539006", "tt": "LP6464-4", "sc": "2020-03-20T08:00:00Z",
               "tr": "260415000", "tc": "Incheon", "co": "KR", "is": "KDCA", "ci": "URN:UVCI:01:KR:1"}]
    });
    let iat = Utc.with_ymd_and_hms(2020, 3, 20, 10, 0, 0).unwrap();
    let exp = Utc.with_ymd_and_hms(2020, 4, 20, 10, 0, 0).unwrap();
    let text = issue_hc1(&key, "KR", &dcc, iat, exp).unwrap();
    assert!(text.starts_with("HC1:"));
    let mut trust = TrustStore::new();
    trust.add_public_key(key.public_key(), None, None);
    let at = Utc.with_ymd_and_hms(2020, 3, 22, 4, 0, 0).unwrap();
    let v = verify(&text, &trust, at);
    assert!(v.valid, "{:?}", v.error);
    assert_eq!(v.claims["name"], "Kim, Minjun");
    let other = TrustStore::new();
    assert!(!verify(&text, &other, at).valid);
    // After expiry it no longer verifies.
    let late = Utc.with_ymd_and_hms(2020, 5, 1, 0, 0, 0).unwrap();
    assert!(!verify(&text, &trust, late).valid);
}
