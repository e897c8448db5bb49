//! Phone numbers: mainland mobile numbers (11 digits, `1[3-9]…`, an optional +86 prefix) and
//! landlines with area code (`0573-82345678`). Stored normalised, shown masked.

use std::fmt;

use crate::{ValueError, mask::mask_phone};

#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        let compact: String = input
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '(' | ')'))
            .collect();
        if compact.is_empty() {
            return Err(ValueError::new("required", "phone number is required"));
        }
        let national = compact
            .strip_prefix("+86")
            .or_else(|| compact.strip_prefix("0086"))
            .unwrap_or(&compact);
        if !national.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ValueError::new(
                "digits",
                "phone number may contain only digits",
            ));
        }
        let b = national.as_bytes();
        if b.first() == Some(&b'1') {
            if b.len() != 11 {
                return Err(ValueError::new(
                    "length",
                    format!("mobile number must have 11 digits, got {}", b.len()),
                ));
            }
            if !(b'3'..=b'9').contains(&b[1]) {
                return Err(ValueError::new(
                    "prefix",
                    format!("mobile number cannot start with 1{}", b[1] as char),
                ));
            }
            return Ok(Self(national.to_owned()));
        }
        if b.first() == Some(&b'0') {
            // Area code (3–4 digits incl. the 0) + 7–8 digit subscriber number.
            if !(10..=12).contains(&b.len()) || b.get(1) == Some(&b'0') {
                return Err(ValueError::new(
                    "length",
                    "landline must be an area code and a 7–8 digit number",
                ));
            }
            return Ok(Self(national.to_owned()));
        }
        Err(ValueError::new(
            "prefix",
            "phone number must be a mobile number (1…) or a landline with area code (0…)",
        ))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn masked(&self) -> String {
        mask_phone(&self.0)
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phone({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_mobile_with_prefix_and_spaces() {
        assert_eq!(
            Phone::parse("+86 138-1234-5678").unwrap().as_str(),
            "13812345678"
        );
    }

    #[test]
    fn accepts_landline() {
        assert_eq!(
            Phone::parse("0573-82345678").unwrap().as_str(),
            "057382345678"
        );
    }

    #[test]
    fn rejects_short_mobile() {
        assert_eq!(Phone::parse("1381234567").unwrap_err().code, "length");
    }

    #[test]
    fn rejects_letters() {
        assert_eq!(Phone::parse("1381234567a").unwrap_err().code, "digits");
    }
}
