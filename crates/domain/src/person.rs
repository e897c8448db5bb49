//! Persons: the people the zone looks after. Category decides which extra fields a record
//! carries (a foreign national has a nationality and a passport number).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::ValueError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PersonCategory {
    Resident,
    Worker,
    Visitor,
    Foreign,
}

impl PersonCategory {
    pub const ALL: [PersonCategory; 4] =
        [Self::Resident, Self::Worker, Self::Visitor, Self::Foreign];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Resident => "resident",
            Self::Worker => "worker",
            Self::Visitor => "visitor",
            Self::Foreign => "foreign",
        }
    }
}

impl FromStr for PersonCategory {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| {
                ValueError::new(
                    "unknown",
                    format!(
                        "unknown category {s:?}; expected resident, worker, visitor or foreign"
                    ),
                )
            })
    }
}

impl fmt::Display for PersonCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A person's name as written on their papers: 1–64 characters, no control characters.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        let v = input.trim();
        if v.is_empty() {
            return Err(ValueError::new("required", "name is required"));
        }
        if v.chars().count() > 64 {
            return Err(ValueError::new(
                "length",
                "name must be at most 64 characters",
            ));
        }
        if v.chars().any(char::is_control) {
            return Err(ValueError::new(
                "charset",
                "name must not contain control characters",
            ));
        }
        Ok(Self(v.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PersonName({})", crate::mask::mask_name(&self.0))
    }
}

/// ISO 3166-1 alpha-3 nationality, e.g. `KOR`, `DEU`.
pub fn parse_nationality(input: &str) -> Result<String, ValueError> {
    let v = input.trim().to_ascii_uppercase();
    if v.len() == 3 && v.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(v)
    } else {
        Err(ValueError::new(
            "format",
            "nationality must be a 3-letter ISO 3166 code, e.g. KOR",
        ))
    }
}

/// Passport numbers: 5–20 letters and digits.
pub fn parse_passport(input: &str) -> Result<String, ValueError> {
    let v = input.trim().to_ascii_uppercase();
    if (5..=20).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(v)
    } else {
        Err(ValueError::new(
            "format",
            "passport number must be 5–20 letters and digits",
        ))
    }
}
