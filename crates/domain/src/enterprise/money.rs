//! Money in fen (分), the ledger's unit: parsing 元 amounts exactly (no binary floating point)
//! and showing them back.

use crate::ValueError;

/// `"1234.5"`, `"1,234.50"`, `"1234"` (元) → fen. More than two decimals, a sign, or an amount
/// beyond 10^13 元 is refused rather than rounded.
pub fn parse_yuan(text: &str) -> Result<i64, ValueError> {
    let t: String = text.trim().chars().filter(|c| *c != ',').collect();
    let t = t.trim_end_matches('元');
    let bad = || {
        ValueError::new(
            "bad_amount",
            format!("{text:?} is not an amount in 元 such as 1234.50"),
        )
    };
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || whole.len() > 13 {
        return Err(bad());
    }
    if frac.len() > 2 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let mut f: i64 = if frac.is_empty() {
        0
    } else {
        frac.parse().map_err(|_| bad())?
    };
    if frac.len() == 1 {
        f *= 10;
    }
    Ok(whole * 100 + f)
}

/// fen → `"1,234.50"`.
pub fn format_yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    let whole = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{:02}", abs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_round_trip() {
        assert_eq!(parse_yuan("1,234.5").unwrap(), 123_450);
        assert_eq!(parse_yuan("0.01").unwrap(), 1);
        assert_eq!(parse_yuan("30000元").unwrap(), 3_000_000);
        assert_eq!(format_yuan(62_800_000_000), "628,000,000.00");
        assert_eq!(format_yuan(5), "0.05");
        for bad in ["", "-1", "1.234", "abc", "1e5", ".5", "99999999999999"] {
            assert!(parse_yuan(bad).is_err(), "{bad}");
        }
    }
}
