//! Persons: list with search and keyset pagination, scoped by area path.

use sqlx::Row;

use crate::{Result, StoreError, Tx, bulk};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct PersonRow {
    pub id: i64,
    pub id_number: Option<String>,
    pub name: String,
    pub phone: Option<String>,
    pub community_id: i64,
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
    pub community_id: i64,
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
    /// Only persons whose area path starts with this (the account's scope).
    pub scope_path: String,
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

const COLUMNS: &str = "id, id_number, name, phone, community_id, area_path, category, \
                       nationality, passport_no, created_at, updated_at";

impl Tx {
    pub async fn insert_person(&mut self, p: &NewPerson, now: i64) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO persons (id_number, name, phone, community_id, area_path, category,
                                  nationality, passport_no, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
        )
        .bind(&p.id_number)
        .bind(&p.name)
        .bind(&p.phone)
        .bind(p.community_id)
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
    pub async fn insert_persons(&mut self, persons: &[NewPerson], now: i64) -> Result<()> {
        const COLS: [&str; 10] = [
            "id_number",
            "name",
            "phone",
            "community_id",
            "area_path",
            "category",
            "nationality",
            "passport_no",
            "created_at",
            "updated_at",
        ];
        for chunk in persons.chunks(bulk::chunk_rows(COLS.len())) {
            let sql = bulk::insert_sql("persons", &COLS, chunk.len());
            let mut q = sqlx::query(&sql);
            for p in chunk {
                q = q
                    .bind(&p.id_number)
                    .bind(&p.name)
                    .bind(&p.phone)
                    .bind(p.community_id)
                    .bind(&p.area_path)
                    .bind(&p.category)
                    .bind(&p.nationality)
                    .bind(&p.passport_no)
                    .bind(now)
                    .bind(now);
            }
            q.execute(self.conn()).await?;
        }
        Ok(())
    }

    pub async fn person(&mut self, id: i64) -> Result<PersonRow> {
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM persons WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.conn())
            .await?
            .ok_or(StoreError::NotFound("person"))
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
        let mut sql =
            format!("SELECT {COLUMNS} FROM persons WHERE area_path >= $1 AND area_path < $2");
        let mut args: Vec<Arg> = vec![
            Arg::Text(q.scope_path.clone()),
            Arg::Text(crate::prefix_upper(&q.scope_path)),
        ];
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

    pub async fn count_persons(&mut self, scope_path: &str) -> Result<i64> {
        let row =
            sqlx::query("SELECT COUNT(*) FROM persons WHERE area_path >= $1 AND area_path < $2")
                .bind(scope_path)
                .bind(crate::prefix_upper(scope_path))
                .fetch_one(self.conn())
                .await?;
        Ok(row.try_get(0)?)
    }
}

enum Arg {
    Text(String),
    Int(i64),
}
