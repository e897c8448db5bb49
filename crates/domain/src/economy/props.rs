//! Property tests of the economy's arithmetic: exact round trips, ranks, growth, parsers.

use proptest::prelude::*;

use super::quantity::{DisplayUnit, format_scaled, parse_scaled};
use super::{High, Period, competition_rank, growth_bp, historic_high};

const UNITS: [&str; 9] = [
    "元",
    "万元",
    "亿元",
    "美元",
    "万美元",
    "亿美元",
    "%",
    "元/亩",
    "万元/亩",
];

proptest! {
    #[test]
    fn exact_amounts_round_trip(v in -1_000_000_000_000_000i64..1_000_000_000_000_000, u in 0usize..UNITS.len()) {
        let unit = DisplayUnit::parse(UNITS[u]).unwrap();
        prop_assert_eq!(unit.to_base(&unit.format_exact(v)).unwrap(), v);
    }

    #[test]
    fn rounding_is_within_half_a_step(v in -1_000_000_000_000i64..1_000_000_000_000, d in 0u32..4) {
        // base / 100 shown with d decimals differs from the exact value by at most half a step.
        let shown = parse_scaled(&format_scaled(v, 100, d), 10i64.pow(d)).unwrap();
        let exact = i128::from(v) * i128::from(10i64.pow(d));
        prop_assert!((i128::from(shown) * 100 - exact).abs() * 2 <= 100);
    }

    #[test]
    fn parsers_never_panic(s in "\\PC{0,24}") {
        let _ = s.parse::<Period>();
        let _ = parse_scaled(&s, 100);
        let _ = DisplayUnit::parse(&s);
        let _ = super::growth::parse_growth(&s);
        let _ = super::summary::check_template(&s);
    }

    #[test]
    fn ranks_are_competition_ranks(values in proptest::collection::vec(-50i64..50, 0..30)) {
        let items: Vec<(usize, i64)> = values.iter().copied().enumerate().collect();
        let ranked = competition_rank(&items);
        prop_assert_eq!(ranked.len(), items.len());
        for (k, r) in &ranked {
            // Rank = 1 + how many are strictly higher.
            let higher = values.iter().filter(|v| **v > values[*k]).count() as u32;
            prop_assert_eq!(*r, higher + 1);
        }
        // In rank order, never decreasing.
        prop_assert!(ranked.windows(2).all(|w| w[0].1 <= w[1].1));
    }

    #[test]
    fn growth_recovers_the_rate_it_was_built_from(
        current in 1_000_000_000i64..10_000_000_000_000,
        g in -9_000i64..50_000,
    ) {
        // previous = current / (1 + g): large amounts leave no rounding in the basis points.
        let previous = ((i128::from(current) * 20_000 + i128::from(10_000 + g)) / (i128::from(10_000 + g) * 2)) as i64;
        prop_assert_eq!(growth_bp(current, previous), Some(g));
    }

    #[test]
    fn a_new_high_is_above_every_earlier_year(values in proptest::collection::vec(0i64..100, 1..12)) {
        let series: Vec<(i32, i64)> = values.iter().enumerate().map(|(i, v)| (2000 + i as i32, *v)).collect();
        let (last_year, last) = *series.last().unwrap();
        let high = historic_high(&series, last_year, 1);
        let earlier = &series[..series.len() - 1];
        match high {
            High::New { .. } => prop_assert!(earlier.iter().all(|(_, v)| *v < last)),
            High::No => prop_assert!(earlier.iter().any(|(_, v)| *v >= last)),
            High::NoHistory => prop_assert!(earlier.is_empty()),
            High::NoValue => prop_assert!(false),
        }
    }
}
