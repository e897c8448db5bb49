//! Enterprise service (三服务): enterprises and their sectors, the three-level grid and the
//! officers sent into enterprises, daily resumption reports and their rates, requests (诉求)
//! on a working-day calendar, and policy fund redemption (政策兑现).

pub mod calendar;
pub mod check;
pub mod kinds;
pub mod money;
pub mod policy;
pub mod report;
pub mod request;

pub use calendar::WorkCalendar;
pub use kinds::{GridLevel, OfficerKind, Sector};
pub use policy::{Catalog, EnterpriseFacts, PayoutMode, Policy, PolicyKind};
pub use report::{DailyFigures, Rates};
pub use request::{Complexity, EscalationLevel, RequestCategory, RequestStatus};
