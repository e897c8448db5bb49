//! One indicator's observations for one region, and what follows from them: the figure for a
//! year or for the year to date (from a year record, a cumulative record, or the sum of the
//! months or quarters), and whether a year is a historic high (创历史新高).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Aggregation, Period, PeriodKind};

/// One recorded value. `cumulative` values cover the year to the end of `period` (1-7月).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observation {
    pub period: Period,
    pub cumulative: bool,
    pub value: Option<i64>,
    pub reported_growth_bp: Option<i64>,
}

/// The figure for a stretch of a year, and the growth reported for exactly that stretch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure {
    pub value: Option<i64>,
    pub reported_growth_bp: Option<i64>,
}

/// The figure for January to the end of month `to_month` of `year`: a cumulative record
/// ending there (or a year record when `to_month` is 12); else, for an indicator that adds
/// up, the sum of the single periods (quarters, then months) that tile that stretch exactly.
/// Growth is taken only from a record that covers exactly that stretch.
pub fn to_date(
    obs: &[Observation],
    aggregation: Aggregation,
    year: i32,
    to_month: u8,
) -> Option<Figure> {
    let covers = |o: &Observation| {
        o.period.year == year
            && o.period.last_month() == to_month
            && (o.cumulative || o.period.first_month() == 1)
    };
    // A record covering exactly Jan..to_month: prefer year, then quarter, then month records.
    let mut exact: Vec<&Observation> = obs.iter().filter(|o| covers(o)).collect();
    exact.sort_by_key(|o| std::cmp::Reverse(o.period.kind));
    if let Some(o) = exact.iter().find(|o| o.value.is_some()) {
        return Some(Figure {
            value: o.value,
            reported_growth_bp: o.reported_growth_bp,
        });
    }
    let reported_growth_bp = exact.iter().find_map(|o| o.reported_growth_bp);
    let summed = if aggregation == Aggregation::Sum {
        sum_single_periods(obs, year, to_month)
    } else {
        None
    };
    if summed.is_none() && reported_growth_bp.is_none() {
        return None;
    }
    Some(Figure {
        value: summed,
        reported_growth_bp,
    })
}

/// Sum of single (non-cumulative) quarters and months tiling Jan..to_month, largest pieces
/// first; none if any month is uncovered. A cumulative record also yields its single month
/// by difference with the one before it.
fn sum_single_periods(obs: &[Observation], year: i32, to_month: u8) -> Option<i64> {
    let mut month_values: BTreeMap<u8, i64> = BTreeMap::new();
    let mut quarter_values: BTreeMap<u8, i64> = BTreeMap::new();
    let mut cumulative_months: BTreeMap<u8, i64> = BTreeMap::new();
    for o in obs.iter().filter(|o| o.period.year == year) {
        let Some(v) = o.value else { continue };
        match (o.period.kind, o.cumulative) {
            (PeriodKind::Month, false) => {
                month_values.insert(o.period.no, v);
            }
            (PeriodKind::Month, true) => {
                cumulative_months.insert(o.period.no, v);
            }
            (PeriodKind::Quarter, false) => {
                quarter_values.insert(o.period.no, v);
            }
            _ => {}
        }
    }
    for (&m, &v) in &cumulative_months {
        if m == 1 {
            month_values.entry(1).or_insert(v);
        } else if let Some(&before) = cumulative_months.get(&(m - 1)) {
            month_values.entry(m).or_insert(v - before);
        }
    }
    let mut total: i64 = 0;
    let mut month = 1u8;
    while month <= to_month {
        let quarter = (month - 1) / 3 + 1;
        if month % 3 == 1
            && month + 2 <= to_month
            && let Some(q) = quarter_values.get(&quarter)
        {
            total = total.checked_add(*q)?;
            month += 3;
            continue;
        }
        total = total.checked_add(*month_values.get(&month)?)?;
        month += 1;
    }
    Some(total)
}

/// The figure for a whole year.
pub fn year_figure(obs: &[Observation], aggregation: Aggregation, year: i32) -> Option<Figure> {
    to_date(obs, aggregation, year, 12)
}

/// Running totals of single-month values: the cumulative-to-date series (1月, 1-2月, …).
pub fn cumulate(monthly: &[i64]) -> Vec<i64> {
    monthly
        .iter()
        .scan(0i64, |sum, v| {
            *sum += v;
            Some(*sum)
        })
        .collect()
}

/// Whether a year's value is the highest of its series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum High {
    /// Higher than every earlier year (创历史新高); `again` when the year before was one too
    /// (再创历史新高).
    New { again: bool },
    /// Not above an earlier year (equal is not a new high).
    No,
    /// Nothing earlier to compare with: a first record is not called a high.
    NoHistory,
    /// No value for that year.
    NoValue,
}

impl High {
    pub fn is_new(self) -> bool {
        matches!(self, High::New { .. })
    }
}

/// Whether `year` set a historic high in `series` (year, value); years may come in any order.
/// A record needs a history: with fewer than `min_earlier` earlier years on record the answer
/// is `NoHistory` (beating the one year before is growth, not a record).
pub fn historic_high(series: &[(i32, i64)], year: i32, min_earlier: usize) -> High {
    let Some(&(_, value)) = series.iter().find(|(y, _)| *y == year) else {
        return High::NoValue;
    };
    let earlier = series.iter().filter(|(y, _)| *y < year).count();
    let earlier_max = series
        .iter()
        .filter(|(y, _)| *y < year)
        .map(|(_, v)| *v)
        .max();
    match earlier_max {
        None => High::NoHistory,
        Some(_) if earlier < min_earlier.max(1) => High::NoHistory,
        Some(m) if value > m => {
            let previous = series
                .iter()
                .filter(|(y, _)| *y < year)
                .max_by_key(|(y, _)| *y)
                .map(|(y, _)| *y);
            let again = previous.is_some_and(|p| historic_high(series, p, min_earlier).is_new());
            High::New { again }
        }
        Some(_) => High::No,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(y: i32, m: u8, v: i64) -> Observation {
        Observation {
            period: Period::month(y, m).unwrap(),
            cumulative: false,
            value: Some(v),
            reported_growth_bp: None,
        }
    }

    #[test]
    fn year_is_the_sum_of_its_months() {
        let obs: Vec<_> = (1..=12)
            .map(|m| month(2019, m, i64::from(m) * 10))
            .collect();
        let f = year_figure(&obs, Aggregation::Sum, 2019).unwrap();
        assert_eq!(f.value, Some(780));
        assert_eq!(
            to_date(&obs, Aggregation::Sum, 2019, 7).unwrap().value,
            Some(280)
        );
        // A missing month: no year figure.
        assert_eq!(year_figure(&obs[..11], Aggregation::Sum, 2019), None);
        // A level (a share) does not add up.
        assert_eq!(year_figure(&obs, Aggregation::Level, 2019), None);
        assert_eq!(cumulate(&[10, 20, 30]), vec![10, 30, 60]);
    }

    #[test]
    fn a_year_record_wins_and_carries_its_reported_growth() {
        let mut obs: Vec<_> = (1..=12).map(|m| month(2019, m, 1)).collect();
        obs.push(Observation {
            period: Period::year(2019).unwrap(),
            cumulative: true,
            value: Some(13),
            reported_growth_bp: Some(700),
        });
        let f = year_figure(&obs, Aggregation::Sum, 2019).unwrap();
        assert_eq!((f.value, f.reported_growth_bp), (Some(13), Some(700)));
    }

    #[test]
    fn cumulative_records_give_the_year_to_date() {
        let obs: Vec<_> = [(1u8, 10i64), (2, 25), (3, 45)]
            .into_iter()
            .map(|(m, v)| Observation {
                period: Period::month(2019, m).unwrap(),
                cumulative: true,
                value: Some(v),
                reported_growth_bp: (m == 3).then_some(1050),
            })
            .collect();
        let f = to_date(&obs, Aggregation::Sum, 2019, 3).unwrap();
        assert_eq!((f.value, f.reported_growth_bp), (Some(45), Some(1050)));
        // Quarters and months tile a stretch: Q1 + April.
        let mixed = vec![
            Observation {
                period: Period::quarter(2019, 1).unwrap(),
                cumulative: false,
                value: Some(100),
                reported_growth_bp: None,
            },
            month(2019, 4, 40),
        ];
        assert_eq!(
            to_date(&mixed, Aggregation::Sum, 2019, 4).unwrap().value,
            Some(140)
        );
        // Single months recovered from cumulative records by difference.
        let mut partial = obs.clone();
        partial.push(month(2019, 4, 5));
        assert_eq!(
            to_date(&partial, Aggregation::Sum, 2019, 4).unwrap().value,
            Some(50)
        );
    }

    #[test]
    fn a_growth_only_record_still_reports_growth() {
        let obs = vec![Observation {
            period: Period::year(2019).unwrap(),
            cumulative: true,
            value: None,
            reported_growth_bp: Some(1050),
        }];
        let f = year_figure(&obs, Aggregation::Sum, 2019).unwrap();
        assert_eq!((f.value, f.reported_growth_bp), (None, Some(1050)));
    }

    #[test]
    fn historic_highs() {
        // Above-scale industrial output, 亿元: 2019's 497.6 is a new high.
        let output = [
            (2015, 3702),
            (2016, 3890),
            (2017, 4315),
            (2018, 4650),
            (2019, 4976),
        ];
        assert_eq!(historic_high(&output, 2019, 1), High::New { again: true });
        assert_eq!(historic_high(&output, 2015, 1), High::NoHistory);
        assert_eq!(historic_high(&output, 2020, 1), High::NoValue);
        let dip = [(2016, 10), (2017, 8), (2018, 9), (2019, 11)];
        assert_eq!(historic_high(&dip, 2018, 1), High::No);
        assert_eq!(historic_high(&dip, 2019, 1), High::New { again: false });
        // Equal to an earlier maximum is not new.
        assert_eq!(historic_high(&[(2018, 5), (2019, 5)], 2019, 1), High::No);
        // Order of the input does not matter.
        assert_eq!(
            historic_high(&[(2019, 7), (2017, 3), (2018, 5)], 2019, 1),
            High::New { again: true }
        );
        // Too short a history: beating last year is growth, not a record.
        assert_eq!(
            historic_high(&[(2018, 5), (2019, 6)], 2019, 3),
            High::NoHistory
        );
        assert_eq!(historic_high(&output, 2019, 3), High::New { again: true });
        // 2017 has two earlier years: no record yet; 2018 is the first, 2019 a record again.
        assert_eq!(historic_high(&output, 2017, 3), High::NoHistory);
        assert_eq!(historic_high(&output, 2018, 3), High::New { again: false });
    }
}
