//! The closed vocabularies of enterprise service: sector, grid level, officer kind. Each is
//! stored as text and parsed back, so an unknown word is refused at the edge, not stored.

use serde::{Deserialize, Serialize};

use crate::ValueError;

macro_rules! text_enum {
    ($name:ident, $what:literal, $($variant:ident = $text:literal / $zh:literal),+ $(,)?) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$(Self::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }

            /// The Chinese name, as forms and reports show it.
            pub fn zh(self) -> &'static str {
                match self { $(Self::$variant => $zh),+ }
            }

            /// By the stored text or the Chinese name.
            pub fn parse(s: &str) -> Result<Self, ValueError> {
                let s = s.trim();
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str().eq_ignore_ascii_case(s) || v.zh() == s)
                    .ok_or_else(|| {
                        let known: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                        ValueError::new(
                            concat!("unknown_", $what),
                            format!(concat!("unknown ", $what, " {:?}: one of {}"), s, known.join(", ")),
                        )
                    })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

text_enum!(
    Sector,
    "sector",
    Industry = "industry" / "工业",
    Service = "service" / "服务业",
    Construction = "construction" / "建筑业",
);

text_enum!(
    GridLevel,
    "grid_level",
    // Led by a 网格长.
    Grid = "grid" / "网格",
    // Kept by a 网格员.
    SubGrid = "sub_grid" / "子网格",
    // Kept by a 企业微网格员; every enterprise lies in exactly one.
    MicroGrid = "micro_grid" / "微网格",
);

text_enum!(
    OfficerKind,
    "officer_kind",
    Enterprise = "enterprise" / "驻企指导员",
    Prevention = "prevention" / "防疫指导员",
    Policy = "policy" / "政策指导员",
);

impl GridLevel {
    /// The level a grid of this level hangs under; None for the top.
    pub fn parent(self) -> Option<GridLevel> {
        match self {
            GridLevel::Grid => None,
            GridLevel::SubGrid => Some(GridLevel::Grid),
            GridLevel::MicroGrid => Some(GridLevel::SubGrid),
        }
    }

    /// The keeper's title.
    pub fn keeper_zh(self) -> &'static str {
        match self {
            GridLevel::Grid => "网格长",
            GridLevel::SubGrid => "网格员",
            GridLevel::MicroGrid => "企业微网格员",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_by_text_or_chinese() {
        assert_eq!(Sector::parse("工业").unwrap(), Sector::Industry);
        assert_eq!(Sector::parse("Service").unwrap(), Sector::Service);
        assert_eq!(Sector::parse("farm").unwrap_err().code, "unknown_sector");
        assert_eq!(
            OfficerKind::parse("防疫指导员").unwrap(),
            OfficerKind::Prevention
        );
        for l in GridLevel::ALL {
            assert_eq!(GridLevel::parse(l.as_str()).unwrap(), *l);
        }
        assert_eq!(GridLevel::MicroGrid.parent(), Some(GridLevel::SubGrid));
    }
}
