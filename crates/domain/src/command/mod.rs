//! The command centre's two measures: the five-colour risk level of an area on a day
//! ([`risk`]) and the precision control index of a street on a day ([`index`]). Both are
//! versioned tables parsed from TOML, validated on the way in, pure functions of their figures.

pub mod index;
pub mod risk;

pub use index::{IndexPart, IndexTable, Indicator, IndicatorScore, Part, Score};
pub use risk::{Assessment, CaseEvent, RiskFigures, RiskLevel, RiskTable};
