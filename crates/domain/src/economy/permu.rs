//! Per-mu evaluation (亩均效益评价): enterprises classed A/B/C/D from tax per mu and output per
//! mu of land. Zhejiang's counties weight and grade these each in their own way; the defaults
//! here are ours, and every number is configurable.
//!
//! Each measure is taken as a ratio to its benchmark (the configured one, or the average of
//! the enterprises evaluated), capped so one outstanding measure cannot carry a weak one, and
//! weighted; the score is in basis points of the benchmark (10,000 = exactly at benchmark).

use serde::{Deserialize, Serialize};

use crate::ValueError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum PerMuClass {
    /// 优先发展
    A,
    /// 提升发展
    B,
    /// 整治提升
    C,
    /// 淘汰落后
    D,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PerMuConfig {
    /// Weights of tax per mu and output per mu, basis points summing to 10,000.
    pub tax_weight_bp: i64,
    pub output_weight_bp: i64,
    /// Benchmarks in fen per mu; `None`: the average of the enterprises evaluated.
    pub tax_benchmark: Option<i64>,
    pub output_benchmark: Option<i64>,
    /// A measure counts at most this ratio of its benchmark (basis points).
    pub cap_bp: i64,
    /// Lowest scores of classes A, B and C (basis points); below C is D.
    pub a_from_bp: i64,
    pub b_from_bp: i64,
    pub c_from_bp: i64,
}

impl Default for PerMuConfig {
    fn default() -> Self {
        Self {
            tax_weight_bp: 6_000,
            output_weight_bp: 4_000,
            tax_benchmark: None,
            output_benchmark: None,
            cap_bp: 20_000,
            a_from_bp: 12_000,
            b_from_bp: 8_000,
            c_from_bp: 5_000,
        }
    }
}

impl PerMuConfig {
    pub fn validate(&self) -> Result<(), ValueError> {
        if self.tax_weight_bp < 0
            || self.output_weight_bp < 0
            || self.tax_weight_bp + self.output_weight_bp != 10_000
        {
            return Err(ValueError::new(
                "bad_weights",
                "the weights must be non-negative and add up to 100%",
            ));
        }
        if !(self.a_from_bp > self.b_from_bp
            && self.b_from_bp > self.c_from_bp
            && self.c_from_bp >= 0)
        {
            return Err(ValueError::new(
                "bad_thresholds",
                "the thresholds must fall from A to C and not below zero",
            ));
        }
        if self.cap_bp <= 0
            || [self.tax_benchmark, self.output_benchmark]
                .iter()
                .flatten()
                .any(|b| *b <= 0)
        {
            return Err(ValueError::new(
                "bad_benchmark",
                "benchmarks and the cap must be positive",
            ));
        }
        Ok(())
    }
}

/// One enterprise's year: tax and output in fen, land in hundredths of a mu.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PerMuFacts {
    pub tax: i64,
    pub output: i64,
    pub land_centimu: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PerMuResult {
    /// Fen per mu.
    pub tax_per_mu: i64,
    pub output_per_mu: i64,
    pub score_bp: i64,
    pub class: PerMuClass,
}

fn per_mu(amount: i64, land_centimu: i64) -> i64 {
    i64::try_from(i128::from(amount) * 100 / i128::from(land_centimu)).unwrap_or(i64::MAX)
}

/// Evaluate every enterprise; refuses a bad configuration or an enterprise without land.
pub fn evaluate(facts: &[PerMuFacts], cfg: &PerMuConfig) -> Result<Vec<PerMuResult>, ValueError> {
    cfg.validate()?;
    if let Some(i) = facts.iter().position(|f| f.land_centimu <= 0) {
        return Err(ValueError::new(
            "no_land",
            format!("enterprise {} has no land area", i + 1),
        ));
    }
    let per: Vec<(i64, i64)> = facts
        .iter()
        .map(|f| {
            (
                per_mu(f.tax, f.land_centimu),
                per_mu(f.output, f.land_centimu),
            )
        })
        .collect();
    let n = i64::try_from(per.len().max(1)).unwrap_or(1);
    let avg = |k: fn(&(i64, i64)) -> i64| (per.iter().map(k).sum::<i64>() / n).max(1);
    let tax_bench = cfg.tax_benchmark.unwrap_or_else(|| avg(|p| p.0));
    let output_bench = cfg.output_benchmark.unwrap_or_else(|| avg(|p| p.1));
    let ratio = |v: i64, bench: i64| {
        let r = i128::from(v.max(0)) * 10_000 / i128::from(bench);
        i64::try_from(r).unwrap_or(i64::MAX).min(cfg.cap_bp)
    };
    Ok(per
        .into_iter()
        .map(|(tax_per_mu, output_per_mu)| {
            let score_bp = (ratio(tax_per_mu, tax_bench) * cfg.tax_weight_bp
                + ratio(output_per_mu, output_bench) * cfg.output_weight_bp)
                / 10_000;
            let class = if score_bp >= cfg.a_from_bp {
                PerMuClass::A
            } else if score_bp >= cfg.b_from_bp {
                PerMuClass::B
            } else if score_bp >= cfg.c_from_bp {
                PerMuClass::C
            } else {
                PerMuClass::D
            };
            PerMuResult {
                tax_per_mu,
                output_per_mu,
                score_bp,
                class,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const WAN: i64 = 10_000 * 100; // 万元 in fen

    fn f(tax_wan: i64, output_wan: i64, mu: i64) -> PerMuFacts {
        PerMuFacts {
            tax: tax_wan * WAN,
            output: output_wan * WAN,
            land_centimu: mu * 100,
        }
    }

    #[test]
    fn classes_against_fixed_benchmarks() {
        // Benchmarks: 30万元 tax and 800万元 output per mu.
        let cfg = PerMuConfig {
            tax_benchmark: Some(30 * WAN),
            output_benchmark: Some(800 * WAN),
            ..PerMuConfig::default()
        };
        let r = evaluate(
            &[
                f(4_500, 120_000, 100),
                f(3_000, 80_000, 100),
                f(1_800, 48_000, 100),
                f(300, 10_000, 100),
            ],
            &cfg,
        )
        .unwrap();
        assert_eq!(r[0].tax_per_mu, 45 * WAN);
        assert_eq!(
            r.iter().map(|x| x.score_bp).collect::<Vec<_>>(),
            vec![15_000, 10_000, 6_000, 1_100]
        );
        assert_eq!(
            r.iter().map(|x| x.class).collect::<Vec<_>>(),
            vec![PerMuClass::A, PerMuClass::B, PerMuClass::C, PerMuClass::D]
        );
        // The cap: a huge tax per mu cannot lift a firm with no output above 60% × 200%.
        let capped = evaluate(&[f(1_000_000, 0, 1)], &cfg).unwrap();
        assert_eq!(capped[0].score_bp, 12_000);
    }

    #[test]
    fn average_benchmarks_and_bad_configurations() {
        let r = evaluate(&[f(20, 400, 1), f(40, 1_200, 1)], &PerMuConfig::default()).unwrap();
        // Averages 30 and 800: the first scores 0.6×66.66% + 0.4×50%.
        assert_eq!(r[0].score_bp, 5_999);
        assert_eq!(r[1].class, PerMuClass::A);
        let bad = PerMuConfig {
            tax_weight_bp: 5_000,
            ..PerMuConfig::default()
        };
        assert_eq!(evaluate(&[], &bad).unwrap_err().code, "bad_weights");
        let bad = PerMuConfig {
            b_from_bp: 13_000,
            ..PerMuConfig::default()
        };
        assert_eq!(bad.validate().unwrap_err().code, "bad_thresholds");
        assert_eq!(
            evaluate(&[f(1, 1, 0)], &PerMuConfig::default())
                .unwrap_err()
                .code,
            "no_land"
        );
        assert!(evaluate(&[], &PerMuConfig::default()).unwrap().is_empty());
    }
}
