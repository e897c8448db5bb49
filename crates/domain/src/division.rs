//! 行政区划代码 (GB/T 2260): six digits, the first two a province. Itineraries and risk-area
//! lists name places by them.

use crate::ValueError;
use crate::resident_id::PROVINCES;

/// A six-digit division code with a known province prefix.
pub fn parse_division_code(input: &str) -> Result<String, ValueError> {
    let v = input.trim();
    if v.len() != 6 || !v.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ValueError::new(
            "format",
            format!("division code {v:?} must be six digits"),
        ));
    }
    if !PROVINCES.contains(&&v[..2]) {
        return Err(ValueError::new(
            "unknown",
            format!(
                "division code {v} starts with unknown province code {}",
                &v[..2]
            ),
        ));
    }
    Ok(v.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_wuhan_and_refuses_nonsense() {
        assert_eq!(parse_division_code(" 420100 ").unwrap(), "420100");
        assert_eq!(parse_division_code("42010").unwrap_err().code, "format");
        assert_eq!(parse_division_code("000000").unwrap_err().code, "unknown");
        assert_eq!(
            parse_division_code("四二〇一〇〇").unwrap_err().code,
            "format"
        );
    }
}
