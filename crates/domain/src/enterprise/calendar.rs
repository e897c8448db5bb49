//! The working-day calendar: weekends, public holidays and the make-up workdays (调休) that
//! China moves onto weekends. Request deadlines count working days on it, so a request raised
//! before Spring Festival is not overdue on the first day of the holiday.

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Weekday};

/// The 2020 notice of the State Council (国办发明电〔2019〕16号), with Spring Festival extended
/// to 2 February (国办发明电〔2020〕1号, which also cancelled the make-up workday of 1 February).
/// Each line: a day, then `off` (holiday) or `work` (make-up workday on a weekend).
pub const CHINA_2020: &str = "\
2020-01-01 off
2020-01-19 work
2020-01-24 off
2020-01-25 off
2020-01-26 off
2020-01-27 off
2020-01-28 off
2020-01-29 off
2020-01-30 off
2020-01-31 off
2020-02-01 off
2020-02-02 off
2020-04-04 off
2020-04-05 off
2020-04-06 off
2020-04-26 work
2020-05-01 off
2020-05-02 off
2020-05-03 off
2020-05-04 off
2020-05-05 off
2020-05-09 work
2020-06-25 off
2020-06-26 off
2020-06-27 off
2020-06-28 work
2020-09-27 work
2020-10-01 off
2020-10-02 off
2020-10-03 off
2020-10-04 off
2020-10-05 off
2020-10-06 off
2020-10-07 off
2020-10-08 off
2020-10-10 work
";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    holidays: BTreeSet<NaiveDate>,
    workdays: BTreeSet<NaiveDate>,
}

impl WorkCalendar {
    /// Read the line format of [`CHINA_2020`]; `Err` names the first bad line.
    pub fn parse(text: &str) -> Result<Self, crate::ValueError> {
        let mut cal = WorkCalendar::default();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = || {
                crate::ValueError::new(
                    "bad_calendar",
                    format!(
                        "calendar line {}: {line:?} is not `YYYY-MM-DD off|work`",
                        n + 1
                    ),
                )
            };
            let (day, kind) = line.split_once(' ').ok_or_else(bad)?;
            let day: NaiveDate = day.parse().map_err(|_| bad())?;
            match kind.trim() {
                "off" => cal.holidays.insert(day),
                "work" => cal.workdays.insert(day),
                _ => return Err(bad()),
            };
        }
        Ok(cal)
    }

    /// The calendar in force: 2020's holidays; other years have weekends only.
    pub fn china() -> Self {
        // The text is a constant checked by the tests below, so this cannot fail at run time;
        // an empty calendar (weekends only) is still a sound answer if it ever did.
        Self::parse(CHINA_2020).unwrap_or_default()
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        if self.workdays.contains(&day) {
            return true;
        }
        if self.holidays.contains(&day) {
            return false;
        }
        !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
    }

    /// The `n`-th working day after `day` (`n` = 0: `day` itself).
    pub fn add_working_days(&self, day: NaiveDate, n: u32) -> NaiveDate {
        let mut d = day;
        let mut left = n;
        while left > 0 {
            d += Duration::days(1);
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// Working days strictly after `from` up to and including `to` (0 when `to <= from`).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let mut n = 0;
        let mut d = from;
        while d < to {
            d += Duration::days(1);
            if self.is_working_day(d) {
                n += 1;
            }
        }
        n
    }

    /// The deadline of something received at `received_ms` and due within `n` working days:
    /// the end (local midnight, Asia/Shanghai) of the `n`-th working day after the day of
    /// receipt. The day of receipt does not count, whatever the hour: a request raised at
    /// 17:55 gets the whole next working day, as the zone's practice had it.
    pub fn deadline_ms(&self, received_ms: i64, n: u32) -> i64 {
        let day = crate::time::to_local(received_ms).date_naive();
        end_of_day_ms(self.add_working_days(day, n))
    }
}

/// Local midnight after `day`, in UTC milliseconds.
pub fn end_of_day_ms(day: NaiveDate) -> i64 {
    let next = day + Duration::days(1);
    crate::time::shanghai()
        .from_local_datetime(&next.and_hms_opt(0, 0, 0).unwrap_or_default())
        .single()
        .map_or(0, |t| t.timestamp_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_data_parses_whole() {
        let cal = WorkCalendar::parse(CHINA_2020).unwrap();
        assert_eq!(cal.holidays.len(), 30);
        assert_eq!(cal.workdays.len(), 6);
        assert!(WorkCalendar::parse("2020-13-01 off").is_err());
        assert!(WorkCalendar::parse("2020-01-01 nap").is_err());
    }

    #[test]
    fn spring_festival_extended_to_february_2() {
        let cal = WorkCalendar::china();
        assert!(cal.is_working_day(d("2020-01-19")), "Sunday make-up day");
        assert!(!cal.is_working_day(d("2020-01-31")));
        assert!(
            !cal.is_working_day(d("2020-02-01")),
            "make-up day cancelled"
        );
        assert!(!cal.is_working_day(d("2020-02-02")));
        // Raised Thursday 23 January: the next working day is Monday 3 February.
        assert_eq!(cal.add_working_days(d("2020-01-23"), 1), d("2020-02-03"));
        assert_eq!(cal.add_working_days(d("2020-01-23"), 3), d("2020-02-05"));
        // Raised Friday 17 January: the Sunday make-up day counts.
        assert_eq!(cal.add_working_days(d("2020-01-17"), 1), d("2020-01-19"));
    }

    #[test]
    fn qingming() {
        let cal = WorkCalendar::china();
        assert_eq!(cal.add_working_days(d("2020-04-03"), 1), d("2020-04-07"));
        assert_eq!(cal.add_working_days(d("2020-04-02"), 3), d("2020-04-08"));
    }

    #[test]
    fn labour_day_with_its_make_up_days() {
        let cal = WorkCalendar::china();
        assert!(cal.is_working_day(d("2020-04-26")));
        assert!(cal.is_working_day(d("2020-05-09")));
        // Friday 24 April → Sunday 26 April (make-up).
        assert_eq!(cal.add_working_days(d("2020-04-24"), 1), d("2020-04-26"));
        // Thursday 30 April, complex: 6, 7, 8 May.
        assert_eq!(cal.add_working_days(d("2020-04-30"), 3), d("2020-05-08"));
        // Friday 8 May → Saturday 9 May (make-up).
        assert_eq!(cal.add_working_days(d("2020-05-08"), 1), d("2020-05-09"));
    }

    #[test]
    fn dragon_boat() {
        let cal = WorkCalendar::china();
        assert_eq!(cal.add_working_days(d("2020-06-24"), 1), d("2020-06-28"));
        assert_eq!(cal.add_working_days(d("2020-06-24"), 3), d("2020-06-30"));
    }

    #[test]
    fn national_day_and_mid_autumn() {
        let cal = WorkCalendar::china();
        assert!(cal.is_working_day(d("2020-09-27")));
        assert!(cal.is_working_day(d("2020-10-10")));
        assert_eq!(cal.add_working_days(d("2020-09-30"), 1), d("2020-10-09"));
        assert_eq!(cal.add_working_days(d("2020-09-30"), 3), d("2020-10-12"));
        assert_eq!(
            cal.working_days_between(d("2020-09-30"), d("2020-10-12")),
            3
        );
    }

    #[test]
    fn deadline_is_local_midnight() {
        let cal = WorkCalendar::china();
        // 2020-01-23 10:00 in Shanghai.
        let received = end_of_day_ms(d("2020-01-22")) + 10 * 3_600_000;
        assert_eq!(cal.deadline_ms(received, 1), end_of_day_ms(d("2020-02-03")));
    }
}
