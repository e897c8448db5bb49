//! Reporting periods: a year, a quarter or a month, and whether a value covers that period
//! alone or the year to date (累计, "1-7月").

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::PeriodKind;
use crate::ValueError;

pub const MIN_YEAR: i32 = 1949;
pub const MAX_YEAR: i32 = 2100;

/// One period. `no` is 0 for a year, 1–4 for a quarter, 1–12 for a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Period {
    pub year: i32,
    pub kind: PeriodKind,
    pub no: u8,
}

impl Period {
    pub fn new(kind: PeriodKind, year: i32, no: u8) -> Result<Self, ValueError> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(ValueError::new(
                "bad_year",
                format!("year {year} is outside {MIN_YEAR}-{MAX_YEAR}"),
            ));
        }
        let ok = match kind {
            PeriodKind::Year => no == 0,
            PeriodKind::Quarter => (1..=4).contains(&no),
            PeriodKind::Month => (1..=12).contains(&no),
        };
        if !ok {
            return Err(ValueError::new(
                "bad_period",
                format!("{kind} number {no} does not exist"),
            ));
        }
        Ok(Self { year, kind, no })
    }

    pub fn year(year: i32) -> Result<Self, ValueError> {
        Self::new(PeriodKind::Year, year, 0)
    }

    pub fn month(year: i32, month: u8) -> Result<Self, ValueError> {
        Self::new(PeriodKind::Month, year, month)
    }

    pub fn quarter(year: i32, quarter: u8) -> Result<Self, ValueError> {
        Self::new(PeriodKind::Quarter, year, quarter)
    }

    /// The last month the period covers (12 for a year).
    pub fn last_month(self) -> u8 {
        match self.kind {
            PeriodKind::Year => 12,
            PeriodKind::Quarter => self.no * 3,
            PeriodKind::Month => self.no,
        }
    }

    /// The first month the period covers.
    pub fn first_month(self) -> u8 {
        self.last_month() + 1 - self.kind.months()
    }

    /// The same period one year earlier (the base of year-on-year growth).
    pub fn previous_year(self) -> Self {
        Self {
            year: self.year - 1,
            ..self
        }
    }

    /// The period before this one of the same kind within the year, if any.
    pub fn previous_in_year(self) -> Option<Self> {
        match self.kind {
            PeriodKind::Year => None,
            _ if self.no > 1 => Some(Self {
                no: self.no - 1,
                ..self
            }),
            _ => None,
        }
    }

    /// How the statistics office writes it: `2019年`, `2019年7月`, `2019年1-7月` (cumulative),
    /// `2019年第3季度`, `2019年1-3季度`.
    pub fn label_zh(self, cumulative: bool) -> String {
        match (self.kind, cumulative) {
            (PeriodKind::Year, _) => format!("{}年", self.year),
            (PeriodKind::Month, false) => format!("{}年{}月", self.year, self.no),
            (PeriodKind::Month, true) if self.no == 1 => format!("{}年1月", self.year),
            (PeriodKind::Month, true) => format!("{}年1-{}月", self.year, self.no),
            (PeriodKind::Quarter, false) => format!("{}年第{}季度", self.year, self.no),
            (PeriodKind::Quarter, true) if self.no == 1 => format!("{}年第1季度", self.year),
            (PeriodKind::Quarter, true) => format!("{}年1-{}季度", self.year, self.no),
        }
    }
}

/// `2019`, `2019-Q3`, `2019-07`.
impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            PeriodKind::Year => write!(f, "{}", self.year),
            PeriodKind::Quarter => write!(f, "{}-Q{}", self.year, self.no),
            PeriodKind::Month => write!(f, "{}-{:02}", self.year, self.no),
        }
    }
}

/// Accepts `2019`, `2019-Q3` / `2019Q3`, `2019-07` / `2019-7` / `2019/07`, and the Chinese
/// `2019年`, `2019年7月`, `2019年第3季度`, `2019年3季度`.
impl FromStr for Period {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || {
            ValueError::new(
                "bad_period",
                format!(
                    "period {s:?} is not a year (2019), a quarter (2019-Q3) or a month (2019-07)"
                ),
            )
        };
        let t = s.trim();
        let num = |x: &str| -> Result<i64, ValueError> {
            if x.is_empty() || x.len() > 4 || !x.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            x.parse().map_err(|_| bad())
        };
        let small =
            |x: &str| -> Result<u8, ValueError> { u8::try_from(num(x)?).map_err(|_| bad()) };
        let (year_part, rest) = if let Some(i) = t.find('年') {
            (&t[..i], Some(t[i + '年'.len_utf8()..].trim()))
        } else if let Some(i) = t.find(['-', '/']) {
            (&t[..i], Some(&t[i + 1..]))
        } else if let Some(i) = t.find(['Q', 'q']) {
            (&t[..i], Some(&t[i..]))
        } else {
            (t, None)
        };
        if year_part.len() != 4 {
            return Err(bad());
        }
        let year = i32::try_from(num(year_part)?).map_err(|_| bad())?;
        match rest {
            None | Some("") => Period::year(year),
            Some(r) => {
                if let Some(q) = r.strip_prefix(['Q', 'q']) {
                    Period::quarter(year, small(q)?)
                } else if let Some(q) = r.strip_prefix('第').unwrap_or(r).strip_suffix("季度") {
                    Period::quarter(year, small(q)?)
                } else {
                    Period::month(year, small(r.strip_suffix('月').unwrap_or(r))?)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_every_form() {
        for (text, shown) in [
            ("2019", "2019"),
            ("2019年", "2019"),
            ("2019-Q3", "2019-Q3"),
            ("2019Q3", "2019-Q3"),
            ("2019年第3季度", "2019-Q3"),
            ("2019年3季度", "2019-Q3"),
            ("2019-07", "2019-07"),
            ("2019-7", "2019-07"),
            ("2019/12", "2019-12"),
            ("2019年7月", "2019-07"),
            (" 2018 ", "2018"),
        ] {
            assert_eq!(text.parse::<Period>().unwrap().to_string(), shown, "{text}");
        }
        for bad in [
            "",
            "19",
            "2019-13",
            "2019-Q5",
            "2019-Q0",
            "2019-00",
            "abcd",
            "2019-x",
            "1800",
            "2019年13月",
        ] {
            assert!(bad.parse::<Period>().is_err(), "{bad}");
        }
    }

    #[test]
    fn months_covered_and_labels() {
        let q3 = Period::quarter(2019, 3).unwrap();
        assert_eq!((q3.first_month(), q3.last_month()), (7, 9));
        let y = Period::year(2019).unwrap();
        assert_eq!((y.first_month(), y.last_month()), (1, 12));
        assert_eq!(
            Period::month(2019, 7).unwrap().label_zh(true),
            "2019年1-7月"
        );
        assert_eq!(Period::month(2019, 7).unwrap().label_zh(false), "2019年7月");
        assert_eq!(q3.label_zh(true), "2019年1-3季度");
        assert_eq!(y.previous_year(), Period::year(2018).unwrap());
        assert_eq!(
            Period::month(2019, 7).unwrap().previous_in_year(),
            Some(Period::month(2019, 6).unwrap())
        );
        assert!(Period::month(2019, 1).unwrap().previous_in_year().is_none());
    }

    #[test]
    fn periods_sort_by_year_then_kind() {
        let mut v = [
            Period::year(2019).unwrap(),
            Period::month(2019, 2).unwrap(),
            Period::month(2018, 12).unwrap(),
            Period::month(2019, 1).unwrap(),
        ];
        v.sort();
        assert_eq!(v[0], Period::month(2018, 12).unwrap());
        assert_eq!(v[1], Period::month(2019, 1).unwrap());
    }
}
