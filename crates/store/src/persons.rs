//! Persons: list with search and keyset pagination, scoped by area path.

use domain::AreaKind;
use sqlx::Row as _;

use crate::{Result, Tx, bulk};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct PersonRow {
    pub id: i64,
    pub id_number: Option<String>,
    pub name: String,
    pub phone: Option<String>,
    pub zone_id: i64,
    pub street_id: i64,
    pub community_id: i64,
    pub micro_grid_id: Option<i64>,
    /// Path of the most specific area (micro-grid, else community).
    pub area_path: String,
    pub category: String,
    pub nationality: Option<String>,
    pub passport_no: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone)]
pub struct NewPerson {
    pub id_number: Option<String>,
    pub name: String,
    pub phone: Option<String>,
    pub zone_id: i64,
    pub street_id: i64,
    pub community_id: i64,
    pub micro_grid_id: Option<i64>,
    /// Path of the most specific area (micro-grid, else community).
    pub area_path: String,
    pub category: String,
    pub nationality: Option<String>,
    pub passport_no: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PersonSort {
    /// Registration order.
    #[default]
    Id,
    Name,
}

/// Where the previous page ended: the sort key of its last row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PersonCursor {
    Id(i64),
    Name(String, i64),
}

#[derive(Debug, Clone, Default)]
pub struct PersonQuery {
    /// Only persons inside this area (the account's scope).
    pub scope: Scope,
    /// Exact ID number.
    pub id_number: Option<String>,
    /// Exact phone.
    pub phone: Option<String>,
    /// Name prefix.
    pub name_prefix: Option<String>,
    pub category: Option<String>,
    pub sort: PersonSort,
    pub after: Option<PersonCursor>,
    pub limit: u32,
}

/// An area to restrict a query to: its level picks the column, so the filter is an equality
/// on an indexed `(level_id, id)` pair and keyset pages walk that index in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope {
    pub kind: AreaKind,
    pub area_id: i64,
}

impl Default for Scope {
    fn default() -> Self {
        Scope {
            kind: AreaKind::Zone,
            area_id: 0,
        }
    }
}

impl Scope {
    pub(crate) fn column(self) -> &'static str {
        match self.kind {
            AreaKind::Zone => "zone_id",
            AreaKind::Street => "street_id",
            AreaKind::Community => "community_id",
            AreaKind::MicroGrid => "micro_grid_id",
        }
    }
}

const COLUMNS: &str = "id, id_number, name, phone, zone_id, street_id, community_id, micro_grid_id, \
                       area_path, category, nationality, passport_no, created_at, updated_at";

impl Tx {
    pub async fn insert_person(&mut self, p: &NewPerson, now: i64) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO persons (id_number, name, phone, zone_id, street_id, community_id,
                                  micro_grid_id, area_path, category, nationality, passport_no,
                                  created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
        )
        .bind(&p.id_number)
        .bind(&p.name)
        .bind(&p.phone)
        .bind(p.zone_id)
        .bind(p.street_id)
        .bind(p.community_id)
        .bind(p.micro_grid_id)
        .bind(&p.area_path)
        .bind(&p.category)
        .bind(&p.nationality)
        .bind(&p.passport_no)
        .bind(now)
        .fetch_one(self.conn())
        .await?;
        Ok(row.try_get(0)?)
    }

    /// Insert many persons in multi-row statements (the demo and imports).
    /// Insert persons, up to 5,000 a statement as ONE JSON parameter (`bulk::json_insert_sql`).
    pub async fn insert_persons(&mut self, persons: &[NewPerson], now: i64) -> Result<()> {
        const COLS: [(&str, &str); 13] = [
            ("id_number", "text"),
            ("name", "text"),
            ("phone", "text"),
            ("zone_id", "bigint"),
            ("street_id", "bigint"),
            ("community_id", "bigint"),
            ("micro_grid_id", "bigint"),
            ("area_path", "text"),
            ("category", "text"),
            ("nationality", "text"),
            ("passport_no", "text"),
            ("created_at", "bigint"),
            ("updated_at", "bigint"),
        ];
        let sql = bulk::json_insert_sql(self.backend, "persons", &COLS);
        for chunk in persons.chunks(bulk::JSON_ROWS) {
            let json = bulk::json_rows(chunk.iter().map(|p| {
                (
                    &p.id_number,
                    &p.name,
                    &p.phone,
                    p.zone_id,
                    p.street_id,
                    p.community_id,
                    p.micro_grid_id,
                    &p.area_path,
                    &p.category,
                    &p.nationality,
                    &p.passport_no,
                    now,
                    now,
                )
            }))?;
            sqlx::query(&sql).bind(json).execute(self.conn()).await?;
        }
        Ok(())
    }

    pub async fn person(&mut self, id: i64) -> Result<PersonRow> {
        self.one_by_id(
            &format!("SELECT {COLUMNS} FROM persons WHERE id = $1"),
            id,
            "person",
        )
        .await
    }

    /// A foreign national by nationality and passport number.
    pub async fn person_by_passport(
        &mut self,
        nationality: &str,
        passport_no: &str,
    ) -> Result<Option<PersonRow>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM persons WHERE nationality = $1 AND passport_no = $2"
        ))
        .bind(nationality)
        .bind(passport_no)
        .fetch_optional(self.conn())
        .await?)
    }

    pub async fn person_by_id_number(&mut self, id_number: &str) -> Result<Option<PersonRow>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM persons WHERE id_number = $1"
        ))
        .bind(id_number)
        .fetch_optional(self.conn())
        .await?)
    }

    /// One page of persons. Keyset pagination: the cost of a page does not grow with how far
    /// into the list it is. Every filter is an index range or an equality.
    pub async fn list_persons(&mut self, q: &PersonQuery) -> Result<Vec<PersonRow>> {
        let mut sql = format!(
            "SELECT {COLUMNS} FROM persons WHERE {} = $1",
            q.scope.column()
        );
        let mut args: Vec<Arg> = vec![Arg::Int(q.scope.area_id)];
        let mut push = |sql: &mut String, clause: &str, arg: Arg| {
            args.push(arg);
            sql.push_str(&clause.replace('#', &format!("${}", args.len())));
        };
        if let Some(v) = &q.id_number {
            push(&mut sql, " AND id_number = #", Arg::Text(v.clone()));
        }
        if let Some(v) = &q.phone {
            push(&mut sql, " AND phone = #", Arg::Text(v.clone()));
        }
        if let Some(v) = &q.name_prefix {
            push(&mut sql, " AND name >= #", Arg::Text(v.clone()));
            push(&mut sql, " AND name < #", Arg::Text(crate::prefix_upper(v)));
        }
        if let Some(v) = &q.category {
            push(&mut sql, " AND category = #", Arg::Text(v.clone()));
        }
        match &q.after {
            Some(PersonCursor::Id(id)) => push(&mut sql, " AND id > #", Arg::Int(*id)),
            Some(PersonCursor::Name(name, id)) => {
                push(&mut sql, " AND (name > #", Arg::Text(name.clone()));
                push(&mut sql, " OR (name = #", Arg::Text(name.clone()));
                push(&mut sql, " AND id > #))", Arg::Int(*id));
            }
            None => {}
        }
        sql.push_str(match q.sort {
            PersonSort::Id => " ORDER BY id",
            PersonSort::Name => " ORDER BY name, id",
        });
        push(&mut sql, " LIMIT #", Arg::Int(i64::from(q.limit)));
        let mut query = sqlx::query_as(&sql);
        for a in args {
            query = match a {
                Arg::Text(s) => query.bind(s),
                Arg::Int(i) => query.bind(i),
            };
        }
        Ok(query.fetch_all(self.conn()).await?)
    }

    pub async fn count_persons(&mut self, scope: Scope) -> Result<i64> {
        let sql = format!("SELECT COUNT(*) FROM persons WHERE {} = $1", scope.column());
        let row = sqlx::query(&sql)
            .bind(scope.area_id)
            .fetch_one(self.conn())
            .await?;
        Ok(row.try_get(0)?)
    }

    /// Persons per child area of `scope` (e.g. per community of a street): one grouped query.
    pub async fn count_persons_by_child(&mut self, scope: Scope) -> Result<Vec<(i64, i64)>> {
        let Some(child) = scope.kind.child() else {
            return Ok(vec![]);
        };
        let child_col = Scope {
            kind: child,
            area_id: 0,
        }
        .column();
        let sql = format!(
            "SELECT {child_col}, COUNT(*) FROM persons WHERE {} = $1 AND {child_col} IS NOT NULL
             GROUP BY {child_col} ORDER BY {child_col}",
            scope.column()
        );
        let rows = sqlx::query(&sql)
            .bind(scope.area_id)
            .fetch_all(self.conn())
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    }
}

enum Arg {
    Text(String),
    Int(i64),
}
