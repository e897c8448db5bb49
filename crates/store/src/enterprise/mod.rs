//! Enterprise service storage: enterprises and their contacts, the three-level grid and
//! officers, visits, daily reports and electricity, requests and their steps, policy payouts,
//! applications and the disbursement ledger. Migration `0010_enterprises.sql`.

mod enterprises;
mod grid;
mod policies;
mod reports;
mod requests;

pub use enterprises::{
    EnterpriseCursor, EnterpriseQuery, EnterpriseRow, EnterpriseSort, NewEnterprise,
};
pub use grid::{GridRow, NewGrid, NewOfficer, NewVisit, OfficerLoadRow, OfficerRow, VisitRow};
pub use policies::{
    ApplicationRow, DisbursementRow, MatchFactsRow, NewApplication, NewPayout, PayoutRow,
    PayoutTotalRow,
};
pub use reports::{ElectricityRow, NewReport, RateGroupRow, ReportRow};
pub use requests::{NewRequest, OnTimeRow, RequestRow, RequestStepRow};

use sqlx::any::AnyArguments;

use crate::{Result, Tx, bulk};

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, AnyArguments<'q>>;

impl Tx {
    /// Multi-row INSERTs of `rows` in small chunks, ending in `tail` (e.g. an ON CONFLICT
    /// clause); returns the rows affected.
    async fn ent_bulk<T>(
        &mut self,
        table: &str,
        columns: &[&str],
        tail: &str,
        rows: &[T],
        bind: impl for<'q> Fn(AnyQuery<'q>, &'q T) -> AnyQuery<'q>,
    ) -> Result<u64> {
        let mut n = 0;
        for chunk in rows.chunks(bulk::chunk_rows(columns.len())) {
            let mut sql = bulk::insert_sql(table, columns, chunk.len());
            sql.push(' ');
            sql.push_str(tail);
            let mut q = sqlx::query(&sql);
            for row in chunk {
                q = bind(q, row);
            }
            n += q.execute(self.conn()).await?.rows_affected();
        }
        Ok(n)
    }
}
