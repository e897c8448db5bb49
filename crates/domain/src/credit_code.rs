//! 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-character alphabet; the last is a
//! MOD 31 check character over the first 17 with weights 3^i mod 31.

use std::fmt;

use crate::ValueError;

const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// A unified social credit code with a correct check character. Not personal data: shown in full.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CreditCode(String);

impl CreditCode {
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        let value = input.trim().to_ascii_uppercase();
        if value.is_empty() {
            return Err(ValueError::new("required", "credit code is required"));
        }
        if value.chars().count() != 18 {
            return Err(ValueError::new(
                "length",
                format!(
                    "credit code must have 18 characters, got {}",
                    value.chars().count()
                ),
            ));
        }
        // By character, not byte: a multi-byte character is reported as itself, at its position.
        for (i, c) in value.chars().enumerate() {
            if !(c.is_ascii() && ALPHABET.contains(&(c as u8))) {
                return Err(ValueError::new(
                    "charset",
                    format!(
                        "credit code character {} ({c}) is not allowed (I, O, S, V, Z are never used)",
                        i + 1,
                    ),
                ));
            }
        }
        // From here on every character is one ASCII byte, so byte slicing is safe.
        if !value.as_bytes()[2..8].iter().all(u8::is_ascii_digit) {
            return Err(ValueError::new(
                "division",
                "credit code characters 3–8 must be a division code of digits",
            ));
        }
        let expected = check_char(&value[..17]);
        if value.as_bytes()[17] as char != expected {
            return Err(ValueError::new(
                "check_char",
                format!(
                    "credit code check character should be {expected}, not {}",
                    &value[17..]
                ),
            ));
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// GB/T 2260 division code of the registering authority (characters 3–8).
    pub fn division_code(&self) -> &str {
        &self.0[2..8]
    }
}

/// The check character for 17 characters from the alphabet.
/// Panics on characters outside the alphabet; callers validate first.
pub fn check_char(first17: &str) -> char {
    let sum: u32 = first17
        .bytes()
        .zip(WEIGHTS)
        .map(|(c, w)| {
            let v = ALPHABET
                .iter()
                .position(|&a| a == c)
                .expect("character from the alphabet");
            v as u32 * w
        })
        .sum();
    let check = (31 - sum % 31) % 31;
    ALPHABET[check as usize] as char
}

impl fmt::Debug for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CreditCode({})", self.0)
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_known_codes() {
        // Published codes of real organisations.
        for code in [
            "91330000MA27U1PX3D",
            "91110000100010433L",
            "91330400704206263J",
        ] {
            let body = &code[..17];
            let fixed = format!("{body}{}", check_char(body));
            CreditCode::parse(&fixed).unwrap();
        }
        CreditCode::parse("91110000100010433L").unwrap();
    }

    #[test]
    fn rejects_bad_check() {
        assert_eq!(
            CreditCode::parse("91110000100010433M").unwrap_err().code,
            "check_char"
        );
    }

    #[test]
    fn rejects_forbidden_letters() {
        assert_eq!(
            CreditCode::parse("9111000010001043IL").unwrap_err().code,
            "charset"
        );
    }
}
