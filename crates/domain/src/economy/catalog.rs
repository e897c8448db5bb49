//! The indicators catalog (指标目录) and the regions compared (the zone and the peer districts
//! of Jiaxing). Both are data: the defaults here are what an empty database starts with.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::ValueError;

/// Generates `ALL`, `as_str`, `FromStr` and `Display` for a unit-only enum stored as text.
macro_rules! text_enum {
    ($name:ident, $what:literal, { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $name {
            pub const ALL: &'static [$name] = &[$(Self::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text),+
                }
            }
        }

        impl FromStr for $name {
            type Err = ValueError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|k| k.as_str() == s)
                    .ok_or_else(|| ValueError::new("unknown", format!("unknown {} {s:?}", $what)))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// What a value measures, and so what its integer means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// An amount of money in the minor unit of its currency (fen, cent).
    Money,
    /// A share of a whole in basis points (55.5% = 5550).
    Share,
    /// Money per mu of land (亩均), in minor units per mu.
    MoneyPerMu,
}
text_enum!(Measure, "measure", { Money => "money", Share => "share", MoneyPerMu => "money_per_mu" });

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Currency {
    #[serde(rename = "CNY")]
    Cny,
    #[serde(rename = "USD")]
    Usd,
}
text_enum!(Currency, "currency", { Cny => "CNY", Usd => "USD" });

impl Currency {
    pub fn name_zh(self) -> &'static str {
        match self {
            Self::Cny => "人民币",
            Self::Usd => "美元",
        }
    }
}

/// The length of a reporting period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    Month,
    Quarter,
    Year,
}
text_enum!(PeriodKind, "period kind", { Month => "month", Quarter => "quarter", Year => "year" });

impl PeriodKind {
    /// Months in one period of this kind.
    pub fn months(self) -> u8 {
        match self {
            Self::Month => 1,
            Self::Quarter => 3,
            Self::Year => 12,
        }
    }
}

/// Whether values of shorter periods add up to the longer ones (output, revenue) or not
/// (a share, a per-mu figure: a level).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    Sum,
    Level,
}
text_enum!(Aggregation, "aggregation", { Sum => "sum", Level => "level" });

/// How the growth of an indicator is stated. Comparable (可比价) growth removes price changes
/// and cannot be computed from the nominal values: it is only ever taken as reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GrowthBasis {
    Nominal,
    Comparable,
}
text_enum!(GrowthBasis, "growth basis", { Nominal => "nominal", Comparable => "comparable" });

/// One indicator of the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indicator {
    /// Stable identifier: lowercase ASCII letters, digits and `_`.
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub measure: Measure,
    /// Required for money, absent for shares.
    pub currency: Option<Currency>,
    /// The shortest period the indicator is reported for; longer periods are allowed too.
    pub period_kind: PeriodKind,
    pub aggregation: Aggregation,
    pub growth_basis: GrowthBasis,
    /// The indicator this one is a part of (transport investment is part of fixed-asset
    /// investment).
    pub parent: Option<String>,
    /// Display order.
    pub sort: i64,
}

impl Indicator {
    /// Refuse an indicator whose fields contradict each other.
    pub fn validate(&self) -> Result<(), ValueError> {
        if self.code.is_empty()
            || self.code.len() > 40
            || !self
                .code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(ValueError::new(
                "bad_code",
                format!(
                    "indicator code {:?} must be 1-40 lowercase letters, digits or _",
                    self.code
                ),
            ));
        }
        if self.name_zh.trim().is_empty() {
            return Err(ValueError::new("required", "the Chinese name is required"));
        }
        match (self.measure, self.currency) {
            (Measure::Money | Measure::MoneyPerMu, None) => Err(ValueError::new(
                "currency_required",
                format!("{}: money needs a currency", self.code),
            )),
            (Measure::Share, Some(_)) => Err(ValueError::new(
                "currency_not_allowed",
                format!("{}: a share has no currency", self.code),
            )),
            (Measure::Share | Measure::MoneyPerMu, _) if self.aggregation == Aggregation::Sum => {
                Err(ValueError::new(
                    "not_summable",
                    format!("{}: shares and per-mu figures do not add up", self.code),
                ))
            }
            _ => Ok(()),
        }
    }

    /// The catalog's unit in words, e.g. `money CNY`, for messages.
    pub fn unit_words(&self) -> String {
        match self.currency {
            Some(c) => format!("{} {}", self.measure, c),
            None => self.measure.to_string(),
        }
    }
}

/// Codes of the default catalog, for code that refers to a particular indicator.
pub mod codes {
    pub const GDP: &str = "gdp";
    pub const FDI_CONTRACTED: &str = "fdi_contracted";
    pub const FDI_ACTUAL: &str = "fdi_actual";
    pub const DOMESTIC_CAPITAL: &str = "domestic_capital";
    pub const FAI: &str = "fai";
    pub const FAI_TRANSPORT: &str = "fai_transport";
    pub const BUDGET_REVENUE: &str = "budget_revenue";
    pub const INDUSTRIAL_OUTPUT: &str = "industrial_output";
    pub const RETAIL_SALES: &str = "retail_sales";
    pub const SERVICES_VALUE_ADDED: &str = "services_value_added";
    pub const SERVICES_SHARE: &str = "services_share";
    pub const INDUSTRIAL_TAX_PER_MU: &str = "industrial_tax_per_mu";
    pub const BUILDING_TAX: &str = "building_tax";
}

/// The indicators named in the zone's work report, with their units and periods.
pub fn default_catalog() -> Vec<Indicator> {
    use Aggregation::*;
    use GrowthBasis::*;
    use Measure::*;
    use PeriodKind::*;
    let cny = Some(Currency::Cny);
    let usd = Some(Currency::Usd);
    #[allow(clippy::type_complexity)]
    let rows: [(
        &str,
        &str,
        &str,
        Measure,
        Option<Currency>,
        PeriodKind,
        Aggregation,
        GrowthBasis,
        Option<&str>,
    ); 13] = [
        (
            codes::GDP,
            "地区生产总值",
            "Gross domestic product",
            Money,
            cny,
            Quarter,
            Sum,
            Comparable,
            None,
        ),
        (
            codes::FDI_CONTRACTED,
            "合同利用外资",
            "Contracted foreign direct investment",
            Money,
            usd,
            Month,
            Sum,
            Nominal,
            None,
        ),
        (
            codes::FDI_ACTUAL,
            "实到外资",
            "Actual foreign direct investment",
            Money,
            usd,
            Month,
            Sum,
            Nominal,
            None,
        ),
        (
            codes::DOMESTIC_CAPITAL,
            "引进市外内资",
            "Domestic capital from outside the city",
            Money,
            cny,
            Month,
            Sum,
            Nominal,
            None,
        ),
        (
            codes::FAI,
            "固定资产投资",
            "Fixed-asset investment",
            Money,
            cny,
            Month,
            Sum,
            Nominal,
            None,
        ),
        (
            codes::FAI_TRANSPORT,
            "交通运输投资",
            "Transport investment",
            Money,
            cny,
            Month,
            Sum,
            Nominal,
            Some(codes::FAI),
        ),
        (
            codes::BUDGET_REVENUE,
            "一般公共预算收入",
            "General public budget revenue",
            Money,
            cny,
            Month,
            Sum,
            Nominal,
            None,
        ),
        (
            codes::INDUSTRIAL_OUTPUT,
            "规上工业总产值",
            "Above-scale industrial output",
            Money,
            cny,
            Month,
            Sum,
            Nominal,
            None,
        ),
        (
            codes::RETAIL_SALES,
            "社会消费品零售总额",
            "Retail sales of consumer goods",
            Money,
            cny,
            Month,
            Sum,
            Nominal,
            None,
        ),
        (
            codes::SERVICES_VALUE_ADDED,
            "服务业增加值",
            "Services value added",
            Money,
            cny,
            Quarter,
            Sum,
            Comparable,
            Some(codes::GDP),
        ),
        (
            codes::SERVICES_SHARE,
            "服务业增加值占GDP比重",
            "Services share of GDP",
            Share,
            None,
            Year,
            Level,
            Nominal,
            None,
        ),
        (
            codes::INDUSTRIAL_TAX_PER_MU,
            "规上工业亩均税收",
            "Tax per mu of above-scale industry",
            MoneyPerMu,
            cny,
            Year,
            Level,
            Nominal,
            None,
        ),
        (
            codes::BUILDING_TAX,
            "楼宇税收总额",
            "Tax paid by office buildings",
            Money,
            cny,
            Year,
            Sum,
            Nominal,
            None,
        ),
    ];
    rows.into_iter()
        .enumerate()
        .map(
            |(
                i,
                (code, zh, en, measure, currency, period_kind, aggregation, growth_basis, parent),
            )| {
                Indicator {
                    code: code.into(),
                    name_zh: zh.into(),
                    name_en: en.into(),
                    measure,
                    currency,
                    period_kind,
                    aggregation,
                    growth_basis,
                    parent: parent.map(Into::into),
                    sort: (i as i64 + 1) * 10,
                }
            },
        )
        .collect()
}

/// A region whose figures are compared: the zone itself, or a peer district of the city.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Region {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// The zone this platform runs (the one the report is about).
    pub home: bool,
    pub sort: i64,
}

/// The zone's own code, as in the area tree.
pub const HOME_REGION: &str = "330402";

/// The zone and the county-level districts of Jiaxing that the city's rankings compare it with.
/// The peer districts carry their GB/T 2260 codes, except 南湖区: its code 330402 is the one
/// this platform gives the zone (the zone's area tree uses it), so it is written `330402NH`.
pub fn default_regions() -> Vec<Region> {
    [
        (
            HOME_REGION,
            "嘉兴经济技术开发区",
            "Jiaxing Economic and Technological Development Zone",
        ),
        ("330402NH", "南湖区", "Nanhu District"),
        ("330411", "秀洲区", "Xiuzhou District"),
        ("330421", "嘉善县", "Jiashan County"),
        ("330482", "平湖市", "Pinghu"),
        ("330424", "海盐县", "Haiyan County"),
        ("330481", "海宁市", "Haining"),
        ("330483", "桐乡市", "Tongxiang"),
    ]
    .into_iter()
    .enumerate()
    .map(|(i, (code, zh, en))| Region {
        code: code.into(),
        name_zh: zh.into(),
        name_en: en.into(),
        home: code == HOME_REGION,
        sort: (i as i64 + 1) * 10,
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_catalog_is_valid_and_unique() {
        let cat = default_catalog();
        assert_eq!(cat.len(), 13);
        for i in &cat {
            i.validate().unwrap();
            if let Some(p) = &i.parent {
                assert!(cat.iter().any(|x| &x.code == p), "{p}");
            }
        }
        let mut codes: Vec<_> = cat.iter().map(|i| i.code.as_str()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), cat.len());
        let gdp = cat.iter().find(|i| i.code == codes::GDP).unwrap();
        assert_eq!(gdp.growth_basis, GrowthBasis::Comparable);
        let fdi = cat
            .iter()
            .find(|i| i.code == codes::FDI_CONTRACTED)
            .unwrap();
        assert_eq!(fdi.currency, Some(Currency::Usd));
    }

    #[test]
    fn contradictory_indicators_are_refused() {
        let mut i = default_catalog().remove(0);
        i.currency = None;
        assert_eq!(i.validate().unwrap_err().code, "currency_required");
        let mut s = default_catalog()
            .into_iter()
            .find(|i| i.code == codes::SERVICES_SHARE)
            .unwrap();
        s.aggregation = Aggregation::Sum;
        assert_eq!(s.validate().unwrap_err().code, "not_summable");
        s.code = "Bad Code".into();
        assert_eq!(s.validate().unwrap_err().code, "bad_code");
    }

    #[test]
    fn regions_have_one_home() {
        let r = default_regions();
        assert_eq!(r.len(), 8);
        assert_eq!(r.iter().filter(|r| r.home).count(), 1);
        assert_eq!(
            "quarter".parse::<PeriodKind>().unwrap(),
            PeriodKind::Quarter
        );
        assert!("week".parse::<PeriodKind>().is_err());
    }
}
