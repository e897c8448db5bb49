//! The zone's population as person rows, built in memory from the seed alone (no queries), so
//! the bulk insert can take them in large batches and two runs can be compared row for row.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};
use domain::{PersonCategory, ResidentId};
use store::NewPerson;

use super::dice::{Dice, Stream};
use super::names;
use super::zone::Plan;

/// The day of the work report the demo reproduces; ages are counted at this date so the data
/// does not drift as real time passes.
fn report_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 3, 27).expect("constant date")
}

pub(super) struct People {
    pub rows: Vec<NewPerson>,
    /// Index into `rows` of the resident the demo `resident` account belongs to.
    pub account_holder: Option<usize>,
}

/// Build `count` persons. `holder_community` is the community code of the demo resident
/// account, and `holder_name` the name their record is given so that the account and the
/// record agree.
pub(super) fn build(
    plan: &Plan,
    count: usize,
    seed: u64,
    holder_community: &str,
    holder_name: &str,
) -> People {
    let mut sizes = Dice::new(seed, Stream::CommunitySizes);
    // Communities differ in size (60 %–140 % of the mean), as real ones do.
    let cumulative: Vec<u32> = plan
        .communities
        .iter()
        .scan(0, |sum, _| {
            *sum += sizes.below(81) + 60;
            Some(*sum)
        })
        .collect();
    let total = *cumulative.last().expect("the plan has communities");

    let mut dice = Dice::new(seed, Stream::Persons);
    let mut made = Made::default();
    let mut rows = Vec::with_capacity(count);
    for _ in 0..count {
        let roll = dice.below(total);
        let c = cumulative.partition_point(|&cum| cum <= roll);
        let community = &plan.communities[c];
        let grid = dice.pick(&community.micro_grids);
        let street = &plan.streets[community.street];
        let category = match dice.below(100) {
            0..80 => PersonCategory::Resident,
            80..96 => PersonCategory::Worker,
            96..99 => PersonCategory::Visitor,
            _ => PersonCategory::Foreign,
        };
        let who = match category {
            PersonCategory::Foreign => made.foreigner(&mut dice),
            other => made.citizen(&mut dice, other),
        };
        rows.push(NewPerson {
            id_number: who.id_number,
            name: who.name,
            phone: who.phone,
            zone_id: plan.zone.row.id,
            street_id: street.row.id,
            community_id: community.node.row.id,
            micro_grid_id: Some(grid.row.id),
            area_path: grid.row.path.clone(),
            category: category.as_str().to_owned(),
            nationality: who.nationality,
            passport_no: who.passport_no,
        });
    }

    let account_holder = plan.community_index(holder_community).and_then(|c| {
        let community_id = plan.communities[c].node.row.id;
        rows.iter().position(|p| {
            p.community_id == community_id
                && p.category == PersonCategory::Resident.as_str()
                && p.phone.is_some()
                && p.id_number
                    .as_deref()
                    .is_some_and(|id| ("1975".."1996").contains(&&id[6..10]))
        })
    });
    if let Some(i) = account_holder {
        rows[i].name = holder_name.to_owned();
    }
    People {
        rows,
        account_holder,
    }
}

/// Where an outsider was registered: zone, street and community ids and the community's path.
pub(super) type Registered = (i64, i64, i64, String);

/// `count` visitors and workers from outside the zone (outsiders), registered at a checkpoint
/// on arrival, in the area `place` gives for each: ID numbers and phones unlike those
/// `taken` by persons already written.
pub(super) fn outsiders(
    count: usize,
    dice: &mut Dice,
    taken: Vec<(Option<String>, Option<String>)>,
    mut place: impl FnMut(&mut Dice, PersonCategory) -> Registered,
) -> Vec<NewPerson> {
    let mut made = Made::default();
    for (id, phone) in taken {
        made.id_numbers.extend(id);
        made.phones
            .extend(phone.and_then(|p| p.parse::<u64>().ok()));
    }
    (0..count)
        .map(|_| {
            let category = if dice.percent(60) {
                PersonCategory::Worker
            } else {
                PersonCategory::Visitor
            };
            let who = made.citizen(dice, category);
            let (zone_id, street_id, community_id, area_path) = place(dice, category);
            NewPerson {
                id_number: who.id_number,
                name: who.name,
                phone: who.phone,
                zone_id,
                street_id,
                community_id,
                micro_grid_id: None,
                area_path,
                category: category.as_str().to_owned(),
                nationality: None,
                passport_no: None,
            }
        })
        .collect()
}

struct Who {
    id_number: Option<String>,
    name: String,
    phone: Option<String>,
    nationality: Option<String>,
    passport_no: Option<String>,
}

/// What has been handed out so far: ID numbers and passports must be unique (the database
/// says so), phones should be (a shared phone confuses the health-code lookup).
#[derive(Default)]
struct Made {
    id_numbers: HashSet<String>,
    passports: HashSet<(&'static str, String)>,
    phones: HashSet<u64>,
}

impl Made {
    fn citizen(&mut self, dice: &mut Dice, category: PersonCategory) -> Who {
        let (divisions, born) = match category {
            PersonCategory::Worker => (names::WORKER_DIVISIONS, 1962..=2001),
            PersonCategory::Visitor => (names::VISITOR_DIVISIONS, 1950..=2012),
            _ => (names::RESIDENT_DIVISIONS, 1935..=2019),
        };
        let id = loop {
            let division = dice.weighted(divisions);
            let birth = birth_date(dice, *born.start(), *born.end());
            let sequence = dice.between(1, 999) as u16;
            let id = ResidentId::from_parts(division, birth, sequence)
                .expect("demo divisions and dates are valid");
            if self.id_numbers.insert(id.as_str().to_owned()) {
                break id;
            }
        };
        let birth = id.birth_date();
        let years = report_date().year() - birth.year();
        // Young children and some of the very old have no phone of their own.
        let phone_pct = if birth > report_date().with_year(2008).expect("valid") {
            30
        } else if years >= 80 {
            70
        } else {
            100
        };
        let phone = dice.percent(phone_pct).then(|| self.phone(dice));
        Who {
            name: names::chinese_name(dice, id.is_male()),
            id_number: Some(id.into_string()),
            phone,
            nationality: None,
            passport_no: None,
        }
    }

    fn foreigner(&mut self, dice: &mut Dice) -> Who {
        let n = names::nationality(dice);
        let name = names::latin_name(dice, n);
        let passport = loop {
            let p = names::passport_no(dice, n);
            if self.passports.insert((n.code, p.clone())) {
                break p;
            }
        };
        // Most have a local SIM card; the returnee desk needs one to reach them.
        let phone = dice.percent(85).then(|| self.phone(dice));
        Who {
            id_number: None,
            name,
            phone,
            nationality: Some(n.code.to_owned()),
            passport_no: Some(passport),
        }
    }

    /// A mainland mobile number on a real operator prefix, unique within the demo.
    fn phone(&mut self, dice: &mut Dice) -> String {
        const PREFIXES: [u64; 32] = [
            130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 150, 151, 152, 153, 155, 156, 157,
            158, 159, 166, 173, 177, 180, 181, 182, 183, 186, 187, 188, 189, 198, 199,
        ];
        loop {
            let number = dice.pick(&PREFIXES) * 100_000_000 + u64::from(dice.below(100_000_000));
            if self.phones.insert(number) {
                return number.to_string();
            }
        }
    }
}

/// A birth date between the two years, peaked in the middle (the mean of two uniform draws), so
/// there are fewer of the very old and the very young, as in a population pyramid.
fn birth_date(dice: &mut Dice, first_year: i32, last_year: i32) -> NaiveDate {
    let span = (last_year - first_year + 1) as u32;
    let year = first_year + ((dice.below(span) + dice.below(span)) / 2) as i32;
    let days = if NaiveDate::from_ymd_opt(year, 2, 29).is_some() {
        366
    } else {
        365
    };
    NaiveDate::from_yo_opt(year, dice.below(days) + 1).expect("ordinal within the year")
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::Phone;

    #[test]
    fn persons_are_valid_and_spread() {
        let plan = Plan::build();
        let people = build(&plan, 20_000, 11, "330402001001", "王敏");
        let mut counts = std::collections::BTreeMap::<&str, usize>::new();
        for p in &people.rows {
            *counts.entry(p.category.as_str()).or_default() += 1;
            match &p.id_number {
                Some(id) => {
                    let parsed = ResidentId::parse(id).unwrap();
                    let year = parsed.birth_date().year();
                    assert!((1935..=2019).contains(&year));
                }
                None => {
                    assert_eq!(p.category, "foreign");
                    assert!(p.name.is_ascii());
                    assert!(p.passport_no.is_some() && p.nationality.is_some());
                }
            }
            if let Some(phone) = &p.phone {
                assert_eq!(Phone::parse(phone).unwrap().as_str(), phone);
            }
            assert!(p.area_path.starts_with("/1/"));
            assert_eq!(
                p.area_path.matches('/').count(),
                5,
                "zone/street/community/grid"
            );
        }
        let share = |c| counts[c] as f64 / 20_000.0;
        assert!((0.77..0.83).contains(&share("resident")), "{counts:?}");
        assert!((0.14..0.18).contains(&share("worker")), "{counts:?}");
        assert!((0.02..0.04).contains(&share("visitor")), "{counts:?}");
        assert!((0.005..0.015).contains(&share("foreign")), "{counts:?}");
        let phones: HashSet<_> = people
            .rows
            .iter()
            .filter_map(|p| p.phone.as_ref())
            .collect();
        assert_eq!(
            phones.len(),
            people.rows.iter().filter(|p| p.phone.is_some()).count()
        );
        let holder = &people.rows[people.account_holder.unwrap()];
        assert_eq!(holder.name, "王敏");
        assert_eq!(holder.community_id, plan.communities[0].node.row.id);
    }
}
