//! Checkpoints (卡点) and gates (小门): where people are screened.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::ValueError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckpointKind {
    /// 交通卡点 on roads into the zone.
    Traffic,
    CommunityGate,
    FactoryGate,
    CommercialGate,
    ParkGate,
    QuarantineSite,
}

impl CheckpointKind {
    pub const ALL: [CheckpointKind; 6] = [
        Self::Traffic,
        Self::CommunityGate,
        Self::FactoryGate,
        Self::CommercialGate,
        Self::ParkGate,
        Self::QuarantineSite,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Traffic => "traffic",
            Self::CommunityGate => "community_gate",
            Self::FactoryGate => "factory_gate",
            Self::CommercialGate => "commercial_gate",
            Self::ParkGate => "park_gate",
            Self::QuarantineSite => "quarantine_site",
        }
    }
}

impl FromStr for CheckpointKind {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| ValueError::new("unknown", format!("unknown checkpoint kind {s:?}")))
    }
}

impl fmt::Display for CheckpointKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
