//! The admin's changes to the area tree: rename, re-parent (with every stored copy of the tree
//! that hangs below the area following it, set-based), retire, and delete an area nothing
//! refers to.

use sqlx::Row;

use crate::{Result, StoreError, Tx, prefix_upper};

/// An area as the admin's list shows it: retired ones included, boundaries only as a flag.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct AreaAdminRow {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub kind: String,
    pub code: String,
    pub name: String,
    pub path: String,
    pub retired_at: Option<i64>,
    pub has_boundary: i64,
}

/// What refers to an area; an area is deleted only when all of these are zero.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AreaAttachments {
    pub children: i64,
    pub persons: i64,
    pub checkpoints: i64,
    pub accounts: i64,
    /// Enterprises, grids, quarantine sites, teams and orders, returnees, per-day code figures.
    pub other: i64,
}

impl AreaAttachments {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// How many rows a re-parent moved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reparented {
    pub areas: u64,
    pub persons: u64,
}

/// `CAST($n AS TEXT) || substr(column, length(old) + 1)`: the column's path with the old prefix
/// (`$old`) replaced by the new one (`$new`). The casts keep PostgreSQL from guessing types.
fn moved(column: &str, new: usize, old: usize) -> String {
    format!("CAST(${new} AS TEXT) || substr({column}, length(CAST(${old} AS TEXT)) + 1)")
}

impl Tx {
    /// Every area inside `scope_path`, retired ones too, in path order.
    pub async fn areas_for_admin(&mut self, scope_path: &str) -> Result<Vec<AreaAdminRow>> {
        Ok(sqlx::query_as(
            "SELECT id, parent_id, kind, code, name, path, retired_at,
                    CASE WHEN boundary IS NULL THEN 0 ELSE 1 END AS has_boundary
             FROM areas WHERE path >= $1 AND path < $2 ORDER BY path",
        )
        .bind(scope_path)
        .bind(prefix_upper(scope_path))
        .fetch_all(self.conn())
        .await?)
    }

    /// One area as the admin sees it.
    pub async fn area_for_admin(&mut self, id: i64) -> Result<AreaAdminRow> {
        self.one_by_id(
            "SELECT id, parent_id, kind, code, name, path, retired_at,
                    CASE WHEN boundary IS NULL THEN 0 ELSE 1 END AS has_boundary
             FROM areas WHERE id = $1",
            id,
            "area",
        )
        .await
    }

    pub async fn rename_area(&mut self, id: i64, name: &str) -> Result<()> {
        let done = sqlx::query("UPDATE areas SET name = $1 WHERE id = $2")
            .bind(name)
            .bind(id)
            .execute(self.conn())
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("area"));
        }
        Ok(())
    }

    /// Retire an area (`Some(at)`) or bring it back (`None`).
    pub async fn set_area_retired(&mut self, id: i64, at: Option<i64>) -> Result<()> {
        let done = sqlx::query("UPDATE areas SET retired_at = $1 WHERE id = $2")
            .bind(at)
            .bind(id)
            .execute(self.conn())
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("area"));
        }
        Ok(())
    }

    /// Everything that refers to area `id`.
    pub async fn area_attachments(&mut self, id: i64) -> Result<AreaAttachments> {
        let row = sqlx::query(
            "SELECT
               (SELECT COUNT(*) FROM areas WHERE parent_id = $1),
               (SELECT COUNT(*) FROM persons
                 WHERE zone_id = $1 OR street_id = $1 OR community_id = $1 OR micro_grid_id = $1),
               (SELECT COUNT(*) FROM checkpoints WHERE area_id = $1),
               (SELECT COUNT(*) FROM users WHERE area_id = $1),
               (SELECT COUNT(*) FROM enterprises WHERE street_id = $1)
               + (SELECT COUNT(*) FROM ent_grids WHERE street_id = $1)
               + (SELECT COUNT(*) FROM quarantine_sites WHERE street_id = $1)
               + (SELECT COUNT(*) FROM quarantine_team WHERE community_id = $1)
               + (SELECT COUNT(*) FROM quarantine_orders WHERE community_id = $1 OR street_id = $1)
               + (SELECT COUNT(*) FROM quarantine_stays WHERE community_id = $1)
               + (SELECT COUNT(*) FROM returnee_arrivals WHERE community_id = $1)
               + (SELECT COUNT(*) FROM code_colour_days WHERE street_id = $1)
               + (SELECT COUNT(*) FROM health_codes
                   WHERE zone_id = $1 OR street_id = $1 OR community_id = $1)",
        )
        .bind(id)
        .fetch_one(self.conn())
        .await?;
        Ok(AreaAttachments {
            children: row.try_get(0)?,
            persons: row.try_get(1)?,
            checkpoints: row.try_get(2)?,
            accounts: row.try_get(3)?,
            other: row.try_get(4)?,
        })
    }

    /// Delete an area; the caller has checked [`Tx::area_attachments`] is empty.
    pub async fn delete_area(&mut self, id: i64) -> Result<()> {
        let done = sqlx::query("DELETE FROM areas WHERE id = $1")
            .bind(id)
            .execute(self.conn())
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("area"));
        }
        Ok(())
    }

    /// Move area `id` (a community or a micro-grid) under `new_parent_id`, and with it every
    /// stored copy of the tree below it, each in one statement: the areas' paths, the persons'
    /// `street_id`/`community_id`/`area_path`, their codes' area columns, their quarantine
    /// orders, checks, alerts, stays and arrivals, the paths of checkpoints, accounts,
    /// enterprises and sites. When the street changes, the persons' per-day code figures
    /// (`code_colour_days`) move to the new street too, so that the kept counts stay equal to
    /// what their rows say. The caller has checked the kinds.
    pub async fn reparent_area(&mut self, id: i64, new_parent_id: i64) -> Result<Reparented> {
        let area = self.area(id).await?;
        let old_parent = area.parent_id.ok_or(StoreError::NotFound("parent area"))?;
        let parent = self.area(new_parent_id).await?;
        let old_path = area.path.clone();
        let new_path = domain::area::child_path(&parent.path, id);
        if old_path == new_path {
            return Ok(Reparented::default());
        }
        // The street and community the persons below will belong to.
        let (old_street, new_street, new_community) = match area.kind.as_str() {
            "community" => (old_parent, parent.id, id),
            _ => {
                let old_street = self.area(old_parent).await?.parent_id;
                let new_street = parent.parent_id;
                match (old_street, new_street) {
                    (Some(o), Some(n)) => (o, n, parent.id),
                    _ => return Err(StoreError::NotFound("street of the community")),
                }
            }
        };
        let old_upper = prefix_upper(&old_path);
        if old_street != new_street {
            // Every code change of the persons below: taken off the old street, put on the new.
            for (street, sign) in [(old_street, -1i64), (new_street, 1)] {
                sqlx::query(
                    "INSERT INTO code_colour_days (street_id, day, colour, delta)
                     SELECT $1, day, colour, $2 * CAST(SUM(delta) AS BIGINT) FROM (
                       SELECT c.day, c.to_colour AS colour, 1 AS delta
                       FROM code_changes c JOIN persons p ON p.id = c.person_id
                       WHERE p.area_path >= $3 AND p.area_path < $4
                       UNION ALL
                       SELECT c.day, c.from_colour, -1
                       FROM code_changes c JOIN persons p ON p.id = c.person_id
                       WHERE p.area_path >= $3 AND p.area_path < $4 AND c.from_colour IS NOT NULL
                     ) d GROUP BY day, colour ORDER BY day, colour
                     ON CONFLICT (street_id, day, colour) DO UPDATE SET
                       delta = code_colour_days.delta + excluded.delta",
                )
                .bind(street)
                .bind(sign)
                .bind(&old_path)
                .bind(&old_upper)
                .execute(self.conn())
                .await?;
            }
        }
        let persons = sqlx::query(&format!(
            "UPDATE persons SET street_id = $1, community_id = $2, area_path = {}
             WHERE area_path >= $4 AND area_path < $5",
            moved("area_path", 3, 4)
        ))
        .bind(new_street)
        .bind(new_community)
        .bind(&new_path)
        .bind(&old_path)
        .bind(&old_upper)
        .execute(self.conn())
        .await?
        .rows_affected();
        // From here on the moved persons are those under the new path.
        let new_upper = prefix_upper(&new_path);
        let moved_persons = "SELECT id FROM persons WHERE area_path >= $3 AND area_path < $4";
        let moved_orders =
            format!("SELECT id FROM quarantine_orders WHERE person_id IN ({moved_persons})");
        for sql in [
            format!(
                "UPDATE health_codes SET street_id = $1, community_id = $2
                 WHERE person_id IN ({moved_persons})"
            ),
            format!(
                "UPDATE quarantine_orders SET street_id = $1, community_id = $2
                 WHERE person_id IN ({moved_persons})"
            ),
            format!(
                "UPDATE quarantine_checks SET street_id = $1, community_id = $2
                 WHERE order_id IN ({moved_orders})"
            ),
            format!(
                "UPDATE quarantine_alerts SET street_id = $1, community_id = $2
                 WHERE order_id IN ({moved_orders})"
            ),
            format!(
                "UPDATE quarantine_stays SET community_id = $2
                 WHERE community_id IS NOT NULL AND order_id IN ({moved_orders})"
            ),
            format!(
                "UPDATE returnee_arrivals SET community_id = $2
                 WHERE person_id IN ({moved_persons})"
            ),
        ] {
            sqlx::query(&sql)
                .bind(new_street)
                .bind(new_community)
                .bind(&new_path)
                .bind(&new_upper)
                .execute(self.conn())
                .await?;
        }
        // Records that carry only a path (and, for sites and enterprises, their street).
        for (table, street) in [
            ("quarantine_orders", false),
            ("checkpoints", false),
            ("users", false),
            ("enterprises", true),
            ("quarantine_sites", true),
        ] {
            let set_street = if street { ", street_id = $4" } else { "" };
            let sql = format!(
                "UPDATE {table} SET area_path = {}{set_street}
                 WHERE area_path >= $2 AND area_path < $3",
                moved("area_path", 1, 2)
            );
            let mut q = sqlx::query(&sql)
                .bind(&new_path)
                .bind(&old_path)
                .bind(&old_upper);
            if street {
                q = q.bind(new_street);
            }
            q.execute(self.conn()).await?;
        }
        sqlx::query("UPDATE areas SET parent_id = $1 WHERE id = $2")
            .bind(parent.id)
            .bind(id)
            .execute(self.conn())
            .await?;
        let areas = sqlx::query(&format!(
            "UPDATE areas SET path = {} WHERE path >= $2 AND path < $3",
            moved("path", 1, 2)
        ))
        .bind(&new_path)
        .bind(&old_path)
        .bind(&old_upper)
        .execute(self.conn())
        .await?
        .rows_affected();
        Ok(Reparented { areas, persons })
    }
}
