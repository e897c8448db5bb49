//! CBOR helpers: bounded decoding of untrusted bytes, lookups in CBOR maps, and conversion of
//! decoded claims to JSON for the verdict.

use base64::Engine as _;
use ciborium::value::{Integer, Value};

/// Decode exactly one CBOR item that spans all of `bytes`.
///
/// Allocation is bounded by the input: ciborium grows strings and arrays as it reads them, so a
/// header that announces a huge length fails at the end of the input instead of allocating.
/// Nesting is limited to ciborium's default of 256 levels, which keeps a crafted input from
/// exhausting the stack (here and in the JSON conversion below).
pub(crate) fn decode(bytes: &[u8]) -> Result<Value, String> {
    let mut rest = bytes;
    // A small scratch buffer: ciborium zeroes it on every call, and the default 4 KiB one
    // cost more than the decoding of a whole ZK1 payload. Longer strings are read in chunks.
    let mut scratch = [0u8; 128];
    let value: Value =
        ciborium::de::from_reader_with_buffer(&mut rest, &mut scratch).map_err(|e| match e {
            ciborium::de::Error::Io(e) => format!("truncated CBOR ({e})"),
            ciborium::de::Error::Syntax(at) => format!("CBOR syntax error at byte {at}"),
            ciborium::de::Error::Semantic(_, msg) => format!("invalid CBOR: {msg}"),
            ciborium::de::Error::RecursionLimitExceeded => "CBOR nested too deeply".to_string(),
        })?;
    if !rest.is_empty() {
        return Err(format!("{} trailing bytes after the CBOR item", rest.len()));
    }
    Ok(value)
}

pub(crate) fn encode(value: &Value) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    ciborium::ser::into_writer(value, &mut out).map_err(|e| e.to_string())?;
    Ok(out)
}

/// The value under integer key `key` in a CBOR map.
pub(crate) fn get_int(map: &[(Value, Value)], key: i64) -> Option<&Value> {
    map.iter()
        .find(|(k, _)| matches!(k, Value::Integer(i) if i128::from(*i) == i128::from(key)))
        .map(|(_, v)| v)
}

/// The value under text key `key` in a CBOR map.
pub(crate) fn get_text<'a>(map: &'a [(Value, Value)], key: &str) -> Option<&'a Value> {
    map.iter()
        .find(|(k, _)| matches!(k, Value::Text(t) if t == key))
        .map(|(_, v)| v)
}

/// A CWT NumericDate (seconds since the epoch): an integer, or a finite float (truncated).
pub(crate) fn as_seconds(value: &Value) -> Option<i64> {
    match value {
        Value::Integer(i) => i64::try_from(i128::from(*i)).ok(),
        Value::Float(f) if f.is_finite() && f.abs() < 1e15 => Some(f.trunc() as i64),
        Value::Tag(1, inner) => as_seconds(inner),
        _ => None,
    }
}

pub(crate) fn int(v: i64) -> Value {
    Value::Integer(Integer::from(v))
}

/// Convert decoded CBOR to JSON: tags are dropped (their content kept), byte strings become
/// base64, non-text map keys become their JSON text.
pub(crate) fn to_json(value: &Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        Value::Integer(i) => {
            let i = i128::from(*i);
            if let Ok(v) = i64::try_from(i) {
                J::from(v)
            } else if let Ok(v) = u64::try_from(i) {
                J::from(v)
            } else {
                J::String(i.to_string())
            }
        }
        Value::Bytes(b) => J::String(base64::engine::general_purpose::STANDARD.encode(b)),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
        Value::Text(t) => J::String(t.clone()),
        Value::Bool(b) => J::Bool(*b),
        Value::Null => J::Null,
        Value::Tag(_, inner) => to_json(inner),
        Value::Array(items) => J::Array(items.iter().map(to_json).collect()),
        Value::Map(entries) => J::Object(
            entries
                .iter()
                .map(|(k, v)| {
                    let key = match k {
                        Value::Text(t) => t.clone(),
                        other => to_json(other).to_string(),
                    };
                    (key, to_json(v))
                })
                .collect(),
        ),
        // `Value` is non-exhaustive; anything newer is shown as absent.
        _ => J::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_rejects_trailing_bytes_and_huge_lengths() {
        assert!(decode(&[0x01, 0x02]).is_err());
        // A byte string that claims 2^32 bytes but has none.
        assert!(decode(&[0x5a, 0xff, 0xff, 0xff, 0xff]).is_err());
        // An array that claims 2^64-1 elements.
        assert!(decode(&[0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]).is_err());
        // Deep nesting of arrays, maps and tags, well within a test thread's stack.
        assert!(decode(&[0x81; 1000]).is_err());
        assert!(decode(&[0xa1, 0x01].repeat(1000)).is_err());
        assert!(decode(&[0xc6; 1000]).is_err());
        let mut deep = vec![0x81; 250];
        deep.push(0x01);
        assert!(decode(&deep).is_ok());
        assert!(to_json(&decode(&deep).unwrap()).is_array());
        assert_eq!(decode(&[0x01]).unwrap(), int(1));
    }

    #[test]
    fn json_conversion_keeps_structure() {
        let v = Value::Map(vec![
            (int(1), Value::Text("a".into())),
            (Value::Text("b".into()), Value::Bytes(vec![0, 1])),
            (
                Value::Text("c".into()),
                Value::Tag(0, Box::new(Value::Float(f64::NAN))),
            ),
        ]);
        assert_eq!(
            to_json(&v),
            serde_json::json!({"1": "a", "b": "AAE=", "c": null})
        );
    }
}
