//! The area tree of the demo zone: one zone, the report's four streets, 28 communities (seven
//! per street, the report's five named ones among them) and eight micro-grids per community.
//! The tree is the same for every seed and scale: people learn the demo by its place names.

use domain::AreaKind;
use domain::area::child_path;
use store::AreaRow;

use super::geo::Rect;

pub(super) const ZONE_CODE: &str = "330402";
const ZONE_NAME: &str = "嘉兴经济技术开发区";

/// Streets in code order (`330402001`…) with their communities in code order
/// (`330402001001`…). Which quadrant of the zone each street takes is in `STREET_QUADRANT`.
const STREETS: [(&str, [&str; 7]); 4] = [
    (
        "城南街道",
        [
            "金穗社区",
            "锦绣社区",
            "槜李社区",
            "南溪社区",
            "秀园社区",
            "梅湾社区",
            "文昌社区",
        ],
    ),
    (
        "嘉北街道",
        [
            "永政社区",
            "越秀社区",
            "真合社区",
            "凌塘社区",
            "广益社区",
            "富润社区",
            "和平社区",
        ],
    ),
    (
        "塘汇街道",
        [
            "由拳社区",
            "光明社区",
            "长新社区",
            "嘉禾社区",
            "双溪社区",
            "紫阳社区",
            "东栅社区",
        ],
    ),
    (
        "长水街道",
        [
            "联星社区",
            "中山社区",
            "新兴社区",
            "三水湾社区",
            "花园社区",
            "长中社区",
            "紫御社区",
        ],
    ),
];

/// Index into `Rect::ZONE.tiles(&[2, 2])` (NW, NE, SW, SE) for each street: 城南 in the south
/// as its name says, 嘉北 in the north.
const STREET_QUADRANT: [usize; 4] = [3, 0, 1, 2];
/// Seven communities as a brick of four over three.
const COMMUNITY_ROWS: [i64; 2] = [4, 3];
/// Eight micro-grids as two rows of four.
const MICRO_GRID_ROWS: [i64; 2] = [4, 4];
pub(super) const MICRO_GRIDS_PER_COMMUNITY: usize = 8;

/// One planned area: the row to insert and its box (for checkpoint positions and tests).
#[derive(Debug, Clone)]
pub(super) struct Node {
    pub row: AreaRow,
    pub rect: Rect,
}

#[derive(Debug, Clone)]
pub(super) struct Community {
    pub node: Node,
    /// Index into `Plan::streets`.
    pub street: usize,
    pub micro_grids: Vec<Node>,
}

#[derive(Debug, Clone)]
pub(super) struct Plan {
    pub zone: Node,
    pub streets: Vec<Node>,
    pub communities: Vec<Community>,
}

impl Plan {
    /// Ids are chosen here, breadth first from 1, so the tree can go in with one bulk insert
    /// into the empty table (the generator refuses a non-empty database).
    pub(super) fn build() -> Plan {
        let mut next_id = 1;
        let mut node = |parent: Option<&Node>, kind: AreaKind, code: String, name: &str, rect| {
            let id = next_id;
            next_id += 1;
            let parent_path = parent.map_or("/", |p| p.row.path.as_str());
            Node {
                row: AreaRow {
                    id,
                    parent_id: parent.map(|p| p.row.id),
                    kind: kind.as_str().to_owned(),
                    code,
                    name: name.to_owned(),
                    path: child_path(parent_path, id),
                    boundary: Some(Rect::geojson(&rect)),
                },
                rect,
            }
        };

        let zone = node(
            None,
            AreaKind::Zone,
            ZONE_CODE.to_owned(),
            ZONE_NAME,
            Rect::ZONE,
        );
        let quadrants = Rect::ZONE.tiles(&[2, 2]);
        let streets: Vec<Node> = STREETS
            .iter()
            .enumerate()
            .map(|(i, (name, _))| {
                let code = format!("{ZONE_CODE}{:03}", i + 1);
                node(
                    Some(&zone),
                    AreaKind::Street,
                    code,
                    name,
                    quadrants[STREET_QUADRANT[i]],
                )
            })
            .collect();
        let mut communities = Vec::new();
        for (s, (_, names)) in STREETS.iter().enumerate() {
            let street = &streets[s];
            let tiles = street.rect.tiles(&COMMUNITY_ROWS);
            for (c, name) in names.iter().enumerate() {
                let code = format!("{}{:03}", street.row.code, c + 1);
                let n = node(Some(street), AreaKind::Community, code, name, tiles[c]);
                communities.push(Community {
                    node: n,
                    street: s,
                    micro_grids: Vec::new(),
                });
            }
        }
        // Micro-grids last, so each level's ids are contiguous.
        for community in &mut communities {
            let parent = community.node.clone();
            let tiles = parent.rect.tiles(&MICRO_GRID_ROWS);
            community.micro_grids = (0..MICRO_GRIDS_PER_COMMUNITY)
                .map(|g| {
                    let code = format!("{}-{:02}", parent.row.code, g + 1);
                    let name = format!("第{}微网格", g + 1);
                    node(Some(&parent), AreaKind::MicroGrid, code, &name, tiles[g])
                })
                .collect();
        }
        Plan {
            zone,
            streets,
            communities,
        }
    }

    /// Every row, parents before children.
    pub(super) fn rows(&self) -> Vec<AreaRow> {
        let mut rows = vec![self.zone.row.clone()];
        rows.extend(self.streets.iter().map(|s| s.row.clone()));
        rows.extend(self.communities.iter().map(|c| c.node.row.clone()));
        for c in &self.communities {
            rows.extend(c.micro_grids.iter().map(|g| g.row.clone()));
        }
        rows
    }

    /// Any area by its code.
    pub(super) fn by_code(&self, code: &str) -> Option<&Node> {
        std::iter::once(&self.zone)
            .chain(&self.streets)
            .chain(self.communities.iter().map(|c| &c.node))
            .find(|n| n.row.code == code)
    }

    pub(super) fn community_index(&self, code: &str) -> Option<usize> {
        self.communities
            .iter()
            .position(|c| c.node.row.code == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_has_the_reports_places() {
        let plan = Plan::build();
        let rows = plan.rows();
        assert_eq!(rows.len(), 1 + 4 + 28 + 224);
        let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        for name in [
            "城南街道",
            "嘉北街道",
            "塘汇街道",
            "长水街道",
            "金穗社区",
            "锦绣社区",
            "永政社区",
            "由拳社区",
            "联星社区",
        ] {
            assert!(names.contains(&name), "{name}");
        }
        let mut codes: Vec<&str> = rows.iter().map(|r| r.code.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), rows.len(), "codes are unique");
        assert_eq!(plan.by_code("330402001001").unwrap().row.name, "金穗社区");
        assert_eq!(
            plan.communities[0].micro_grids[2].row.code,
            "330402001001-03"
        );
        // Ids are 1..=n in insertion order and paths chain through parents.
        for (i, r) in rows.iter().enumerate() {
            assert_eq!(r.id, i as i64 + 1);
            let parent_path = r
                .parent_id
                .map_or("/".to_owned(), |p| rows[p as usize - 1].path.clone());
            assert_eq!(r.path, child_path(&parent_path, r.id));
        }
    }
}
