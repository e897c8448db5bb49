//! Economic operation (经济运行): the indicators catalog, periods, exact amounts in base units,
//! growth, rankings among the city's districts, historic highs and the report's summary
//! sentences. Pure functions: the app layer loads the records and calls these.

pub mod building;
pub mod catalog;
pub mod growth;
pub mod period;
pub mod permu;
pub mod project;
pub mod quantity;
pub mod rank;
pub mod series;
pub mod summary;

pub use catalog::{
    Aggregation, Currency, GrowthBasis, HOME_REGION, Indicator, Measure, PeriodKind, Region, codes,
    default_catalog, default_regions,
};
pub use growth::{Growth, GrowthSource, choose_growth, format_percent, growth_bp, share_bp};
pub use period::Period;
pub use quantity::{DisplayUnit, format_value};
pub use rank::{competition_rank, ordinal_zh, rank_of};
pub use series::{Figure, High, Observation, historic_high, to_date, year_figure};
pub use summary::{Facts, SummaryTemplate, default_templates, join_sentences, render_template};

#[cfg(test)]
mod props;
