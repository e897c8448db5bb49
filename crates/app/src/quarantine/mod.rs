//! Quarantine (隔离): centralized sites with rooms and staff, home quarantine run by a
//! community's team, orders and their state machine (ordered → in quarantine → released, or
//! transferred to hospital; transfers between sites; end dates extended, or shortened only with
//! a reviewer), twice-daily follow-up checks assigned round-robin, nucleic-acid tests, alerts
//! on fever or a positive test, the release rule, the foreign-returnee desk and the figures.
//!
//! Entering and leaving quarantine go through the code engine in the same transaction: a
//! person in quarantine is red with the reason `in_quarantine`; on release the rules decide.

mod checks;
mod figures;
mod orders;
mod release;
mod returnees;
mod sites;

use domain::Right;
use domain::quarantine::{QuarantineReason, QuarantineRule};
use serde::Serialize;
use store::{OrderRow, Tx};

use crate::{Actor, AppError, Result};

pub(crate) use checks::generate_in;
pub use checks::{
    AlertView, CheckEntry, CheckView, FloorEntryInput, FollowUpReport, TestInput, TestResultInput,
    TestView, acknowledge_alert, alerts, checks_of_day, checks_of_order, enter_floor,
    generate_follow_ups, record_check, record_test, set_test_result, tests_of_order,
};
pub use figures::{
    CommunityQuarantine, EndingQuarantine, Figures, OVERDUE_LIMIT, OverdueFollowUp, SiteOccupancy,
    StreetOnTime, checks_on_time, ending_on, figures, overdue_follow_ups,
};
pub use orders::{
    EndChangeInput, EndChangeView, OrderInput, OrderList, OrderListQuery, StepInput, TransferInput,
    change_end, create_order, enter, get_order, list_orders, orders_of_person, release, transfer,
    transfer_to_hospital,
};
pub use release::{ReleaseCheck, release_check};
pub use returnees::{
    ArrivalInput, ArrivalList, ArrivalView, HC1_TRUST_KEY, assign_officer, list_arrivals,
    register_arrival, set_trust_list,
};
pub use sites::{
    RoomInput, RoomView, RuleView, SiteInput, SiteView, TeamInput, add_team_member, create_site,
    get_site, rooms_of_site, rules, set_rule, sites,
};

/// An order as the pages and the API show it (the name masked).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrderView {
    pub id: i64,
    pub person_id: i64,
    /// Masked.
    pub person_name: String,
    /// centralized | home
    pub kind: String,
    /// close_contact | risk_area_arrival | foreign_arrival | discharged_case | other
    pub reason: String,
    /// ordered | in_quarantine | released | transferred_to_hospital
    pub state: String,
    pub start_on: String,
    pub planned_end_on: String,
    pub site_id: Option<i64>,
    pub site: Option<String>,
    pub room_id: Option<i64>,
    pub room: Option<String>,
    pub floor: Option<i64>,
    pub community_id: i64,
    pub community: String,
    pub entered_on: Option<String>,
    pub ended_on: Option<String>,
    pub note: String,
    /// The centralized order this home stay follows (e.g. 14 + 7 for foreign arrivals).
    pub follows_order_id: Option<i64>,
    pub created_by: String,
}

pub(crate) fn order_view(o: OrderRow) -> OrderView {
    OrderView {
        id: o.id,
        person_id: o.person_id,
        person_name: domain::mask::mask_name(&o.person_name),
        kind: o.kind,
        reason: o.reason,
        state: o.state,
        start_on: o.start_on,
        planned_end_on: o.planned_end_on,
        site_id: o.site_id,
        site: o.site_name,
        room_id: o.room_id,
        room: o.room_number,
        floor: o.floor,
        community_id: o.community_id,
        community: o.community_name,
        entered_on: o.entered_on,
        ended_on: o.ended_on,
        note: o.note,
        follows_order_id: o.follows_order_id,
        created_by: o.created_by,
    }
}

/// An order the actor may see: its person lies in their area, or it is placed at a site in
/// their area (a site's staff look after everyone there, wherever they live).
pub(crate) async fn order_in_scope(tx: &mut Tx, actor: &Actor, id: i64) -> Result<OrderRow> {
    let o = tx.quarantine_order(id).await?;
    if o.site_path
        .as_deref()
        .is_some_and(|p| actor.require_in_scope(p).is_ok())
    {
        return Ok(o);
    }
    actor.require_in_scope(&o.area_path)?;
    Ok(o)
}

/// The rule of a reason as stored (the defaults until changed).
pub(crate) async fn rule_for(tx: &mut Tx, reason: QuarantineReason) -> Result<QuarantineRule> {
    let rows = tx.quarantine_rules().await?;
    Ok(rows
        .into_iter()
        .find(|r| r.reason == reason.as_str())
        .map(|r| QuarantineRule {
            reason,
            centralized_days: r.centralized_days as u32,
            home_days: r.home_days as u32,
            home_after_days: r.home_after_days as u32,
            negative_tests: r.negative_tests as u32,
        })
        .unwrap_or_else(|| QuarantineRule::default_for(reason)))
}

fn require_manage(actor: &Actor) -> Result<()> {
    actor.require(Right::ManageQuarantine)
}

fn require_view(actor: &Actor) -> Result<()> {
    actor.require(Right::ViewQuarantine)
}

fn parse_enum<T: std::str::FromStr<Err = domain::ValueError>>(field: &str, s: &str) -> Result<T> {
    s.trim()
        .parse()
        .map_err(|e: domain::ValueError| AppError::invalid(field, e.code, e.message))
}
