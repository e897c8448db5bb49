//! Any input yields a verdict, never a panic: arbitrary strings, and single-byte mutations of
//! valid ZK1 and HC1 codes at the text level and inside the compressed COSE message.

use std::io::{Read as _, Write as _};
use std::sync::OnceLock;

use credential::chrono::{DateTime, NaiveDate, Utc};
use credential::{Claims, Colour, DEFAULT_TTL, SigningKey, TrustStore, Verdict, issue, verify};
use proptest::prelude::*;

const DCC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/dcc");

struct Fixture {
    trust: TrustStore,
    codes: Vec<String>,
    at: DateTime<Utc>,
}

/// A ZK1 code and two HC1 codes (ES256 and PS256), all trusted and valid at `at` except that
/// the HC1 ones are checked at the ZK1 instant too (expiry is just another step here).
fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let at: DateTime<Utc> = "2025-03-01T08:00:00Z".parse().unwrap();
        let key = SigningKey::generate().unwrap();
        let mut trust = TrustStore::new();
        trust.add_public_key(key.public_key(), None, None);
        let claims = Claims {
            issuer: "zhikong.test".into(),
            reference: "p-1".into(),
            colour: Colour::Green,
            since: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            masked_name: "李*".into(),
        };
        let mut codes = vec![issue(&key, &claims, at, DEFAULT_TTL).unwrap()];
        for file in ["DE/1.json", "common/CO1.json"] {
            let doc: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(format!("{DCC}/{file}")).unwrap())
                    .unwrap();
            trust
                .add_certificates(doc["TESTCTX"]["CERTIFICATE"].as_str().unwrap().as_bytes())
                .unwrap();
            codes.push(doc["PREFIX"].as_str().unwrap().to_owned());
        }
        Fixture { trust, codes, at }
    })
}

/// The verdict is internally consistent and serializes to the documented shape.
fn consistent(v: &Verdict) -> Result<(), TestCaseError> {
    let c = &v.checks;
    let all = [c.base45, c.zlib, c.cose, c.signature, c.expiry];
    prop_assert_eq!(v.valid, v.error.is_none());
    prop_assert_eq!(v.valid, c.prefix && all.iter().all(|s| *s == Some(true)));
    prop_assert_eq!(v.format.is_some(), c.prefix);
    // Steps run in order: nothing after the first failure or gap.
    let reached = all.iter().take_while(|s| **s == Some(true)).count();
    prop_assert!(
        all[reached..].iter().skip(1).all(Option::is_none),
        "{:?}",
        c
    );
    let json = serde_json::to_value(v).unwrap();
    prop_assert!(json["claims"].is_object());
    Ok(())
}

fn cose_of(code: &str) -> Vec<u8> {
    let compressed = base45::decode(&code[4..]).unwrap();
    let mut cose = vec![];
    flate2::read::ZlibDecoder::new(&compressed[..])
        .read_to_end(&mut cose)
        .unwrap();
    cose
}

fn encode(prefix: &str, cose: &[u8]) -> String {
    let mut z = flate2::write::ZlibEncoder::new(vec![], flate2::Compression::fast());
    z.write_all(cose).unwrap();
    format!("{prefix}{}", base45::encode(z.finish().unwrap()))
}

#[test]
fn fixture_codes_are_valid() {
    let f = fixture();
    assert!(verify(&f.codes[0], &f.trust, f.at).valid);
    for code in &f.codes[1..] {
        assert_eq!(verify(code, &f.trust, f.at).checks.signature, Some(true));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_strings(s in any::<String>()) {
        let f = fixture();
        consistent(&verify(&s, &f.trust, f.at))?;
    }

    #[test]
    fn prefixed_base45_noise(prefix in prop::sample::select(vec!["ZK1:", "HC1:"]),
                             body in "[0-9A-Z $%*+./:-]{0,600}") {
        let f = fixture();
        let v = verify(&format!("{prefix}{body}"), &f.trust, f.at);
        consistent(&v)?;
        prop_assert!(!v.valid);
    }

    #[test]
    fn text_mutations(which in 0usize..3, index in any::<prop::sample::Index>(),
                      replacement in prop::char::any()) {
        let f = fixture();
        let code = &f.codes[which];
        let mut chars: Vec<char> = code.chars().collect();
        let i = index.index(chars.len());
        chars[i] = replacement;
        let mutated: String = chars.into_iter().collect();
        let v = verify(&mutated, &f.trust, f.at);
        consistent(&v)?;
        if v.valid {
            // Only a change the decoder cannot see (the unused bits that pad the last deflate
            // byte) may keep a code valid: the signed message must be the same.
            let same = mutated.get(..4) == code.get(..4)
                && base45::decode(&mutated[4..]).is_ok_and(|c| {
                    let mut cose = vec![];
                    flate2::read::ZlibDecoder::new(&c[..]).read_to_end(&mut cose).is_ok()
                        && cose == cose_of(code)
                });
            prop_assert!(same, "{}", mutated);
        }
    }

    #[test]
    fn cose_mutations(which in 0usize..3, index in any::<prop::sample::Index>(), byte in any::<u8>(),
                      truncate in any::<bool>()) {
        let f = fixture();
        let code = &f.codes[which];
        let mut cose = cose_of(code);
        let i = index.index(cose.len());
        if truncate {
            cose.truncate(i);
        } else {
            cose[i] = byte;
        }
        let v = verify(&encode(&code[..4], &cose), &f.trust, f.at);
        consistent(&v)?;
    }
}
