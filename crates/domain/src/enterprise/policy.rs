//! Policies (政策兑现) as data: who qualifies — rules over an enterprise's facts — and how much
//! it gets — base + per unit × a fact, never above the cap. 免申即享 runs the rules over every
//! enterprise and pays where the data proves eligibility; 快申快享 checks the same rules on an
//! application. The evidence of a match names each fact that proved it.

use serde::{Deserialize, Serialize};

use super::kinds::Sector;
use super::money::parse_yuan;
use crate::ValueError;

/// The demo zone's catalog (26 policies).
pub const DEFAULT_CATALOG: &str = include_str!("policies.toml");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyKind {
    /// 惠企政策.
    EnterpriseSupport,
    /// 人才新政.
    Talent,
    /// 稳岗招工政策.
    Hiring,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayoutMode {
    /// 免申即享: paid from the data, without an application.
    Automatic,
    /// 快申快享: a fast application, reviewed.
    Application,
}

impl PayoutMode {
    pub fn as_str(self) -> &'static str {
        match self {
            PayoutMode::Automatic => "automatic",
            PayoutMode::Application => "application",
        }
    }
}

impl PolicyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyKind::EnterpriseSupport => "enterprise_support",
            PolicyKind::Talent => "talent",
            PolicyKind::Hiring => "hiring",
        }
    }
}

/// What the rules can ask about an enterprise. Counts are this year's; `resumed`, `on_site`
/// and `returned_outside` come from its latest daily report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnterpriseFacts {
    pub sector: Sector,
    pub above_size: bool,
    pub fortune500: bool,
    pub major_project: bool,
    pub resumed: bool,
    pub employees: i64,
    pub on_site: i64,
    pub returned_outside: i64,
    pub chartered_buses: i64,
    pub new_hires: i64,
    pub talent_hires: i64,
    pub tax_fen: i64,
    pub land_centimu: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fact {
    Sector,
    AboveSize,
    Fortune500,
    MajorProject,
    Resumed,
    Employees,
    OnSite,
    ReturnedOutside,
    CharteredBuses,
    NewHires,
    TalentHires,
    TaxYuan,
    LandMu,
}

const FACTS: &[(&str, Fact)] = &[
    ("sector", Fact::Sector),
    ("above_size", Fact::AboveSize),
    ("fortune500", Fact::Fortune500),
    ("major_project", Fact::MajorProject),
    ("resumed", Fact::Resumed),
    ("employees", Fact::Employees),
    ("on_site", Fact::OnSite),
    ("returned_outside", Fact::ReturnedOutside),
    ("chartered_buses", Fact::CharteredBuses),
    ("new_hires", Fact::NewHires),
    ("talent_hires", Fact::TalentHires),
    ("tax_yuan", Fact::TaxYuan),
    ("land_mu", Fact::LandMu),
];

/// A fact's value, in the unit the rules write: money in fen, land in 1/100 mu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Value {
    Int(i64),
    Bool(bool),
    Sector(Sector),
}

impl Fact {
    fn name(self) -> &'static str {
        FACTS
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("?", |(n, _)| n)
    }

    fn of(self, e: &EnterpriseFacts) -> Value {
        match self {
            Fact::Sector => Value::Sector(e.sector),
            Fact::AboveSize => Value::Bool(e.above_size),
            Fact::Fortune500 => Value::Bool(e.fortune500),
            Fact::MajorProject => Value::Bool(e.major_project),
            Fact::Resumed => Value::Bool(e.resumed),
            Fact::Employees => Value::Int(e.employees),
            Fact::OnSite => Value::Int(e.on_site),
            Fact::ReturnedOutside => Value::Int(e.returned_outside),
            Fact::CharteredBuses => Value::Int(e.chartered_buses),
            Fact::NewHires => Value::Int(e.new_hires),
            Fact::TalentHires => Value::Int(e.talent_hires),
            Fact::TaxYuan => Value::Int(e.tax_fen),
            Fact::LandMu => Value::Int(e.land_centimu),
        }
    }

    /// Parse a rule's literal in this fact's unit.
    fn literal(self, text: &str) -> Result<Value, ValueError> {
        let bad = || {
            ValueError::new(
                "bad_rule",
                format!("{text:?} is no value for {}", self.name()),
            )
        };
        Ok(match self {
            Fact::Sector => Value::Sector(Sector::parse(text)?),
            Fact::AboveSize | Fact::Fortune500 | Fact::MajorProject | Fact::Resumed => {
                Value::Bool(text.parse().map_err(|_| bad())?)
            }
            // 元 and mu both have two decimals in their stored unit.
            Fact::TaxYuan | Fact::LandMu => Value::Int(parse_yuan(text).map_err(|_| bad())?),
            _ => Value::Int(text.parse().map_err(|_| bad())?),
        })
    }

    fn show(self, v: Value) -> String {
        match (self, v) {
            (Fact::TaxYuan, Value::Int(n)) => format!("{}元", super::money::format_yuan(n)),
            (Fact::LandMu, Value::Int(n)) => format!("{}.{:02}亩", n / 100, n % 100),
            (_, Value::Int(n)) => n.to_string(),
            (_, Value::Bool(b)) => b.to_string(),
            (_, Value::Sector(s)) => s.as_str().to_owned(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Ge,
    Le,
    Gt,
    Lt,
}

impl Op {
    fn parse(s: &str) -> Result<Op, ValueError> {
        Ok(match s {
            "eq" => Op::Eq,
            "ne" => Op::Ne,
            "ge" => Op::Ge,
            "le" => Op::Le,
            "gt" => Op::Gt,
            "lt" => Op::Lt,
            _ => {
                return Err(ValueError::new(
                    "bad_rule",
                    format!("unknown operator {s:?}"),
                ));
            }
        })
    }

    fn symbol(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "≠",
            Op::Ge => "≥",
            Op::Le => "≤",
            Op::Gt => ">",
            Op::Lt => "<",
        }
    }

    fn holds(self, actual: Value, wanted: Value) -> bool {
        match (actual, wanted) {
            (Value::Int(a), Value::Int(w)) => match self {
                Op::Eq => a == w,
                Op::Ne => a != w,
                Op::Ge => a >= w,
                Op::Le => a <= w,
                Op::Gt => a > w,
                Op::Lt => a < w,
            },
            (a, w) => match self {
                Op::Eq => a == w,
                Op::Ne => a != w,
                _ => false,
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    fact: Fact,
    op: Op,
    value: Value,
}

impl Condition {
    fn check(&self, e: &EnterpriseFacts) -> Option<String> {
        let actual = self.fact.of(e);
        self.op.holds(actual, self.value).then(|| {
            format!(
                "{} = {} ({} {})",
                self.fact.name(),
                self.fact.show(actual),
                self.op.symbol(),
                self.fact.show(self.value)
            )
        })
    }
}

/// One policy of the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub code: String,
    pub kind: PolicyKind,
    pub mode: PayoutMode,
    pub name: String,
    pub summary: String,
    pub who: String,
    pub how: String,
    pub qa: Vec<(String, String)>,
    pub base_fen: i64,
    pub per_unit_fen_hundredths: i64,
    unit: Option<Fact>,
    pub cap_fen: i64,
    conditions: Vec<Condition>,
}

/// Why an enterprise qualifies: one line per rule, in the catalog's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Match {
    pub amount_fen: i64,
    pub evidence: Vec<String>,
}

impl Policy {
    /// Every rule holds → the lines of evidence, one per rule; else None.
    pub fn eligibility(&self, e: &EnterpriseFacts) -> Option<Vec<String>> {
        self.conditions.iter().map(|c| c.check(e)).collect()
    }

    /// Every rule holds and the formula gives a positive amount → the amount and the
    /// evidence; else None.
    pub fn evaluate(&self, e: &EnterpriseFacts) -> Option<Match> {
        let evidence = self.eligibility(e)?;
        let amount_fen = self.amount_fen(e);
        (amount_fen > 0).then_some(Match {
            amount_fen,
            evidence,
        })
    }

    /// base + per unit × the unit fact, capped. The per-unit rate is kept in hundredths of a
    /// fen so that "0.01 元 per 元 of tax" is exact; the product is rounded down to a fen.
    pub fn amount_fen(&self, e: &EnterpriseFacts) -> i64 {
        let units = match self.unit.map(|u| u.of(e)) {
            Some(Value::Int(n)) => n.max(0),
            _ => 0,
        };
        // Tax and land are stored in hundredths (fen, 1/100 mu) but priced per 元 and per mu.
        let scale = match self.unit {
            Some(Fact::TaxYuan | Fact::LandMu) => 10_000,
            _ => 100,
        };
        let variable = (i128::from(self.per_unit_fen_hundredths) * i128::from(units)) / scale;
        let total = i128::from(self.base_fen) + variable;
        total.min(i128::from(self.cap_fen)).max(0) as i64
    }

    pub fn rules_text(&self) -> Vec<String> {
        self.conditions
            .iter()
            .map(|c| {
                format!(
                    "{} {} {}",
                    c.fact.name(),
                    c.op.symbol(),
                    c.fact.show(c.value)
                )
            })
            .collect()
    }
}

#[derive(Debug, Deserialize)]
struct RawCatalog {
    policy: Vec<RawPolicy>,
}

#[derive(Debug, Deserialize)]
struct RawPolicy {
    code: String,
    kind: PolicyKind,
    mode: PayoutMode,
    name: String,
    summary: String,
    who: String,
    how: String,
    #[serde(default)]
    qa: Vec<(String, String)>,
    base_yuan: String,
    per_unit_yuan: String,
    unit: Option<String>,
    cap_yuan: String,
    when: Vec<(String, String, String)>,
}

fn fact(name: &str) -> Result<Fact, ValueError> {
    FACTS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, f)| *f)
        .ok_or_else(|| ValueError::new("bad_rule", format!("unknown fact {name:?}")))
}

/// The policies in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalog {
    pub policies: Vec<Policy>,
}

impl Catalog {
    /// Parse and check a catalog: every code once, every rule over a known fact with a value
    /// of its type, amounts exact in 元, a positive cap.
    pub fn parse(text: &str) -> Result<Catalog, ValueError> {
        let raw: RawCatalog = toml::from_str(text)
            .map_err(|e| ValueError::new("bad_catalog", format!("policy catalog: {e}")))?;
        let mut policies: Vec<Policy> = vec![];
        for p in raw.policy {
            let ctx = |e: ValueError| {
                ValueError::new(e.code, format!("policy {}: {}", p.code, e.message))
            };
            if policies.iter().any(|q| q.code == p.code) {
                return Err(ValueError::new(
                    "bad_catalog",
                    format!("policy {} twice", p.code),
                ));
            }
            let conditions = p
                .when
                .iter()
                .map(|(f, op, v)| {
                    let fact = fact(f)?;
                    Ok(Condition {
                        fact,
                        op: Op::parse(op)?,
                        value: fact.literal(v)?,
                    })
                })
                .collect::<Result<Vec<_>, ValueError>>()
                .map_err(ctx)?;
            let cap_fen = parse_yuan(&p.cap_yuan).map_err(ctx)?;
            if cap_fen <= 0 {
                return Err(ctx(ValueError::new(
                    "bad_catalog",
                    "the cap must be positive",
                )));
            }
            let unit = p.unit.as_deref().map(fact).transpose().map_err(ctx)?;
            policies.push(Policy {
                per_unit_fen_hundredths: per_unit_hundredths(&p.per_unit_yuan).map_err(ctx)?,
                base_fen: parse_yuan(&p.base_yuan).map_err(ctx)?,
                code: p.code,
                kind: p.kind,
                mode: p.mode,
                name: p.name,
                summary: p.summary,
                who: p.who,
                how: p.how,
                qa: p.qa,
                unit,
                cap_fen,
                conditions,
            });
        }
        Ok(Catalog { policies })
    }

    /// The demo zone's 26 policies.
    pub fn default_catalog() -> Catalog {
        // Checked by the tests; an empty catalog is the safe answer if it ever failed.
        Catalog::parse(DEFAULT_CATALOG).unwrap_or(Catalog { policies: vec![] })
    }

    pub fn get(&self, code: &str) -> Option<&Policy> {
        self.policies.iter().find(|p| p.code == code)
    }

    pub fn automatic(&self) -> impl Iterator<Item = &Policy> {
        self.policies
            .iter()
            .filter(|p| p.mode == PayoutMode::Automatic)
    }
}

/// A per-unit rate in 元 with up to four decimals → hundredths of a fen.
fn per_unit_hundredths(text: &str) -> Result<i64, ValueError> {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let bad = || ValueError::new("bad_amount", format!("{text:?} is no rate in 元"));
    if frac.len() > 4 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let padded = format!("{frac:0<4}");
    let w: i64 = whole.parse().map_err(|_| bad())?;
    let f: i64 = padded.parse().map_err(|_| bad())?;
    if w < 0 {
        return Err(bad());
    }
    w.checked_mul(10_000)
        .and_then(|x| x.checked_add(f))
        .ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> EnterpriseFacts {
        EnterpriseFacts {
            sector: Sector::Industry,
            above_size: true,
            fortune500: false,
            major_project: false,
            resumed: true,
            employees: 400,
            on_site: 350,
            returned_outside: 40,
            chartered_buses: 3,
            new_hires: 12,
            talent_hires: 0,
            tax_fen: 800_000_000,
            land_centimu: 5_000,
        }
    }

    #[test]
    fn the_default_catalog_holds_26_policies() {
        let c = Catalog::parse(DEFAULT_CATALOG).unwrap();
        assert_eq!(c.policies.len(), 26);
        let n = |k| c.policies.iter().filter(|p| p.kind == k).count();
        assert_eq!(
            (
                n(PolicyKind::EnterpriseSupport),
                n(PolicyKind::Talent),
                n(PolicyKind::Hiring)
            ),
            (8, 10, 8)
        );
    }

    #[test]
    fn matching_lists_the_facts_that_proved_it() {
        let c = Catalog::default_catalog();
        let e01 = c.get("E01").unwrap();
        let m = e01.evaluate(&facts()).unwrap();
        // 20,000 + 200 × 350 on site = 90,000 元.
        assert_eq!(m.amount_fen, 9_000_000);
        assert_eq!(m.evidence[0], "sector = industry (= industry)");
        assert!(
            e01.evaluate(&EnterpriseFacts {
                resumed: false,
                ..facts()
            })
            .is_none()
        );
        // Tax 8,000,000 元 × 0.01 = 80,000 元; land 50 mu ≥ 10.
        assert_eq!(
            c.get("E06").unwrap().evaluate(&facts()).unwrap().amount_fen,
            8_000_000
        );
        assert!(
            c.get("E06")
                .unwrap()
                .evaluate(&EnterpriseFacts {
                    land_centimu: 999,
                    ..facts()
                })
                .is_none()
        );
    }

    #[test]
    fn amounts_stop_at_the_cap() {
        let c = Catalog::default_catalog();
        let big = EnterpriseFacts {
            on_site: 100_000,
            employees: 100_000,
            ..facts()
        };
        assert_eq!(c.get("E01").unwrap().amount_fen(&big), 50_000_000);
        assert_eq!(c.get("H02").unwrap().amount_fen(&big), 50_000_000);
    }

    #[test]
    fn bad_catalogs_are_refused() {
        let one = |when: &str| {
            format!(
                "[[policy]]\ncode='X'\nkind='talent'\nmode='automatic'\nname=''\nsummary=''\nwho=''\nhow=''\n\
             base_yuan='1'\nper_unit_yuan='0'\ncap_yuan='1'\nwhen=[{when}]\n"
            )
        };
        assert!(Catalog::parse(&one(r#"["employees","ge","5"]"#)).is_ok());
        assert!(Catalog::parse(&one(r#"["weather","ge","5"]"#)).is_err());
        assert!(Catalog::parse(&one(r#"["sector","eq","farm"]"#)).is_err());
        assert!(Catalog::parse(&one(r#"["employees","~","5"]"#)).is_err());
        assert!(Catalog::parse("nonsense").is_err());
    }
}
