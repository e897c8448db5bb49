//! Checkpoints: the report's 15 traffic checkpoints (卡点), each with a temporary party branch,
//! and the "small gates" (小门) of communities, factories, commercial areas and parks.

use std::collections::HashSet;

use domain::CheckpointKind;
use store::NewCheckpoint;

use super::Scale;
use super::dice::{Dice, Stream};
use super::zone::{Node, Plan};

/// The 15 traffic checkpoints on the roads into the zone, with the index of the street (in
/// `Plan::streets` order: 城南, 嘉北, 塘汇, 长水) whose ground each stands on.
const TRAFFIC: [(&str, usize); 15] = [
    ("沪杭高速嘉兴东出口卡点", 0),
    ("G320东方路卡点", 0),
    ("中环南路亚太路卡点", 0),
    ("昌盛南路卡点", 0),
    ("乍嘉苏高速嘉兴北出口卡点", 1),
    ("三环北路卡点", 1),
    ("嘉北大道卡点", 1),
    ("槜李路东延卡点", 1),
    ("沪杭高速嘉兴出口卡点", 2),
    ("由拳路卡点", 2),
    ("广益路卡点", 2),
    ("塘汇路卡点", 2),
    ("申嘉湖高速嘉兴南出口卡点", 3),
    ("07省道长水路卡点", 3),
    ("嘉兴南站卡点", 3),
];

/// Factory names are trade name + line of business, as on a business licence.
const TRADE_NAMES: [&str; 20] = [
    "华新", "恒力", "众诚", "博宏", "瑞丰", "天洁", "兴达", "立信", "永昌", "昌盛", "中诚", "华腾",
    "佳利", "禾润", "嘉宏", "新洲", "科隆", "明德", "东辰", "汇通",
];
const TRADES: [&str; 10] = [
    "精密机械",
    "电子科技",
    "新材料",
    "汽车零部件",
    "光电科技",
    "智能装备",
    "纺织",
    "食品",
    "生物医药",
    "包装材料",
];
const COMMERCIAL: [&str; 8] = [
    "国际商务区中央广场",
    "城南商业中心",
    "长水路商业街",
    "塘汇农贸市场",
    "嘉北商贸城",
    "由拳路美食街",
    "秀园购物中心",
    "南溪邻里中心",
];
const PARKS: [&str; 4] = [
    "国际创新园",
    "智能制造产业园",
    "长三角电商产业园",
    "留学人员创业园",
];
const SIDES: [&str; 4] = ["东门", "南门", "西门", "北门"];

/// Gates of factories, commercial areas and parks per scale.
fn gate_counts(scale: Scale) -> (usize, usize, usize) {
    match scale {
        Scale::Zone => (120, 24, 12),
        Scale::Small => (24, 8, 4),
    }
}

pub(super) fn build(plan: &Plan, scale: Scale, seed: u64) -> Vec<NewCheckpoint> {
    let mut dice = Dice::new(seed, Stream::Checkpoints);
    let mut out = Vec::new();
    let mut push =
        |dice: &mut Dice, kind: CheckpointKind, code: String, name: String, area: &Node, hours| {
            // Gates stand inside their community; traffic checkpoints anywhere on their street.
            let (lat, lon) = area.rect.point(dice, 5);
            let party_branch =
                (kind == CheckpointKind::Traffic).then(|| format!("{name}临时党支部"));
            out.push(NewCheckpoint {
                code,
                kind: kind.as_str().to_owned(),
                name,
                area_id: area.row.id,
                area_path: area.row.path.clone(),
                lat,
                lon,
                party_branch,
                hours: String::from(hours),
            });
        };

    for (i, (name, street)) in TRAFFIC.iter().enumerate() {
        push(
            &mut dice,
            CheckpointKind::Traffic,
            format!("KD-T-{:02}", i + 1),
            (*name).to_owned(),
            &plan.streets[*street],
            "00:00-24:00",
        );
    }

    // Two gates per community, on two different sides; the rest were closed off in 2020.
    let mut n = 0;
    for community in &plan.communities {
        let first = dice.index(SIDES.len());
        let second = (first + 1 + dice.index(SIDES.len() - 1)) % SIDES.len();
        for side in [first, second] {
            n += 1;
            push(
                &mut dice,
                CheckpointKind::CommunityGate,
                format!("KD-C-{n:03}"),
                format!("{}{}", community.node.row.name, SIDES[side]),
                &community.node,
                "00:00-24:00",
            );
        }
    }

    let (factory_gates, commercial_gates, park_gates) = gate_counts(scale);
    // Factories have one or two gates each; their names must not repeat.
    let mut names = HashSet::new();
    let mut n = 0;
    while n < factory_gates {
        let company = loop {
            let c = format!(
                "嘉兴{}{}有限公司",
                dice.pick(&TRADE_NAMES),
                dice.pick(&TRADES)
            );
            if names.insert(c.clone()) {
                break c;
            }
        };
        let community = &dice.pick(&plan.communities).node;
        let gates = (1 + dice.index(2)).min(factory_gates - n);
        for g in 1..=gates {
            n += 1;
            push(
                &mut dice,
                CheckpointKind::FactoryGate,
                format!("KD-F-{n:03}"),
                format!("{company}{g}号门"),
                community,
                "06:00-22:00",
            );
        }
    }

    // Commercial areas and parks take their gates in turn, so each has the same number.
    for (kind, places, count, prefix, hours) in [
        (
            CheckpointKind::CommercialGate,
            &COMMERCIAL[..],
            commercial_gates,
            "S",
            "08:00-21:00",
        ),
        (
            CheckpointKind::ParkGate,
            &PARKS[..],
            park_gates,
            "P",
            "07:00-20:00",
        ),
    ] {
        let homes: Vec<&Node> = places
            .iter()
            .map(|_| &dice.pick(&plan.communities).node)
            .collect();
        for i in 0..count {
            let place = i % places.len();
            push(
                &mut dice,
                kind,
                format!("KD-{prefix}-{:02}", i + 1),
                format!("{}{}号门", places[place], i / places.len() + 1),
                homes[place],
                hours,
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_codes_and_positions() {
        let plan = Plan::build();
        for (scale, factories, commercial, parks) in
            [(Scale::Zone, 120, 24, 12), (Scale::Small, 24, 8, 4)]
        {
            let cps = build(&plan, scale, 5);
            let count = |k: CheckpointKind| cps.iter().filter(|c| c.kind == k.as_str()).count();
            assert_eq!(count(CheckpointKind::Traffic), 15);
            assert_eq!(count(CheckpointKind::CommunityGate), 56);
            assert_eq!(count(CheckpointKind::FactoryGate), factories);
            assert_eq!(count(CheckpointKind::CommercialGate), commercial);
            assert_eq!(count(CheckpointKind::ParkGate), parks);
            let codes: HashSet<&str> = cps.iter().map(|c| c.code.as_str()).collect();
            assert_eq!(codes.len(), cps.len());
            let rows = plan.rows();
            for c in &cps {
                let area = rows.iter().find(|a| a.id == c.area_id).unwrap();
                assert_eq!(c.area_path, area.path);
                let rect = plan
                    .by_code(&area.code)
                    .map(|n| n.rect)
                    .expect("checkpoints hang off streets and communities");
                assert!(
                    rect.contains(c.lat, c.lon),
                    "{} outside {}",
                    c.name,
                    area.name
                );
                let traffic = c.kind == "traffic";
                assert_eq!(c.party_branch.is_some(), traffic);
                assert_eq!(area.kind, if traffic { "street" } else { "community" });
            }
        }
    }
}
