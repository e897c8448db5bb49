//! The area tree: zone → street (街道) → community (社区) → micro-grid (微网格).
//! Every person, checkpoint and account hangs off one node of it; access is scoped by it.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::ValueError;

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum AreaKind {
    Zone,
    Street,
    Community,
    MicroGrid,
}

impl AreaKind {
    pub const ALL: [AreaKind; 4] = [Self::Zone, Self::Street, Self::Community, Self::MicroGrid];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Zone => "zone",
            Self::Street => "street",
            Self::Community => "community",
            Self::MicroGrid => "micro_grid",
        }
    }

    /// Depth in the tree, zone = 0.
    pub fn depth(self) -> usize {
        self as usize
    }

    /// The kind a child of this kind must have; micro-grids are leaves.
    pub fn child(self) -> Option<AreaKind> {
        Self::ALL.get(self.depth() + 1).copied()
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Zone => "园区",
            Self::Street => "街道",
            Self::Community => "社区",
            Self::MicroGrid => "微网格",
        }
    }
}

impl FromStr for AreaKind {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                ValueError::new(
                    "unknown",
                    format!(
                        "unknown area kind {s:?}; expected zone, street, community or micro_grid"
                    ),
                )
            })
    }
}

impl fmt::Display for AreaKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An area code: 1–32 characters of ASCII digits, letters and `-`, e.g. `330402001001` or
/// `330402001001-03`. Codes are how imports and people name areas.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AreaCode(String);

impl AreaCode {
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        let v = input.trim();
        if v.is_empty() {
            return Err(ValueError::new("required", "area code is required"));
        }
        if v.len() > 32 {
            return Err(ValueError::new(
                "length",
                "area code must be at most 32 characters",
            ));
        }
        if !v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err(ValueError::new(
                "charset",
                "area code may contain only letters, digits and '-'",
            ));
        }
        Ok(Self(v.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for AreaCode {
    type Error = ValueError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<AreaCode> for String {
    fn from(value: AreaCode) -> Self {
        value.0
    }
}

impl fmt::Display for AreaCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Materialised path of an area, `/1/5/23/`: the ids from the root down. A scope check is a
/// prefix test, so "is this record inside my area" needs no recursive query.
pub fn child_path(parent_path: &str, id: i64) -> String {
    format!("{parent_path}{id}/")
}

pub fn path_contains(scope_path: &str, path: &str) -> bool {
    path.starts_with(scope_path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_chain_down_to_micro_grid() {
        assert_eq!(AreaKind::Zone.child(), Some(AreaKind::Street));
        assert_eq!(AreaKind::Community.child(), Some(AreaKind::MicroGrid));
        assert_eq!(AreaKind::MicroGrid.child(), None);
    }

    #[test]
    fn area_code_rejects_spaces_inside() {
        assert_eq!(AreaCode::parse("33 04").unwrap_err().code, "charset");
    }

    #[test]
    fn path_scope_is_prefix() {
        assert!(path_contains("/1/5/", "/1/5/23/"));
        assert!(!path_contains("/1/5/", "/1/50/"));
    }
}
