//! Enterprises and the accounts that speak for them.

use sqlx::Row;

use crate::{Result, StoreError, Tx};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NewEnterprise {
    pub credit_code: String,
    pub name: String,
    pub sector: String,
    pub above_size: bool,
    pub fortune500: bool,
    pub major_project: bool,
    pub street_id: i64,
    pub area_path: String,
    pub micro_grid_id: i64,
    pub address: String,
    pub employees: i64,
    pub land_centimu: i64,
    pub tax_fen: i64,
    pub contact_name: String,
    pub contact_phone: String,
    pub chartered_buses: i64,
    pub new_hires: i64,
    pub talent_hires: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct EnterpriseRow {
    pub id: i64,
    pub credit_code: String,
    pub name: String,
    pub sector: String,
    pub above_size: i64,
    pub fortune500: i64,
    pub major_project: i64,
    pub street_id: i64,
    pub area_path: String,
    pub micro_grid_id: i64,
    pub address: String,
    pub employees: i64,
    pub land_centimu: i64,
    pub tax_fen: i64,
    pub contact_name: String,
    pub contact_phone: String,
    pub chartered_buses: i64,
    pub new_hires: i64,
    pub talent_hires: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

pub(crate) const COLUMNS: &str = "id, credit_code, name, sector, above_size, fortune500, \
    major_project, street_id, area_path, micro_grid_id, address, employees, land_centimu, tax_fen, \
    contact_name, contact_phone, chartered_buses, new_hires, talent_hires, created_at, updated_at";

const INSERT_COLS: [&str; 20] = [
    "credit_code",
    "name",
    "sector",
    "above_size",
    "fortune500",
    "major_project",
    "street_id",
    "area_path",
    "micro_grid_id",
    "address",
    "employees",
    "land_centimu",
    "tax_fen",
    "contact_name",
    "contact_phone",
    "chartered_buses",
    "new_hires",
    "talent_hires",
    "created_at",
    "updated_at",
];

impl Tx {
    /// Insert enterprises, or update those whose credit code is known (an import re-run
    /// corrects, it does not duplicate). Returns rows written.
    pub async fn upsert_enterprises(&mut self, rows: &[NewEnterprise], now: i64) -> Result<u64> {
        self.insert_rows(
            "enterprises",
            &INSERT_COLS,
            "ON CONFLICT (credit_code) DO UPDATE SET name = excluded.name, sector = excluded.sector,
               above_size = excluded.above_size, fortune500 = excluded.fortune500,
               major_project = excluded.major_project, street_id = excluded.street_id,
               area_path = excluded.area_path, micro_grid_id = excluded.micro_grid_id,
               address = excluded.address, employees = excluded.employees,
               land_centimu = excluded.land_centimu, tax_fen = excluded.tax_fen,
               contact_name = excluded.contact_name, contact_phone = excluded.contact_phone,
               chartered_buses = excluded.chartered_buses, new_hires = excluded.new_hires,
               talent_hires = excluded.talent_hires, updated_at = excluded.updated_at",
            rows,
            |q, e| {
                q.bind(&e.credit_code)
                    .bind(&e.name)
                    .bind(&e.sector)
                    .bind(i64::from(e.above_size))
                    .bind(i64::from(e.fortune500))
                    .bind(i64::from(e.major_project))
                    .bind(e.street_id)
                    .bind(&e.area_path)
                    .bind(e.micro_grid_id)
                    .bind(&e.address)
                    .bind(e.employees)
                    .bind(e.land_centimu)
                    .bind(e.tax_fen)
                    .bind(&e.contact_name)
                    .bind(&e.contact_phone)
                    .bind(e.chartered_buses)
                    .bind(e.new_hires)
                    .bind(e.talent_hires)
                    .bind(now)
                    .bind(now)
            },
        )
        .await
    }

    pub async fn enterprise(&mut self, id: i64) -> Result<EnterpriseRow> {
        self.one_by_id(
            &format!("SELECT {COLUMNS} FROM enterprises WHERE id = $1"),
            id,
            "enterprise",
        )
        .await
    }

    pub async fn enterprise_by_code(&mut self, credit_code: &str) -> Result<Option<EnterpriseRow>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM enterprises WHERE credit_code = $1"
        ))
        .bind(credit_code)
        .fetch_optional(self.conn())
        .await?)
    }

    /// Enterprises in id order after `after_id` (keyset), within an area path prefix.
    pub async fn enterprises_page(
        &mut self,
        path_prefix: &str,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<EnterpriseRow>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM enterprises WHERE id > $1 AND area_path >= $2 AND area_path < $3 \
             ORDER BY id LIMIT $4"
        ))
        .bind(after_id)
        .bind(path_prefix)
        .bind(crate::prefix_upper(path_prefix))
        .bind(limit)
        .fetch_all(self.conn())
        .await?)
    }

    pub async fn count_enterprises(&mut self) -> Result<i64> {
        Ok(sqlx::query("SELECT COUNT(*) FROM enterprises")
            .fetch_one(self.conn())
            .await?
            .try_get(0)?)
    }

    /// Link an account to the enterprise it speaks for (one enterprise per account).
    pub async fn set_enterprise_contact(&mut self, user_id: i64, enterprise_id: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO ent_contacts (user_id, enterprise_id) VALUES ($1, $2) \
             ON CONFLICT (user_id) DO UPDATE SET enterprise_id = excluded.enterprise_id",
        )
        .bind(user_id)
        .bind(enterprise_id)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// The enterprise an account speaks for.
    pub async fn enterprise_of_contact(&mut self, user_id: i64) -> Result<Option<i64>> {
        let row = sqlx::query("SELECT enterprise_id FROM ent_contacts WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(self.conn())
            .await?;
        Ok(row.map(|r| r.try_get(0)).transpose()?)
    }
}

/// The order of an enterprise list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum EnterpriseSort {
    #[default]
    Id,
    Name,
    /// Most employees first.
    Employees,
}

/// Where a page of an enterprise list starts: after this row of the previous page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnterpriseCursor {
    Id(i64),
    Name(String, i64),
    Employees(i64, i64),
}

/// A filtered, sorted keyset page of enterprises inside an area path prefix.
#[derive(Debug, Clone, Default)]
pub struct EnterpriseQuery {
    pub path_prefix: String,
    /// Part of the name, or the start of the credit code.
    pub text: Option<String>,
    pub sector: Option<String>,
    pub street_id: Option<i64>,
    pub micro_grid_id: Option<i64>,
    pub sort: EnterpriseSort,
    pub after: Option<EnterpriseCursor>,
    pub limit: i64,
}

/// `%text%` for LIKE with `\` escaping the wildcards typed by the user.
fn like_contains(text: &str) -> String {
    let mut s = String::from("%");
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('%');
    s
}

impl Tx {
    /// One page of [`EnterpriseQuery`], and how many enterprises match it in all.
    pub async fn search_enterprises(
        &mut self,
        q: &EnterpriseQuery,
    ) -> Result<(Vec<EnterpriseRow>, i64)> {
        let mut texts: Vec<String> =
            vec![q.path_prefix.clone(), crate::prefix_upper(&q.path_prefix)];
        let mut ints: Vec<i64> = vec![];
        // Placeholders are numbered in the order they are bound: texts first, then integers.
        let mut clauses = vec!["area_path >= $1".to_owned(), "area_path < $2".to_owned()];
        if let Some(t) = &q.text {
            texts.push(like_contains(t));
            let like = texts.len();
            texts.push(t.to_ascii_uppercase());
            let start = texts.len();
            texts.push(crate::prefix_upper(&t.to_ascii_uppercase()));
            clauses.push(format!(
                "(name LIKE ${like} ESCAPE '\\' OR (credit_code >= ${start} AND credit_code < ${}))",
                start + 1
            ));
        }
        if let Some(s) = &q.sector {
            texts.push(s.clone());
            clauses.push(format!("sector = ${}", texts.len()));
        }
        let t = texts.len();
        let int_clause = |col: &str, v: i64, ints: &mut Vec<i64>| {
            ints.push(v);
            format!("{col} = ${}", t + ints.len())
        };
        if let Some(s) = q.street_id {
            let c = int_clause("street_id", s, &mut ints);
            clauses.push(c);
        }
        if let Some(g) = q.micro_grid_id {
            let c = int_clause("micro_grid_id", g, &mut ints);
            clauses.push(c);
        }
        let filter = clauses.join(" AND ");
        let count_sql = format!("SELECT COUNT(*) FROM enterprises WHERE {filter}");
        // The keyset condition and the order come after the filter's placeholders.
        let n = texts.len() + ints.len();
        let after = q.after.as_ref().filter(|c| {
            matches!(
                (q.sort, c),
                (EnterpriseSort::Id, EnterpriseCursor::Id(_))
                    | (EnterpriseSort::Name, EnterpriseCursor::Name(..))
                    | (EnterpriseSort::Employees, EnterpriseCursor::Employees(..))
            )
        });
        let (keyset, binds) = match after {
            None => (String::new(), 0),
            Some(EnterpriseCursor::Id(_)) => (format!(" AND id > ${}", n + 1), 1),
            Some(EnterpriseCursor::Name(..)) => (
                format!(
                    " AND (name > ${0} OR (name = ${0} AND id > ${1}))",
                    n + 1,
                    n + 2
                ),
                2,
            ),
            Some(EnterpriseCursor::Employees(..)) => (
                format!(
                    " AND (employees < ${0} OR (employees = ${0} AND id > ${1}))",
                    n + 1,
                    n + 2
                ),
                2,
            ),
        };
        let order = match q.sort {
            EnterpriseSort::Id => "id",
            EnterpriseSort::Name => "name, id",
            EnterpriseSort::Employees => "employees DESC, id",
        };
        let limit_at = n + binds + 1;
        let page_sql = format!(
            "SELECT {COLUMNS} FROM enterprises WHERE {filter}{keyset} ORDER BY {order} LIMIT ${limit_at}"
        );
        let mut count = sqlx::query(&count_sql);
        let mut page = sqlx::query_as::<_, EnterpriseRow>(&page_sql);
        for t in &texts {
            count = count.bind(t.clone());
            page = page.bind(t.clone());
        }
        for i in &ints {
            count = count.bind(*i);
            page = page.bind(*i);
        }
        page = match after {
            Some(EnterpriseCursor::Id(id)) => page.bind(*id),
            Some(EnterpriseCursor::Name(name, id)) => page.bind(name.clone()).bind(*id),
            Some(EnterpriseCursor::Employees(e, id)) => page.bind(*e).bind(*id),
            None => page,
        };
        let rows = page.bind(q.limit).fetch_all(self.conn()).await?;
        let total: i64 = count.fetch_one(self.conn()).await?.try_get(0)?;
        Ok((rows, total))
    }

    /// Move an enterprise into another micro-grid (the caller checked that it is one).
    pub async fn set_enterprise_grid(
        &mut self,
        enterprise_id: i64,
        micro_grid_id: i64,
        now: i64,
    ) -> Result<()> {
        let n =
            sqlx::query("UPDATE enterprises SET micro_grid_id = $1, updated_at = $2 WHERE id = $3")
                .bind(micro_grid_id)
                .bind(now)
                .bind(enterprise_id)
                .execute(self.conn())
                .await?
                .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound("enterprise"));
        }
        Ok(())
    }
}
