//! Quarantine (隔离): sites, rooms and teams; orders and their stays; end-date changes; the
//! twice-daily checks; tests; alerts; the per-reason rules; and the figures read from them.
//! Scoped reads take an area path prefix and walk an index range.

use sqlx::Row;

use crate::bulk::{self, AnyQuery};
use crate::{Result, StoreError, Tx, prefix_upper};

#[derive(Debug, Clone, PartialEq)]
pub struct NewSite {
    pub code: String,
    pub name: String,
    pub address: String,
    pub street_id: i64,
    pub area_path: String,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct SiteRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub address: String,
    pub street_id: i64,
    pub street_name: String,
    pub area_path: String,
    pub rooms: i64,
    /// Beds: the rooms' capacities summed.
    pub capacity: i64,
    /// Active orders (ordered or in quarantine) placed here now.
    pub occupied: i64,
    pub retired_at: Option<i64>,
}

const SITE_SELECT: &str = "SELECT s.id, s.code, s.name, s.address, s.street_id, \
    a.name AS street_name, s.area_path, \
    (SELECT COUNT(*) FROM quarantine_rooms r WHERE r.site_id = s.id) AS rooms, \
    (SELECT CAST(COALESCE(SUM(r.capacity), 0) AS BIGINT) FROM quarantine_rooms r \
      WHERE r.site_id = s.id) AS capacity, \
    (SELECT COUNT(*) FROM quarantine_orders o WHERE o.site_id = s.id \
      AND o.state IN ('ordered', 'in_quarantine')) AS occupied, \
    s.retired_at \
    FROM quarantine_sites s JOIN areas a ON a.id = s.street_id";

#[derive(Debug, Clone, PartialEq)]
pub struct NewRoom {
    pub floor: i64,
    pub number: String,
    pub capacity: i64,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct RoomRow {
    pub id: i64,
    pub site_id: i64,
    pub floor: i64,
    pub number: String,
    pub capacity: i64,
    /// Active orders placed in the room now.
    pub occupied: i64,
}

const ROOM_SELECT: &str = "SELECT r.id, r.site_id, r.floor, r.number, r.capacity, \
    (SELECT COUNT(*) FROM quarantine_orders o WHERE o.room_id = r.id \
      AND o.state IN ('ordered', 'in_quarantine')) AS occupied \
    FROM quarantine_rooms r";

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct TeamMemberRow {
    pub id: i64,
    pub site_id: Option<i64>,
    pub community_id: Option<i64>,
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct QuarantineRuleRow {
    pub reason: String,
    pub centralized_days: i64,
    pub home_days: i64,
    pub home_after_days: i64,
    pub negative_tests: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewOrder {
    pub person_id: i64,
    pub kind: String,
    pub reason: String,
    /// "ordered", or "in_quarantine" for a person who enters at once (then `entered_on` is the
    /// start and a stay is opened).
    pub state: String,
    pub start_on: String,
    pub planned_end_on: String,
    pub site_id: Option<i64>,
    pub room_id: Option<i64>,
    pub community_id: i64,
    pub street_id: i64,
    pub area_path: String,
    pub entered_on: Option<String>,
    /// For an order recorded after the fact (imports, the demo): the day it ended; its stay
    /// closes then.
    pub ended_on: Option<String>,
    pub note: String,
    pub follows_order_id: Option<i64>,
    pub case_id: Option<i64>,
    pub contact_id: Option<i64>,
    pub created_by: String,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct OrderRow {
    pub id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub kind: String,
    pub reason: String,
    pub state: String,
    pub start_on: String,
    pub planned_end_on: String,
    pub site_id: Option<i64>,
    pub site_name: Option<String>,
    /// The site's area path: its staff see the orders placed there.
    pub site_path: Option<String>,
    pub room_id: Option<i64>,
    pub room_number: Option<String>,
    pub floor: Option<i64>,
    pub community_id: i64,
    pub community_name: String,
    pub street_id: i64,
    pub area_path: String,
    pub entered_on: Option<String>,
    pub ended_on: Option<String>,
    pub note: String,
    pub follows_order_id: Option<i64>,
    pub case_id: Option<i64>,
    pub contact_id: Option<i64>,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

const ORDER_SELECT: &str = "SELECT o.id, o.person_id, p.name AS person_name, o.kind, o.reason, \
    o.state, o.start_on, o.planned_end_on, o.site_id, s.name AS site_name, \
    s.area_path AS site_path, o.room_id, \
    r.number AS room_number, r.floor, o.community_id, c.name AS community_name, o.street_id, \
    o.area_path, o.entered_on, o.ended_on, o.note, o.follows_order_id, o.case_id, o.contact_id, \
    o.created_by, o.created_at, o.updated_at \
    FROM quarantine_orders o JOIN persons p ON p.id = o.person_id \
    JOIN areas c ON c.id = o.community_id \
    LEFT JOIN quarantine_sites s ON s.id = o.site_id \
    LEFT JOIN quarantine_rooms r ON r.id = o.room_id";

/// Which orders a list shows.
#[derive(Debug, Clone, Default)]
pub struct OrderQuery {
    /// Area path prefix of the person's record (the actor's scope).
    pub scope_path: String,
    /// Only these states; empty for all.
    pub states: Vec<String>,
    pub kind: Option<String>,
    pub reason: Option<String>,
    pub site_id: Option<i64>,
    pub community_id: Option<i64>,
    /// Name prefix.
    pub name: Option<String>,
    /// "start" (newest first, the default), "end" (soonest planned end first) or "name".
    pub sort: String,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewCheck {
    pub order_id: i64,
    pub day: String,
    pub slot: i64,
    pub site_id: Option<i64>,
    pub community_id: i64,
    pub street_id: i64,
    pub assignee_id: Option<i64>,
    pub due_at: i64,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct CheckRow {
    pub id: i64,
    pub order_id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub day: String,
    pub slot: i64,
    pub site_id: Option<i64>,
    pub site_name: Option<String>,
    pub floor: Option<i64>,
    pub room_number: Option<String>,
    pub community_id: i64,
    pub community_name: String,
    pub street_id: i64,
    pub assignee_id: Option<i64>,
    pub assignee: Option<String>,
    pub due_at: i64,
    pub done_at: Option<i64>,
    pub done_by: Option<String>,
    pub temperature: Option<f64>,
    pub symptoms: Option<String>,
}

const CHECK_SELECT: &str = "SELECT k.id, k.order_id, o.person_id, p.name AS person_name, k.day, \
    k.slot, k.site_id, s.name AS site_name, r.floor, r.number AS room_number, k.community_id, \
    c.name AS community_name, k.street_id, k.assignee_id, u.username AS assignee, k.due_at, \
    k.done_at, k.done_by, k.temperature, k.symptoms \
    FROM quarantine_checks k JOIN quarantine_orders o ON o.id = k.order_id \
    JOIN persons p ON p.id = o.person_id JOIN areas c ON c.id = k.community_id \
    LEFT JOIN quarantine_sites s ON s.id = k.site_id \
    LEFT JOIN quarantine_rooms r ON r.id = o.room_id \
    LEFT JOIN users u ON u.id = k.assignee_id";

/// Someone in quarantine on a day, as the follow-up generator needs them.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct FollowUpTarget {
    pub order_id: i64,
    pub site_id: Option<i64>,
    pub community_id: i64,
    pub street_id: i64,
    pub floor: Option<i64>,
    pub room_number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct TestRow {
    pub id: i64,
    pub order_id: i64,
    pub sampled_on: String,
    pub result: String,
    pub result_on: Option<String>,
    pub recorded_by: String,
    pub created_at: i64,
}

const TEST_SELECT: &str = "SELECT id, order_id, sampled_on, result, result_on, recorded_by, \
    created_at FROM quarantine_tests";

#[derive(Debug, Clone, PartialEq)]
pub struct NewAlert {
    pub order_id: i64,
    pub kind: String,
    pub day: String,
    pub detail: String,
    pub community_id: i64,
    pub street_id: i64,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct AlertRow {
    pub id: i64,
    pub order_id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub kind: String,
    pub day: String,
    pub detail: String,
    pub community_id: i64,
    pub community_name: String,
    pub street_id: i64,
    pub created_at: i64,
    pub acknowledged_at: Option<i64>,
    pub acknowledged_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct EndChangeRow {
    pub id: i64,
    pub order_id: i64,
    pub old_end_on: String,
    pub new_end_on: String,
    pub reason: String,
    pub changed_by: String,
    pub reviewer: Option<String>,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewArrival {
    pub person_id: i64,
    pub language: String,
    pub flight: String,
    pub arrival_on: String,
    pub community_id: i64,
    pub certificate: Option<String>,
    pub certificate_status: String,
    pub certificate_detail: String,
    pub officer_id: Option<i64>,
    pub created_by: String,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ArrivalDeskRow {
    pub id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub nationality: Option<String>,
    pub passport_no: Option<String>,
    pub language: String,
    pub flight: String,
    pub arrival_on: String,
    pub community_id: i64,
    pub community_name: String,
    pub area_path: String,
    pub certificate_status: String,
    pub certificate_detail: String,
    pub officer_id: Option<i64>,
    pub officer: Option<String>,
    pub order_id: Option<i64>,
    pub order_state: Option<String>,
    pub created_by: String,
    pub created_at: i64,
}

const ARRIVAL_SELECT: &str = "SELECT a.id, a.person_id, p.name AS person_name, p.nationality, \
    p.passport_no, a.language, a.flight, a.arrival_on, a.community_id, \
    c.name AS community_name, p.area_path, a.certificate_status, a.certificate_detail, \
    a.officer_id, u.display_name AS officer, a.order_id, o.state AS order_state, a.created_by, \
    a.created_at FROM returnee_arrivals a JOIN persons p ON p.id = a.person_id \
    JOIN areas c ON c.id = a.community_id LEFT JOIN users u ON u.id = a.officer_id \
    LEFT JOIN quarantine_orders o ON o.id = a.order_id";

/// Occupancy of one site on a day.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct SiteOccupancyRow {
    pub site_id: i64,
    pub name: String,
    pub street_id: i64,
    pub capacity: i64,
    pub occupied: i64,
}

/// Persons of one community in quarantine on a day, and cumulatively.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct CommunityQuarantineRow {
    pub community_id: i64,
    pub name: String,
    pub street_id: i64,
    pub centralized: i64,
    pub home: i64,
    pub cumulative: i64,
}

/// A day's checks of one street: due, done by the due time, done late, still open.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct StreetChecksRow {
    pub street_id: i64,
    pub name: String,
    pub due: i64,
    pub on_time: i64,
    pub late: i64,
    pub open: i64,
}

/// A stay to open: (order, site, room, community, from day, until day).
type NewStay = (i64, Option<i64>, Option<i64>, i64, String, Option<String>);

const ORDER_COLUMNS: [&str; 20] = [
    "person_id",
    "kind",
    "reason",
    "state",
    "start_on",
    "planned_end_on",
    "site_id",
    "room_id",
    "community_id",
    "street_id",
    "area_path",
    "entered_on",
    "note",
    "follows_order_id",
    "case_id",
    "contact_id",
    "created_by",
    "created_at",
    "updated_at",
    "ended_on",
];

const CHECK_COLUMNS: [&str; 8] = [
    "order_id",
    "day",
    "slot",
    "site_id",
    "community_id",
    "street_id",
    "assignee_id",
    "due_at",
];

/// Binds a check's values in the order of [`CHECK_COLUMNS`].
fn bind_check<'q>(q: AnyQuery<'q>, c: &'q NewCheck) -> AnyQuery<'q> {
    q.bind(c.order_id)
        .bind(&c.day)
        .bind(c.slot)
        .bind(c.site_id)
        .bind(c.community_id)
        .bind(c.street_id)
        .bind(c.assignee_id)
        .bind(c.due_at)
}

impl Tx {
    // ---- sites, rooms, teams ----

    pub async fn insert_quarantine_site(&mut self, s: &NewSite, now: i64) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO quarantine_sites (code, name, address, street_id, area_path, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(&s.code)
        .bind(&s.name)
        .bind(&s.address)
        .bind(s.street_id)
        .bind(&s.area_path)
        .bind(now)
        .fetch_one(self.conn())
        .await?;
        Ok(row.try_get(0)?)
    }

    pub async fn insert_quarantine_rooms(&mut self, site_id: i64, rooms: &[NewRoom]) -> Result<()> {
        let cols = ["site_id", "floor", "number", "capacity"];
        self.insert_rows("quarantine_rooms", &cols, "", rooms, |q, r| {
            q.bind(site_id)
                .bind(r.floor)
                .bind(&r.number)
                .bind(r.capacity)
        })
        .await?;
        Ok(())
    }

    /// Sites in a scope (their area path under `scope_path`), by code.
    pub async fn quarantine_sites(&mut self, scope_path: &str) -> Result<Vec<SiteRow>> {
        Ok(sqlx::query_as(&format!(
            "{SITE_SELECT} WHERE s.area_path >= $1 AND s.area_path < $2 ORDER BY s.code"
        ))
        .bind(scope_path)
        .bind(prefix_upper(scope_path))
        .fetch_all(self.conn())
        .await?)
    }

    pub async fn quarantine_site(&mut self, id: i64) -> Result<SiteRow> {
        self.one_by_id(
            &format!("{SITE_SELECT} WHERE s.id = $1"),
            id,
            "quarantine site",
        )
        .await
    }

    /// A site's rooms with their current occupancy, by floor and number.
    pub async fn quarantine_rooms(&mut self, site_id: i64) -> Result<Vec<RoomRow>> {
        Ok(sqlx::query_as(&format!(
            "{ROOM_SELECT} WHERE r.site_id = $1 ORDER BY r.floor, r.number"
        ))
        .bind(site_id)
        .fetch_all(self.conn())
        .await?)
    }

    pub async fn quarantine_room(&mut self, id: i64) -> Result<RoomRow> {
        self.one_by_id(&format!("{ROOM_SELECT} WHERE r.id = $1"), id, "room")
            .await
    }

    /// Add a member to a site's staff (`site_id`) or a community's team (`community_id`).
    pub async fn insert_team_member(
        &mut self,
        site_id: Option<i64>,
        community_id: Option<i64>,
        user_id: i64,
        now: i64,
    ) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO quarantine_team (site_id, community_id, user_id, created_at) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(site_id)
        .bind(community_id)
        .bind(user_id)
        .bind(now)
        .fetch_one(self.conn())
        .await?;
        Ok(row.try_get(0)?)
    }

    /// Every team member (site staff and community teams), by team, then by user id: the
    /// round-robin order.
    pub async fn quarantine_team(&mut self) -> Result<Vec<TeamMemberRow>> {
        Ok(sqlx::query_as(
            "SELECT t.id, t.site_id, t.community_id, t.user_id, u.username, u.display_name \
             FROM quarantine_team t JOIN users u ON u.id = t.user_id \
             WHERE u.disabled_at IS NULL ORDER BY t.site_id, t.community_id, t.user_id",
        )
        .fetch_all(self.conn())
        .await?)
    }

    // ---- rules ----

    pub async fn quarantine_rules(&mut self) -> Result<Vec<QuarantineRuleRow>> {
        Ok(sqlx::query_as(
            "SELECT reason, centralized_days, home_days, home_after_days, negative_tests, \
             updated_at FROM quarantine_rules ORDER BY reason",
        )
        .fetch_all(self.conn())
        .await?)
    }

    pub async fn update_quarantine_rule(&mut self, r: &QuarantineRuleRow) -> Result<()> {
        let n = sqlx::query(
            "UPDATE quarantine_rules SET centralized_days = $2, home_days = $3, \
             home_after_days = $4, negative_tests = $5, updated_at = $6 WHERE reason = $1",
        )
        .bind(&r.reason)
        .bind(r.centralized_days)
        .bind(r.home_days)
        .bind(r.home_after_days)
        .bind(r.negative_tests)
        .bind(r.updated_at)
        .execute(self.conn())
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound("quarantine rule"));
        }
        Ok(())
    }

    // ---- orders ----

    /// Insert orders (one statement per chunk); for an order that starts in quarantine, open
    /// its first stay too. Returns the ids in input order. A second active order of a person
    /// is refused by the unique index (`Conflict`).
    pub async fn insert_quarantine_orders(
        &mut self,
        orders: &[NewOrder],
        now: i64,
    ) -> Result<Vec<i64>> {
        let cols = &ORDER_COLUMNS;
        let mut ids = Vec::with_capacity(orders.len());
        for chunk in orders.chunks(bulk::chunk_rows(cols.len())) {
            let sql = format!(
                "{} RETURNING id",
                bulk::insert_sql("quarantine_orders", cols, chunk.len())
            );
            let mut q = sqlx::query(&sql);
            for o in chunk {
                q = q
                    .bind(o.person_id)
                    .bind(&o.kind)
                    .bind(&o.reason)
                    .bind(&o.state)
                    .bind(&o.start_on)
                    .bind(&o.planned_end_on)
                    .bind(o.site_id)
                    .bind(o.room_id)
                    .bind(o.community_id)
                    .bind(o.street_id)
                    .bind(&o.area_path)
                    .bind(&o.entered_on)
                    .bind(&o.note)
                    .bind(o.follows_order_id)
                    .bind(o.case_id)
                    .bind(o.contact_id)
                    .bind(&o.created_by)
                    .bind(now)
                    .bind(now)
                    .bind(&o.ended_on);
            }
            let rows = q.fetch_all(self.conn()).await?;
            // RETURNING follows the VALUES order on both backends for a plain INSERT.
            let mut chunk_ids: Vec<i64> = rows
                .iter()
                .map(|r| r.try_get(0))
                .collect::<std::result::Result<_, _>>()?;
            chunk_ids.sort_unstable();
            ids.extend(chunk_ids);
        }
        let stays: Vec<NewStay> = orders
            .iter()
            .zip(&ids)
            .filter_map(|(o, id)| {
                o.entered_on.as_ref().map(|d| {
                    (
                        *id,
                        o.site_id,
                        o.room_id,
                        o.community_id,
                        d.clone(),
                        o.ended_on.clone(),
                    )
                })
            })
            .collect();
        self.insert_stays(&stays).await?;
        Ok(ids)
    }

    async fn insert_stays(&mut self, stays: &[NewStay]) -> Result<()> {
        let cols = [
            "order_id",
            "site_id",
            "room_id",
            "community_id",
            "from_on",
            "until_on",
        ];
        self.insert_rows("quarantine_stays", &cols, "", stays, |q, s| {
            q.bind(s.0)
                .bind(s.1)
                .bind(s.2)
                .bind(s.3)
                .bind(&s.4)
                .bind(&s.5)
        })
        .await?;
        Ok(())
    }

    /// Close an order's open stay on `day` (exclusive) and, unless `close_only`, open the
    /// next at the order's current place from `day`.
    pub async fn move_stay(&mut self, order_id: i64, day: &str, close_only: bool) -> Result<()> {
        sqlx::query(
            "UPDATE quarantine_stays SET until_on = $2 WHERE order_id = $1 AND until_on IS NULL",
        )
        .bind(order_id)
        .bind(day)
        .execute(self.conn())
        .await?;
        if !close_only {
            sqlx::query(
                "INSERT INTO quarantine_stays (order_id, site_id, room_id, community_id, from_on) \
                 SELECT id, site_id, room_id, community_id, $2 FROM quarantine_orders WHERE id = $1",
            )
            .bind(order_id)
            .bind(day)
            .execute(self.conn())
            .await?;
        }
        Ok(())
    }

    pub async fn quarantine_order(&mut self, id: i64) -> Result<OrderRow> {
        self.one_by_id(
            &format!("{ORDER_SELECT} WHERE o.id = $1"),
            id,
            "quarantine order",
        )
        .await
    }

    /// The person's active order (ordered or in quarantine), if any.
    pub async fn active_quarantine_order(&mut self, person_id: i64) -> Result<Option<OrderRow>> {
        Ok(sqlx::query_as(&format!(
            "{ORDER_SELECT} WHERE o.person_id = $1 AND o.state IN ('ordered', 'in_quarantine')"
        ))
        .bind(person_id)
        .fetch_optional(self.conn())
        .await?)
    }

    pub async fn quarantine_orders_of_person(&mut self, person_id: i64) -> Result<Vec<OrderRow>> {
        Ok(sqlx::query_as(&format!(
            "{ORDER_SELECT} WHERE o.person_id = $1 ORDER BY o.id"
        ))
        .bind(person_id)
        .fetch_all(self.conn())
        .await?)
    }

    /// A page of orders and the number matching.
    pub async fn list_quarantine_orders(&mut self, q: &OrderQuery) -> Result<(Vec<OrderRow>, i64)> {
        let mut filter = String::from(" WHERE o.area_path >= $1 AND o.area_path < $2");
        let mut texts: Vec<String> = vec![q.scope_path.clone(), prefix_upper(&q.scope_path)];
        if !q.states.is_empty() {
            let mut parts = vec![];
            for s in &q.states {
                texts.push(s.clone());
                parts.push(format!("${}", texts.len()));
            }
            filter.push_str(&format!(" AND o.state IN ({})", parts.join(", ")));
        }
        let mut push_text = |filter: &mut String, cond: &str, v: String| {
            texts.push(v);
            filter.push_str(&cond.replace('#', &format!("${}", texts.len())));
        };
        if let Some(k) = &q.kind {
            push_text(&mut filter, " AND o.kind = #", k.clone());
        }
        if let Some(r) = &q.reason {
            push_text(&mut filter, " AND o.reason = #", r.clone());
        }
        if let Some(n) = &q.name {
            push_text(&mut filter, " AND p.name >= #", n.clone());
            push_text(&mut filter, " AND p.name < #", prefix_upper(n));
        }
        if let Some(s) = q.site_id {
            filter.push_str(&format!(" AND o.site_id = {s}"));
        }
        if let Some(c) = q.community_id {
            filter.push_str(&format!(" AND o.community_id = {c}"));
        }
        let order = match q.sort.as_str() {
            "end" => "o.planned_end_on, o.id",
            "name" => "p.name, o.id",
            _ => "o.start_on DESC, o.id DESC",
        };
        let count_sql = format!(
            "SELECT COUNT(*) FROM quarantine_orders o JOIN persons p ON p.id = o.person_id{filter}"
        );
        let mut cq = sqlx::query(&count_sql);
        for t in &texts {
            cq = cq.bind(t);
        }
        let total: i64 = cq.fetch_one(self.conn()).await?.try_get(0)?;
        let sql = format!(
            "{ORDER_SELECT}{filter} ORDER BY {order} LIMIT {} OFFSET {}",
            q.limit.max(0),
            q.offset.max(0)
        );
        let mut lq = sqlx::query_as(&sql);
        for t in &texts {
            lq = lq.bind(t);
        }
        Ok((lq.fetch_all(self.conn()).await?, total))
    }

    /// Set state and, when given, the day entered or ended.
    pub async fn set_quarantine_state(
        &mut self,
        id: i64,
        state: &str,
        entered_on: Option<&str>,
        ended_on: Option<&str>,
        note: Option<&str>,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE quarantine_orders SET state = $2, entered_on = COALESCE($3, entered_on), \
             ended_on = COALESCE($4, ended_on), note = COALESCE($5, note), updated_at = $6 \
             WHERE id = $1",
        )
        .bind(id)
        .bind(state)
        .bind(entered_on)
        .bind(ended_on)
        .bind(note)
        .bind(now)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Move an order to another place: a site and room, or home (no site).
    pub async fn set_quarantine_place(
        &mut self,
        id: i64,
        kind: &str,
        site_id: Option<i64>,
        room_id: Option<i64>,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE quarantine_orders SET kind = $2, site_id = $3, room_id = $4, updated_at = $5 \
             WHERE id = $1",
        )
        .bind(id)
        .bind(kind)
        .bind(site_id)
        .bind(room_id)
        .bind(now)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Hand an order's checks not yet done, from `from_day` on, to another place and
    /// assignee (a transfer); the checks done stay as they were done. Returns how many moved.
    pub async fn move_open_quarantine_checks(
        &mut self,
        order_id: i64,
        from_day: &str,
        site_id: Option<i64>,
        assignee_id: Option<i64>,
    ) -> Result<u64> {
        Ok(sqlx::query(
            "UPDATE quarantine_checks SET site_id = $3, assignee_id = $4 \
             WHERE order_id = $1 AND day >= $2 AND done_at IS NULL",
        )
        .bind(order_id)
        .bind(from_day)
        .bind(site_id)
        .bind(assignee_id)
        .execute(self.conn())
        .await?
        .rows_affected())
    }

    /// Change the planned end and record the change.
    pub async fn change_quarantine_end(&mut self, change: &EndChangeRow) -> Result<()> {
        sqlx::query(
            "UPDATE quarantine_orders SET planned_end_on = $2, updated_at = $3 WHERE id = $1",
        )
        .bind(change.order_id)
        .bind(&change.new_end_on)
        .bind(change.at)
        .execute(self.conn())
        .await?;
        sqlx::query(
            "INSERT INTO quarantine_end_changes (order_id, old_end_on, new_end_on, reason, \
             changed_by, reviewer, at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(change.order_id)
        .bind(&change.old_end_on)
        .bind(&change.new_end_on)
        .bind(&change.reason)
        .bind(&change.changed_by)
        .bind(&change.reviewer)
        .bind(change.at)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    pub async fn quarantine_end_changes(&mut self, order_id: i64) -> Result<Vec<EndChangeRow>> {
        Ok(sqlx::query_as(
            "SELECT id, order_id, old_end_on, new_end_on, reason, changed_by, reviewer, at \
             FROM quarantine_end_changes WHERE order_id = $1 ORDER BY id",
        )
        .bind(order_id)
        .fetch_all(self.conn())
        .await?)
    }

    /// Periods in quarantine of one person (entered, ended), as the code rules need them.
    pub async fn quarantine_periods(
        &mut self,
        person_id: i64,
    ) -> Result<Vec<(String, Option<String>, String)>> {
        let rows = sqlx::query(
            "SELECT entered_on, ended_on, state FROM quarantine_orders \
             WHERE person_id = $1 AND entered_on IS NOT NULL ORDER BY entered_on",
        )
        .bind(person_id)
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
            .collect()
    }

    /// Every period in quarantine that had not ended before `since`, for the bulk recompute:
    /// (person, entered, ended, state).
    pub async fn quarantine_periods_since(
        &mut self,
        since: &str,
    ) -> Result<Vec<(i64, String, Option<String>, String)>> {
        let rows = sqlx::query(
            "SELECT person_id, entered_on, ended_on, state FROM quarantine_orders \
             WHERE entered_on IS NOT NULL AND (ended_on IS NULL OR ended_on >= $1) \
             ORDER BY person_id, entered_on",
        )
        .bind(since)
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?)))
            .collect()
    }

    /// In quarantine whose planned end is on or before `day`: the releases to decide.
    pub async fn quarantine_ending(
        &mut self,
        day: &str,
        scope_path: &str,
    ) -> Result<Vec<OrderRow>> {
        Ok(sqlx::query_as(&format!(
            "{ORDER_SELECT} WHERE o.state = 'in_quarantine' AND o.planned_end_on <= $1 \
             AND o.area_path >= $2 AND o.area_path < $3 ORDER BY o.planned_end_on, o.id"
        ))
        .bind(day)
        .bind(scope_path)
        .bind(prefix_upper(scope_path))
        .fetch_all(self.conn())
        .await?)
    }

    // ---- checks (follow-up tasks) ----

    /// Everyone in quarantine on `day` (entered on or before it, not ended by it), ordered by
    /// site, floor, room and order: the follow-up generator's input.
    pub async fn follow_up_targets(&mut self, day: &str) -> Result<Vec<FollowUpTarget>> {
        Ok(sqlx::query_as(
            "SELECT o.id AS order_id, o.site_id, o.community_id, o.street_id, r.floor, \
             r.number AS room_number FROM quarantine_orders o \
             LEFT JOIN quarantine_rooms r ON r.id = o.room_id \
             WHERE o.state = 'in_quarantine' AND o.entered_on <= $1 \
             ORDER BY o.site_id, r.floor, r.number, o.community_id, o.id",
        )
        .bind(day)
        .fetch_all(self.conn())
        .await?)
    }

    /// Insert checks; one already there for the same order, day and slot is kept as it is.
    /// Returns how many were new.
    pub async fn insert_quarantine_checks(&mut self, checks: &[NewCheck]) -> Result<u64> {
        self.insert_rows(
            "quarantine_checks",
            &CHECK_COLUMNS,
            "ON CONFLICT (order_id, day, slot) DO NOTHING",
            checks,
            bind_check,
        )
        .await
    }

    /// Insert checks already done (the demo's history), with their results.
    pub async fn insert_done_quarantine_checks(
        &mut self,
        checks: &[(NewCheck, i64, String, f64, String)],
    ) -> Result<()> {
        let mut cols = CHECK_COLUMNS.to_vec();
        cols.extend(["done_at", "done_by", "temperature", "symptoms"]);
        self.insert_rows(
            "quarantine_checks",
            &cols,
            "",
            checks,
            |q, (c, done_at, by, t, sym)| {
                bind_check(q, c).bind(*done_at).bind(by).bind(*t).bind(sym)
            },
        )
        .await?;
        Ok(())
    }

    pub async fn quarantine_check(&mut self, id: i64) -> Result<CheckRow> {
        self.one_by_id(&format!("{CHECK_SELECT} WHERE k.id = $1"), id, "check")
            .await
    }

    /// Mark every open check of days before `before` done (a replayed history): at a
    /// reproducible time before the due time, and one in `late_every` after it. Returns how many.
    pub async fn complete_past_quarantine_checks(
        &mut self,
        before: &str,
        late_every: i64,
        done_by: &str,
    ) -> Result<u64> {
        Ok(sqlx::query(
            "UPDATE quarantine_checks SET \
             done_at = CASE WHEN id % $2 = 0 THEN due_at + 600000 + (id * 7919) % 3600000 \
               ELSE due_at - 60000 - (id * 7919) % 7200000 END, \
             done_by = $3, temperature = 36.0 + CAST((id * 31) % 10 AS DOUBLE PRECISION) / 10.0, \
             symptoms = '' WHERE done_at IS NULL AND day < $1",
        )
        .bind(before)
        .bind(late_every)
        .bind(done_by)
        .execute(self.conn())
        .await?
        .rows_affected())
    }

    /// Mark the open morning checks of `day` done before their due time (a replayed day).
    pub async fn complete_morning_quarantine_checks(
        &mut self,
        day: &str,
        done_by: &str,
    ) -> Result<u64> {
        Ok(sqlx::query(
            "UPDATE quarantine_checks SET done_at = due_at - 60000 - (id * 7919) % 7200000, \
             done_by = $2, temperature = 36.0 + CAST((id * 31) % 10 AS DOUBLE PRECISION) / 10.0, \
             symptoms = '' WHERE done_at IS NULL AND day = $1 AND slot = 1",
        )
        .bind(day)
        .bind(done_by)
        .execute(self.conn())
        .await?
        .rows_affected())
    }

    /// A day's checks at a site (`site_id`) or of a community's home quarantine
    /// (`community_id`, site none), by floor, room, person and slot.
    pub async fn quarantine_checks_of_day(
        &mut self,
        day: &str,
        site_id: Option<i64>,
        community_id: Option<i64>,
    ) -> Result<Vec<CheckRow>> {
        let filter = match (site_id, community_id) {
            (Some(s), _) => format!(" AND k.site_id = {s}"),
            (None, Some(c)) => format!(" AND k.site_id IS NULL AND k.community_id = {c}"),
            (None, None) => String::new(),
        };
        Ok(sqlx::query_as(&format!(
            "{CHECK_SELECT} WHERE k.day = $1{filter} \
             ORDER BY r.floor, r.number, p.name, o.id, k.slot"
        ))
        .bind(day)
        .fetch_all(self.conn())
        .await?)
    }

    pub async fn quarantine_checks_of_order(&mut self, order_id: i64) -> Result<Vec<CheckRow>> {
        Ok(sqlx::query_as(&format!(
            "{CHECK_SELECT} WHERE k.order_id = $1 ORDER BY k.day, k.slot"
        ))
        .bind(order_id)
        .fetch_all(self.conn())
        .await?)
    }

    /// Enter a check's result. Returns false when it was done already (nothing changed).
    pub async fn record_quarantine_check(
        &mut self,
        id: i64,
        temperature: f64,
        symptoms: &str,
        done_at: i64,
        done_by: &str,
    ) -> Result<bool> {
        let n = sqlx::query(
            "UPDATE quarantine_checks SET temperature = $2, symptoms = $3, done_at = $4, \
             done_by = $5 WHERE id = $1 AND done_at IS NULL",
        )
        .bind(id)
        .bind(temperature)
        .bind(symptoms)
        .bind(done_at)
        .bind(done_by)
        .execute(self.conn())
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    /// Of an order's checks on days in `[from, until)`: (due, done).
    pub async fn quarantine_check_counts(
        &mut self,
        order_id: i64,
        from: &str,
        until: &str,
    ) -> Result<(i64, i64)> {
        let r = sqlx::query(
            "SELECT COUNT(*), COUNT(done_at) \
             FROM quarantine_checks WHERE order_id = $1 AND day >= $2 AND day < $3",
        )
        .bind(order_id)
        .bind(from)
        .bind(until)
        .fetch_one(self.conn())
        .await?;
        Ok((r.try_get(0)?, r.try_get(1)?))
    }

    /// Checks not done of days up to `day` whose due time is before `now`, for orders still in
    /// quarantine and in scope; oldest first, at most `limit`.
    pub async fn overdue_quarantine_checks(
        &mut self,
        day: &str,
        now: i64,
        scope_path: &str,
        limit: i64,
    ) -> Result<Vec<CheckRow>> {
        Ok(sqlx::query_as(&format!(
            "{CHECK_SELECT} WHERE k.done_at IS NULL AND k.day <= $1 AND k.due_at < $2 \
             AND o.state = 'in_quarantine' AND o.area_path >= $3 AND o.area_path < $4 \
             ORDER BY k.due_at, k.id LIMIT $5"
        ))
        .bind(day)
        .bind(now)
        .bind(scope_path)
        .bind(prefix_upper(scope_path))
        .bind(limit)
        .fetch_all(self.conn())
        .await?)
    }

    /// A day's checks per street, for orders in scope: due, on time, late, open.
    pub async fn quarantine_checks_by_street(
        &mut self,
        day: &str,
        scope_path: &str,
    ) -> Result<Vec<StreetChecksRow>> {
        Ok(sqlx::query_as(
            "SELECT k.street_id, a.name, COUNT(*) AS due, \
             COUNT(CASE WHEN k.done_at <= k.due_at THEN 1 END) AS on_time, \
             COUNT(CASE WHEN k.done_at > k.due_at THEN 1 END) AS late, \
             COUNT(*) - COUNT(k.done_at) AS open \
             FROM quarantine_checks k JOIN quarantine_orders o ON o.id = k.order_id \
             JOIN areas a ON a.id = k.street_id \
             WHERE k.day = $1 AND o.area_path >= $2 AND o.area_path < $3 \
             GROUP BY k.street_id, a.name ORDER BY k.street_id",
        )
        .bind(day)
        .bind(scope_path)
        .bind(prefix_upper(scope_path))
        .fetch_all(self.conn())
        .await?)
    }

    // ---- tests ----

    pub async fn insert_quarantine_test(
        &mut self,
        order_id: i64,
        sampled_on: &str,
        result: &str,
        result_on: Option<&str>,
        recorded_by: &str,
        now: i64,
    ) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO quarantine_tests (order_id, sampled_on, result, result_on, recorded_by, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(order_id)
        .bind(sampled_on)
        .bind(result)
        .bind(result_on)
        .bind(recorded_by)
        .bind(now)
        .fetch_one(self.conn())
        .await?;
        Ok(row.try_get(0)?)
    }

    /// Tests in bulk (the demo): (order, sampled, result, result day).
    pub async fn insert_quarantine_tests(
        &mut self,
        tests: &[(i64, String, String, Option<String>)],
        recorded_by: &str,
        now: i64,
    ) -> Result<()> {
        let cols = [
            "order_id",
            "sampled_on",
            "result",
            "result_on",
            "recorded_by",
            "created_at",
        ];
        self.insert_rows("quarantine_tests", &cols, "", tests, |q, t| {
            q.bind(t.0)
                .bind(&t.1)
                .bind(&t.2)
                .bind(&t.3)
                .bind(recorded_by.to_owned())
                .bind(now)
        })
        .await?;
        Ok(())
    }

    pub async fn quarantine_test(&mut self, id: i64) -> Result<TestRow> {
        self.one_by_id(&format!("{TEST_SELECT} WHERE id = $1"), id, "test")
            .await
    }

    pub async fn set_quarantine_test_result(
        &mut self,
        id: i64,
        result: &str,
        result_on: &str,
    ) -> Result<()> {
        sqlx::query("UPDATE quarantine_tests SET result = $2, result_on = $3 WHERE id = $1")
            .bind(id)
            .bind(result)
            .bind(result_on)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    pub async fn quarantine_tests_of_order(&mut self, order_id: i64) -> Result<Vec<TestRow>> {
        Ok(sqlx::query_as(&format!(
            "{TEST_SELECT} WHERE order_id = $1 ORDER BY sampled_on, id"
        ))
        .bind(order_id)
        .fetch_all(self.conn())
        .await?)
    }

    // ---- alerts ----

    pub async fn insert_quarantine_alert(&mut self, a: &NewAlert, now: i64) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO quarantine_alerts (order_id, kind, day, detail, community_id, street_id, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(a.order_id)
        .bind(&a.kind)
        .bind(&a.day)
        .bind(&a.detail)
        .bind(a.community_id)
        .bind(a.street_id)
        .bind(now)
        .fetch_one(self.conn())
        .await?;
        Ok(row.try_get(0)?)
    }

    /// Alerts of orders in scope raised from `since` on, newest first, at most `limit`.
    pub async fn quarantine_alerts(
        &mut self,
        since: &str,
        scope_path: &str,
        limit: i64,
    ) -> Result<Vec<AlertRow>> {
        Ok(sqlx::query_as(
            "SELECT l.id, l.order_id, o.person_id, p.name AS person_name, l.kind, l.day, \
             l.detail, l.community_id, c.name AS community_name, l.street_id, l.created_at, \
             l.acknowledged_at, l.acknowledged_by FROM quarantine_alerts l \
             JOIN quarantine_orders o ON o.id = l.order_id JOIN persons p ON p.id = o.person_id \
             JOIN areas c ON c.id = l.community_id \
             WHERE l.day >= $1 AND o.area_path >= $2 AND o.area_path < $3 \
             ORDER BY l.day DESC, l.id DESC LIMIT $4",
        )
        .bind(since)
        .bind(scope_path)
        .bind(prefix_upper(scope_path))
        .bind(limit)
        .fetch_all(self.conn())
        .await?)
    }

    /// The order an alert was raised for.
    pub async fn quarantine_alert_order(&mut self, id: i64) -> Result<i64> {
        let row = sqlx::query("SELECT order_id FROM quarantine_alerts WHERE id = $1")
            .bind(id)
            .fetch_optional(self.conn())
            .await?
            .ok_or(StoreError::NotFound("alert"))?;
        Ok(row.try_get(0)?)
    }

    pub async fn acknowledge_quarantine_alert(
        &mut self,
        id: i64,
        by: &str,
        now: i64,
    ) -> Result<bool> {
        let n = sqlx::query(
            "UPDATE quarantine_alerts SET acknowledged_at = $2, acknowledged_by = $3 \
             WHERE id = $1 AND acknowledged_at IS NULL",
        )
        .bind(id)
        .bind(now)
        .bind(by)
        .execute(self.conn())
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    // ---- the returnee desk ----

    pub async fn insert_returnee_arrival(&mut self, a: &NewArrival, now: i64) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO returnee_arrivals (person_id, language, flight, arrival_on, community_id, \
             certificate, certificate_status, certificate_detail, officer_id, created_by, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(a.person_id)
        .bind(&a.language)
        .bind(&a.flight)
        .bind(&a.arrival_on)
        .bind(a.community_id)
        .bind(&a.certificate)
        .bind(&a.certificate_status)
        .bind(&a.certificate_detail)
        .bind(a.officer_id)
        .bind(&a.created_by)
        .bind(now)
        .fetch_one(self.conn())
        .await?;
        Ok(row.try_get(0)?)
    }

    pub async fn set_returnee_order(&mut self, id: i64, order_id: i64) -> Result<()> {
        sqlx::query("UPDATE returnee_arrivals SET order_id = $2 WHERE id = $1")
            .bind(id)
            .bind(order_id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    pub async fn set_returnee_officer(&mut self, id: i64, officer_id: i64) -> Result<()> {
        sqlx::query("UPDATE returnee_arrivals SET officer_id = $2 WHERE id = $1")
            .bind(id)
            .bind(officer_id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    pub async fn returnee_arrival(&mut self, id: i64) -> Result<ArrivalDeskRow> {
        self.one_by_id(&format!("{ARRIVAL_SELECT} WHERE a.id = $1"), id, "arrival")
            .await
    }

    /// Arrivals whose person lies in scope, newest arrival first; a page and the total.
    pub async fn returnee_arrivals(
        &mut self,
        scope_path: &str,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<ArrivalDeskRow>, i64)> {
        let total: i64 = sqlx::query(
            "SELECT COUNT(*) FROM returnee_arrivals a JOIN persons p ON p.id = a.person_id \
             WHERE p.area_path >= $1 AND p.area_path < $2",
        )
        .bind(scope_path)
        .bind(prefix_upper(scope_path))
        .fetch_one(self.conn())
        .await?
        .try_get(0)?;
        let rows = sqlx::query_as(&format!(
            "{ARRIVAL_SELECT} WHERE p.area_path >= $1 AND p.area_path < $2 \
             ORDER BY a.arrival_on DESC, a.id DESC LIMIT $3 OFFSET $4"
        ))
        .bind(scope_path)
        .bind(prefix_upper(scope_path))
        .bind(limit)
        .bind(offset)
        .fetch_all(self.conn())
        .await?;
        Ok((rows, total))
    }

    // ---- figures ----

    /// Distinct persons who entered quarantine on or before `day`, and those in quarantine on
    /// `day` (entered, and not ended by it), of orders in scope.
    pub async fn quarantine_totals(&mut self, day: &str, scope_path: &str) -> Result<(i64, i64)> {
        let r = sqlx::query(
            "SELECT COUNT(DISTINCT person_id), \
             COUNT(DISTINCT CASE WHEN ended_on IS NULL OR ended_on > $1 THEN person_id END) \
             FROM quarantine_orders WHERE entered_on <= $1 \
             AND area_path >= $2 AND area_path < $3",
        )
        .bind(day)
        .bind(scope_path)
        .bind(prefix_upper(scope_path))
        .fetch_one(self.conn())
        .await?;
        Ok((r.try_get(0)?, r.try_get(1)?))
    }

    /// Each site in scope with its beds and the stays open on `day`.
    pub async fn quarantine_site_occupancy(
        &mut self,
        day: &str,
        scope_path: &str,
    ) -> Result<Vec<SiteOccupancyRow>> {
        Ok(sqlx::query_as(
            "SELECT s.id AS site_id, s.name, s.street_id, \
             (SELECT CAST(COALESCE(SUM(r.capacity), 0) AS BIGINT) FROM quarantine_rooms r \
               WHERE r.site_id = s.id) \
               AS capacity, \
             (SELECT COUNT(*) FROM quarantine_stays t WHERE t.site_id = s.id AND t.from_on <= $1 \
               AND (t.until_on IS NULL OR t.until_on > $1)) AS occupied \
             FROM quarantine_sites s WHERE s.area_path >= $2 AND s.area_path < $3 ORDER BY s.code",
        )
        .bind(day)
        .bind(scope_path)
        .bind(prefix_upper(scope_path))
        .fetch_all(self.conn())
        .await?)
    }

    /// Each community in scope that has had anyone in quarantine by `day`: at a site and at
    /// home on `day`, and distinct persons cumulatively.
    pub async fn quarantine_by_community(
        &mut self,
        day: &str,
        scope_path: &str,
    ) -> Result<Vec<CommunityQuarantineRow>> {
        Ok(sqlx::query_as(
            "SELECT o.community_id, a.name, o.street_id, \
             COUNT(DISTINCT CASE WHEN t.site_id IS NOT NULL THEN o.person_id END) AS centralized, \
             COUNT(DISTINCT CASE WHEN t.id IS NOT NULL AND t.site_id IS NULL \
               THEN o.person_id END) AS home, \
             COUNT(DISTINCT o.person_id) AS cumulative \
             FROM quarantine_orders o JOIN areas a ON a.id = o.community_id \
             LEFT JOIN quarantine_stays t ON t.order_id = o.id AND t.from_on <= $1 \
               AND (t.until_on IS NULL OR t.until_on > $1) \
             WHERE o.entered_on <= $1 AND o.area_path >= $2 AND o.area_path < $3 \
             GROUP BY o.community_id, a.name, o.street_id ORDER BY o.community_id",
        )
        .bind(day)
        .bind(scope_path)
        .bind(prefix_upper(scope_path))
        .fetch_all(self.conn())
        .await?)
    }
}
