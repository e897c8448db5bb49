//! Amounts as the statistics office writes them (`497.6` 亿元, `7.85` 亿美元, `55.5` %) and
//! as the platform stores them: exact integers in the indicator's base unit (fen, cent, basis
//! points). Parsing is exact decimal arithmetic: no binary floating point touches a value.

use super::{Currency, Indicator, Measure};
use crate::ValueError;

/// A unit an amount may be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DisplayUnit {
    /// The canonical way to write it, e.g. `亿元`.
    pub text: &'static str,
    pub measure: Measure,
    pub currency: Option<Currency>,
    /// Base units (fen, cent, basis points) in one of this unit.
    pub base_per_unit: i64,
}

const FEN_PER_YUAN: i64 = 100;

/// Every unit accepted, with its aliases.
const UNITS: &[(&[&str], DisplayUnit)] = &[
    (
        &["元", "yuan", "cny"],
        money("元", Currency::Cny, FEN_PER_YUAN),
    ),
    (
        &["万元", "10k yuan", "10k cny"],
        money("万元", Currency::Cny, 10_000 * FEN_PER_YUAN),
    ),
    (
        &["亿元", "100m yuan", "100m cny"],
        money("亿元", Currency::Cny, 100_000_000 * FEN_PER_YUAN),
    ),
    (&["美元", "usd", "us$"], money("美元", Currency::Usd, 100)),
    (
        &["万美元", "10k usd"],
        money("万美元", Currency::Usd, 1_000_000),
    ),
    (
        &["亿美元", "100m usd"],
        money("亿美元", Currency::Usd, 10_000_000_000),
    ),
    (
        &["%", "％", "percent"],
        DisplayUnit {
            text: "%",
            measure: Measure::Share,
            currency: None,
            base_per_unit: 100,
        },
    ),
    (&["元/亩", "yuan/mu"], per_mu("元/亩", FEN_PER_YUAN)),
    (
        &["万元/亩", "10k yuan/mu"],
        per_mu("万元/亩", 10_000 * FEN_PER_YUAN),
    ),
];

const fn money(text: &'static str, currency: Currency, base_per_unit: i64) -> DisplayUnit {
    DisplayUnit {
        text,
        measure: Measure::Money,
        currency: Some(currency),
        base_per_unit,
    }
}

const fn per_mu(text: &'static str, base_per_unit: i64) -> DisplayUnit {
    DisplayUnit {
        text,
        measure: Measure::MoneyPerMu,
        currency: Some(Currency::Cny),
        base_per_unit,
    }
}

impl DisplayUnit {
    pub fn parse(s: &str) -> Result<Self, ValueError> {
        let t = s.trim().to_lowercase();
        UNITS
            .iter()
            .find(|(names, _)| names.contains(&t.as_str()))
            .map(|(_, u)| *u)
            .ok_or_else(|| {
                ValueError::new(
                    "unknown_unit",
                    format!(
                        "unknown unit {s:?}; expected one of {}",
                        UNITS
                            .iter()
                            .map(|(n, _)| n[0])
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })
    }

    /// The unit reports use for an indicator: 亿元, 亿美元, %, 万元/亩.
    pub fn default_for(indicator: &Indicator) -> Self {
        let text = match (indicator.measure, indicator.currency) {
            (Measure::Money, Some(Currency::Usd)) => "亿美元",
            (Measure::Money, _) => "亿元",
            (Measure::Share, _) => "%",
            (Measure::MoneyPerMu, _) => "万元/亩",
        };
        Self::parse(text).expect("listed unit")
    }

    /// Refuse a unit that measures something else than the indicator (亿美元 for budget
    /// revenue, % for output).
    pub fn check(&self, indicator: &Indicator) -> Result<(), ValueError> {
        if self.measure == indicator.measure && self.currency == indicator.currency {
            Ok(())
        } else {
            Err(ValueError::new(
                "unit_mismatch",
                format!(
                    "unit {} measures {} but {} is {}",
                    self.text,
                    match self.currency {
                        Some(c) => format!("{} {c}", self.measure),
                        None => self.measure.to_string(),
                    },
                    indicator.code,
                    indicator.unit_words()
                ),
            ))
        }
    }

    /// An amount written in this unit, as an exact integer of base units.
    pub fn to_base(&self, text: &str) -> Result<i64, ValueError> {
        parse_scaled(text, self.base_per_unit)
    }

    /// A base amount written in this unit with at most `decimals` decimals (rounded half away
    /// from zero), trailing zeros removed: `7.85`, `29`, `497.6`.
    pub fn format(&self, base: i64, decimals: u32) -> String {
        format_scaled(base, self.base_per_unit, decimals)
    }

    /// The exact amount in this unit, every significant decimal kept.
    pub fn format_exact(&self, base: i64) -> String {
        format_scaled(base, self.base_per_unit, self.base_per_unit.ilog10())
    }
}

/// `text` (a decimal number, optionally signed, with optional `,` thousands separators and an
/// optional trailing `%`) times `scale`, exactly. Refuses digits finer than one base unit.
pub fn parse_scaled(text: &str, scale: i64) -> Result<i64, ValueError> {
    let bad = |why: &str| ValueError::new("bad_number", format!("{text:?}: {why}"));
    let t: String = text
        .trim()
        .trim_end_matches(['%', '％'])
        .chars()
        .filter(|c| *c != ',' && *c != '，')
        .collect();
    let (negative, digits) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(&t)),
    };
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, f),
        None => (digits, ""),
    };
    if int.is_empty() && frac.is_empty() {
        return Err(bad("not a number"));
    }
    if !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return Err(bad("not a number"));
    }
    let frac = frac.trim_end_matches('0');
    let mut value: i128 = 0;
    for b in int.bytes().chain(frac.bytes()) {
        value = value * 10 + i128::from(b - b'0');
        if value > i128::from(i64::MAX) * 1_000_000_000_000_000_000 {
            return Err(bad("too large"));
        }
    }
    let pow = 10_i128
        .checked_pow(u32::try_from(frac.len()).map_err(|_| bad("too many decimals"))?)
        .ok_or_else(|| bad("too many decimals"))?;
    let scaled = value * i128::from(scale);
    if scaled % pow != 0 {
        return Err(ValueError::new(
            "too_precise",
            format!("{text:?} has more decimals than the unit can hold"),
        ));
    }
    let v = scaled / pow;
    let v = if negative { -v } else { v };
    i64::try_from(v).map_err(|_| bad("too large"))
}

/// `base / scale` rounded half away from zero to `decimals` decimals, trailing zeros removed.
pub fn format_scaled(base: i64, scale: i64, decimals: u32) -> String {
    let pow = 10_i128.pow(decimals);
    let num = i128::from(base) * pow;
    let den = i128::from(scale);
    let q = div_round(num, den);
    let neg = q < 0;
    let q = q.unsigned_abs();
    let pow = pow as u128;
    let int = q / pow;
    let frac = q % pow;
    let mut s = if neg {
        format!("-{int}")
    } else {
        int.to_string()
    };
    if decimals > 0 && frac != 0 {
        let f = format!("{frac:0width$}", width = decimals as usize);
        s.push('.');
        s.push_str(f.trim_end_matches('0'));
    }
    s
}

/// `num / den` rounded half away from zero (den > 0).
pub(crate) fn div_round(num: i128, den: i128) -> i128 {
    let q = num / den;
    let r = num % den;
    if r.abs() * 2 >= den {
        q + num.signum()
    } else {
        q
    }
}

/// A value of an indicator in its report unit: `7.85亿美元`, `29亿元`, `55.5%`.
pub fn format_value(indicator: &Indicator, base: i64) -> String {
    let unit = DisplayUnit::default_for(indicator);
    let decimals = match indicator.measure {
        Measure::Share => 1,
        _ => 2,
    };
    format!("{}{}", unit.format(base, decimals), unit.text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::economy::{codes, default_catalog};

    fn ind(code: &str) -> Indicator {
        default_catalog()
            .into_iter()
            .find(|i| i.code == code)
            .unwrap()
    }

    #[test]
    fn report_figures_parse_exactly() {
        let yi_usd = DisplayUnit::parse("亿美元").unwrap();
        assert_eq!(yi_usd.to_base("7.85").unwrap(), 78_500_000_000); // US$785M in cents
        let yi = DisplayUnit::parse("亿元").unwrap();
        assert_eq!(yi.to_base("497.6").unwrap(), 4_976_000_000_000); // fen
        assert_eq!(yi.to_base("94.8").unwrap(), 948_000_000_000);
        assert_eq!(
            DisplayUnit::parse("万元")
                .unwrap()
                .to_base("1,234.56")
                .unwrap(),
            1_234_560_000
        );
        assert_eq!(
            DisplayUnit::parse("%").unwrap().to_base("55.5").unwrap(),
            5_550
        );
        assert_eq!(
            DisplayUnit::parse("元").unwrap().to_base("-0.01").unwrap(),
            -1
        );
        assert_eq!(
            DisplayUnit::parse("元").unwrap().to_base("12.300").unwrap(),
            1230
        );
    }

    #[test]
    fn bad_amounts_are_refused() {
        let yuan = DisplayUnit::parse("元").unwrap();
        assert_eq!(yuan.to_base("0.001").unwrap_err().code, "too_precise");
        for bad in [
            "",
            "abc",
            "1.2.3",
            "1e5",
            "--1",
            ".",
            "99999999999999999999999",
        ] {
            assert!(yuan.to_base(bad).is_err(), "{bad}");
        }
        assert_eq!(
            DisplayUnit::parse("亿卢布").unwrap_err().code,
            "unknown_unit"
        );
    }

    #[test]
    fn unit_must_match_the_indicator() {
        let usd = DisplayUnit::parse("亿美元").unwrap();
        usd.check(&ind(codes::FDI_CONTRACTED)).unwrap();
        let e = usd.check(&ind(codes::BUDGET_REVENUE)).unwrap_err();
        assert_eq!(e.code, "unit_mismatch");
        assert!(e.message.contains("budget_revenue"), "{}", e.message);
        assert!(
            DisplayUnit::parse("%")
                .unwrap()
                .check(&ind(codes::INDUSTRIAL_OUTPUT))
                .is_err()
        );
        DisplayUnit::parse("万元/亩")
            .unwrap()
            .check(&ind(codes::INDUSTRIAL_TAX_PER_MU))
            .unwrap();
    }

    #[test]
    fn formats_as_the_report_does() {
        assert_eq!(
            format_value(&ind(codes::FDI_CONTRACTED), 78_500_000_000),
            "7.85亿美元"
        );
        assert_eq!(
            format_value(&ind(codes::FDI_ACTUAL), 40_800_000_000),
            "4.08亿美元"
        );
        assert_eq!(
            format_value(&ind(codes::BUDGET_REVENUE), 290_000_000_000),
            "29亿元"
        );
        assert_eq!(
            format_value(&ind(codes::INDUSTRIAL_OUTPUT), 4_976_000_000_000),
            "497.6亿元"
        );
        assert_eq!(format_value(&ind(codes::SERVICES_SHARE), 5_550), "55.5%");
        // Rounding half away from zero.
        assert_eq!(format_scaled(785, 100, 1), "7.9");
        assert_eq!(format_scaled(-785, 100, 1), "-7.9");
        assert_eq!(format_scaled(-784, 100, 1), "-7.8");
        let yi = DisplayUnit::parse("亿元").unwrap();
        assert_eq!(yi.format_exact(4_976_000_000_001), "497.6000000001");
        assert_eq!(
            yi.to_base(&yi.format_exact(4_976_000_000_001)).unwrap(),
            4_976_000_000_001
        );
    }
}
