//! 居民身份证号码 (GB 11643-1999): 6-digit division code, 8-digit birth date, 3-digit
//! sequence, and an ISO 7064 MOD 11-2 check character (`0`–`9` or `X`).

use std::fmt;

use chrono::NaiveDate;

use crate::{ValueError, mask::mask_id_number};

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
/// First two digits of GB/T 2260 province-level codes (incl. 71 Taiwan, 81/82 HK/Macao, 83 for
/// residence permits of Taiwan residents).
pub(crate) const PROVINCES: [&str; 37] = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41",
    "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71",
    "81", "82", "83", "91", "99",
];

/// A resident identity number that passed every check of GB 11643-1999.
/// `Debug` shows it masked so that it cannot leak into logs by accident.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResidentId(String);

impl ResidentId {
    /// Parse and validate; a lower-case `x` is accepted and stored as `X`.
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        let value = input.trim().to_ascii_uppercase();
        if value.is_empty() {
            return Err(ValueError::new("required", "ID number is required"));
        }
        if value.chars().count() != 18 {
            return Err(ValueError::new(
                "length",
                format!(
                    "ID number must have 18 characters, got {}",
                    value.chars().count()
                ),
            ));
        }
        // By character, not byte: the input may hold multi-byte characters.
        if let Some(pos) = value.chars().take(17).position(|c| !c.is_ascii_digit()) {
            return Err(ValueError::new(
                "digits",
                format!("ID number character {} must be a digit", pos + 1),
            ));
        }
        if !value
            .chars()
            .nth(17)
            .is_some_and(|c| c.is_ascii_digit() || c == 'X')
        {
            return Err(ValueError::new(
                "check_char",
                "the last character of an ID number must be a digit or X",
            ));
        }
        // From here on the value is 18 ASCII bytes, so byte slicing is safe.
        let bytes = value.as_bytes();
        if !PROVINCES.contains(&&value[..2]) {
            return Err(ValueError::new(
                "division",
                format!(
                    "ID number starts with unknown province code {}",
                    &value[..2]
                ),
            ));
        }
        if &value[2..6] == "0000" && &value[..2] != "99" {
            // A person is registered in a prefecture or county, never the province itself.
            return Err(ValueError::new(
                "division",
                format!("ID number division code {} names no county", &value[..6]),
            ));
        }
        birth_date_of(&value[6..14])?;
        if &value[14..17] == "000" {
            return Err(ValueError::new(
                "sequence",
                "ID number sequence 000 is not issued",
            ));
        }
        let expected = check_char(&value[..17]);
        if bytes[17] as char != expected {
            return Err(ValueError::new(
                "check_char",
                format!(
                    "ID number check character should be {expected}, not {}",
                    &value[17..]
                ),
            ));
        }
        Ok(Self(value))
    }

    /// Build a valid number from its parts (used by the demo generator). Parts that cannot form
    /// a number are refused with the code `parse` would use, never a panic.
    pub fn from_parts(division: &str, birth: NaiveDate, sequence: u16) -> Result<Self, ValueError> {
        if division.len() != 6 || !division.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ValueError::new(
                "division",
                format!("division code {division:?} must be 6 digits"),
            ));
        }
        if !(1..=999).contains(&sequence) {
            return Err(ValueError::new(
                "sequence",
                format!("ID number sequence must be 001–999, got {sequence}"),
            ));
        }
        let body = format!("{division}{}{:03}", birth.format("%Y%m%d"), sequence);
        if body.len() != 17 || !body.bytes().all(|b| b.is_ascii_digit()) {
            // Years before 0 or after 9999 do not fit the 8-digit date.
            return Err(ValueError::new(
                "birth_date",
                format!("birth date {birth} does not fit an ID number"),
            ));
        }
        let full = format!("{body}{}", check_char(&body));
        Self::parse(&full)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }

    /// The GB/T 2260 division code of the place of first registration.
    pub fn division_code(&self) -> &str {
        &self.0[..6]
    }

    pub fn birth_date(&self) -> NaiveDate {
        birth_date_of(&self.0[6..14]).expect("validated at parse")
    }

    /// Odd sequence digit = male, even = female.
    pub fn is_male(&self) -> bool {
        (self.0.as_bytes()[16] - b'0') % 2 == 1
    }

    pub fn masked(&self) -> String {
        mask_id_number(&self.0)
    }
}

/// ISO 7064 MOD 11-2 check character over the first 17 digits.
/// Panics if `first17` is not 17 ASCII digits; callers validate first.
pub fn check_char(first17: &str) -> char {
    assert_eq!(first17.len(), 17, "check_char needs 17 digits");
    let sum: u32 = first17
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    CHECK_CHARS[(sum % 11) as usize]
}

fn birth_date_of(digits: &str) -> Result<NaiveDate, ValueError> {
    let date = NaiveDate::parse_from_str(digits, "%Y%m%d").map_err(|_| {
        ValueError::new(
            "birth_date",
            format!("ID number birth date {digits} is not a real date"),
        )
    })?;
    let earliest = NaiveDate::from_ymd_opt(1890, 1, 1).expect("constant date");
    let today = chrono::Local::now().date_naive();
    if date < earliest || date > today {
        return Err(ValueError::new(
            "birth_date",
            format!("ID number birth date {digits} is out of range"),
        ));
    }
    Ok(date)
}

impl fmt::Debug for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResidentId({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_standard_example() {
        // The worked example of GB 11643-1999 appendix.
        let id = ResidentId::parse("11010519491231002X").unwrap();
        assert_eq!(id.division_code(), "110105");
        assert_eq!(
            id.birth_date(),
            NaiveDate::from_ymd_opt(1949, 12, 31).unwrap()
        );
        assert!(!id.is_male());
    }

    #[test]
    fn lower_case_x_is_normalised() {
        assert_eq!(
            ResidentId::parse("11010519491231002x").unwrap().as_str(),
            "11010519491231002X"
        );
    }

    #[test]
    fn rejects_wrong_check_char() {
        let err = ResidentId::parse("110105194912310021").unwrap_err();
        assert_eq!(err.code, "check_char");
        assert!(err.message.contains("should be X"));
    }

    #[test]
    fn rejects_impossible_date() {
        let body = "33040219900230123";
        let id = format!("{body}{}", check_char(body));
        assert_eq!(ResidentId::parse(&id).unwrap_err().code, "birth_date");
    }

    #[test]
    fn debug_is_masked() {
        let id = ResidentId::parse("11010519491231002X").unwrap();
        assert_eq!(format!("{id:?}"), "ResidentId(110105********002X)");
    }
}
