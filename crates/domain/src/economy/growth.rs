//! Growth rates in basis points (30.8% = 3080): computed year on year from two values, or
//! taken as reported. Comparable-price growth (可比增长) is only ever taken as reported.

use serde::{Deserialize, Serialize};

use super::GrowthBasis;
use super::quantity::{div_round, format_scaled, parse_scaled};
use crate::ValueError;

/// Where a growth rate came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GrowthSource {
    /// As the statistics office reported it (kept even where the values would say otherwise).
    Reported,
    /// Computed here from this period's value and the same period of the year before.
    Computed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Growth {
    /// Basis points: 30.8% is 3080.
    pub bp: i64,
    pub source: GrowthSource,
    pub basis: GrowthBasis,
}

impl Growth {
    /// `30.8%`, `7%`, `-2.1%`: one decimal, as reports write growth.
    pub fn percent(&self) -> String {
        format_percent(self.bp)
    }
}

/// Year-on-year growth of `current` over `previous`, in basis points rounded half away from
/// zero; none when the base is zero or negative (a growth rate needs a positive base).
pub fn growth_bp(current: i64, previous: i64) -> Option<i64> {
    if previous <= 0 {
        return None;
    }
    let d = (i128::from(current) - i128::from(previous)) * 10_000;
    i64::try_from(div_round(d, i128::from(previous))).ok()
}

/// `part` as a share of `whole`, in basis points.
pub fn share_bp(part: i64, whole: i64) -> Option<i64> {
    if whole <= 0 {
        return None;
    }
    i64::try_from(div_round(i128::from(part) * 10_000, i128::from(whole))).ok()
}

/// The growth to show: the reported one when there is one; otherwise, for nominal
/// indicators, the one computed from the values; comparable growth is never computed.
pub fn choose_growth(
    basis: GrowthBasis,
    reported_bp: Option<i64>,
    current: Option<i64>,
    previous: Option<i64>,
) -> Option<Growth> {
    if let Some(bp) = reported_bp {
        return Some(Growth {
            bp,
            source: GrowthSource::Reported,
            basis,
        });
    }
    match (basis, current, previous) {
        (GrowthBasis::Nominal, Some(c), Some(p)) => growth_bp(c, p).map(|bp| Growth {
            bp,
            source: GrowthSource::Computed,
            basis,
        }),
        _ => None,
    }
}

/// A growth rate as written in a file: `30.8`, `30.8%`, `-2.15`. At most two decimals.
pub fn parse_growth(text: &str) -> Result<i64, ValueError> {
    parse_scaled(text, 100).map_err(|e| {
        ValueError::new(
            "bad_growth",
            format!(
                "growth {text:?} is not a percentage with at most two decimals ({})",
                e.message
            ),
        )
    })
}

/// Basis points as a percentage with one decimal, trailing zero removed: `30.8%`, `7%`.
pub fn format_percent(bp: i64) -> String {
    format!("{}%", format_scaled(bp, 100, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    // US$785M contracted FDI in 2019, +30.8%: the 2018 base was about US$600.15M.
    const FDI_2019_CENTS: i64 = 78_500_000_000;
    const FDI_2018_CENTS: i64 = 60_015_290_520;

    #[test]
    fn growth_of_contracted_fdi() {
        assert_eq!(growth_bp(FDI_2019_CENTS, FDI_2018_CENTS), Some(3080));
        assert_eq!(format_percent(3080), "30.8%");
        // 108.7%: transport investment more than doubled.
        assert_eq!(growth_bp(20_870, 10_000), Some(10_870));
        assert_eq!(format_percent(10_870), "108.7%");
        assert_eq!(growth_bp(90, 100), Some(-1000));
        assert_eq!(format_percent(-1000), "-10%");
        assert_eq!(growth_bp(5, 0), None);
        assert_eq!(growth_bp(5, -3), None);
    }

    #[test]
    fn rounds_half_away_from_zero() {
        // 1/3 = 0.33333 → 3333 bp; 2/3 → 6667 bp.
        assert_eq!(growth_bp(4, 3), Some(3333));
        assert_eq!(growth_bp(5, 3), Some(6667));
        assert_eq!(growth_bp(1, 3), Some(-6667));
        assert_eq!(format_percent(3079), "30.8%");
        assert_eq!(format_percent(3074), "30.7%");
        assert_eq!(format_percent(700), "7%");
    }

    #[test]
    fn reported_growth_wins_and_comparable_is_never_computed() {
        let gdp = choose_growth(GrowthBasis::Comparable, Some(700), Some(110), Some(100)).unwrap();
        assert_eq!((gdp.bp, gdp.source), (700, GrowthSource::Reported));
        assert_eq!(
            choose_growth(GrowthBasis::Comparable, None, Some(110), Some(100)),
            None
        );
        let c = choose_growth(GrowthBasis::Nominal, None, Some(110), Some(100)).unwrap();
        assert_eq!((c.bp, c.source), (1000, GrowthSource::Computed));
        assert_eq!(
            choose_growth(GrowthBasis::Nominal, None, Some(110), None),
            None
        );
    }

    #[test]
    fn parses_growth_text() {
        assert_eq!(parse_growth("30.8").unwrap(), 3080);
        assert_eq!(parse_growth("30.8%").unwrap(), 3080);
        assert_eq!(parse_growth("-2.15").unwrap(), -215);
        assert_eq!(parse_growth("1.234").unwrap_err().code, "bad_growth");
        assert!(parse_growth("fast").is_err());
    }

    #[test]
    fn services_share_of_gdp() {
        assert_eq!(share_bp(555, 1000), Some(5550));
        assert_eq!(share_bp(1, 0), None);
    }
}
