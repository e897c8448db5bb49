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
