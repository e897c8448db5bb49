//! Turning stored records into the rule engine's `Facts`. The single-person path (`load`) and
//! the bulk path (`codes::bulk`) read the same records over the same window and convert them
//! with the same functions here, so both give a person the same code.

use std::sync::Arc;

use chrono::NaiveDate;
use domain::rules::{
    Arrival, CaseStatus, CheckIn, ContactExposure, Facts, ManualCode, Observation, RiskArea,
    RiskAreaLevel, RiskAreaList,
};
use store::{ArrivalRow, CaseRow, CheckInRow, ExposureRow, OverrideRow, RiskAreaRow, Tx};

use crate::{AppError, Result};

/// How far back records matter: every default rule looks at most 14 days plus a 14-day
/// release back, so 60 days leaves room for stricter rulesets.
pub(crate) const LOOKBACK_DAYS: i64 = 60;

/// The first day of the lookback window for an evaluation on `on`.
pub(crate) fn window_start(on: NaiveDate) -> String {
    (on - chrono::Duration::days(LOOKBACK_DAYS)).to_string()
}

pub(crate) fn day(s: &str) -> Result<NaiveDate> {
    s.parse()
        .map_err(|_| AppError::Internal(format!("stored day {s:?} is not a date")))
}

pub(crate) fn risk_area(r: &RiskAreaRow) -> Result<RiskArea> {
    Ok(RiskArea {
        division: r.division_code.clone(),
        level: if r.level == "high" {
            RiskAreaLevel::High
        } else {
            RiskAreaLevel::Medium
        },
        valid_from: day(&r.valid_from)?,
        valid_to: r.valid_to.as_deref().map(day).transpose()?,
    })
}

pub async fn risk_area_list(tx: &mut Tx) -> Result<RiskAreaList> {
    let rows = tx.risk_areas().await?;
    Ok(RiskAreaList::new(
        rows.iter().map(risk_area).collect::<Result<Vec<_>>>()?,
    ))
}

pub(crate) fn arrival(a: &ArrivalRow) -> Result<Arrival> {
    Ok(Arrival {
        arrived: day(&a.arrived_on)?,
        division: a.division_code.clone(),
        declared: Some(day(&a.declared_on)?),
    })
}

pub(crate) fn check_in(c: &CheckInRow) -> Result<CheckIn> {
    Ok(CheckIn {
        date: day(&c.day)?,
        temperature: c.temperature,
        symptoms: c.symptoms != 0,
    })
}

pub async fn load(
    tx: &mut Tx,
    person_id: i64,
    on: NaiveDate,
    risk_areas: Arc<RiskAreaList>,
) -> Result<Facts> {
    let since = window_start(on);
    let arrivals = tx
        .arrivals(person_id, &since)
        .await?
        .iter()
        .map(arrival)
        .collect::<Result<Vec<_>>>()?;
    let check_ins = tx
        .check_ins(person_id, &since)
        .await?
        .iter()
        .map(check_in)
        .collect::<Result<Vec<_>>>()?;
    let false_declarations = tx
        .false_declarations(person_id)
        .await?
        .iter()
        .map(|d| day(d))
        .collect::<Result<Vec<_>>>()?;
    let cases = tx
        .cases_of_person(person_id)
        .await?
        .iter()
        // As the bulk path reads them: open, or closed inside the lookback window.
        .filter(|c| c.ended_on.as_deref().is_none_or(|e| e >= since.as_str()))
        .map(case_status)
        .collect::<Result<Vec<_>>>()?;
    let contacts = tx
        .exposures_of_person(person_id, &since)
        .await?
        .iter()
        .map(contact_exposure)
        .collect::<Result<Vec<_>>>()?;
    let manual = tx
        .live_overrides(person_id)
        .await?
        .iter()
        .filter(|o| o.status == "active")
        .map(manual_code)
        .collect::<Result<Vec<_>>>()?;
    let mut facts = Facts {
        cases,
        contacts,
        arrivals,
        check_ins,
        false_declarations,
        risk_areas,
        manual,
        ..Default::default()
    };
    for (entered, ended, state) in tx.quarantine_periods(person_id).await? {
        // As the bulk path reads them: open, or ended inside the lookback window.
        if ended.as_deref().is_none_or(|e| e >= since.as_str()) {
            add_quarantine(&mut facts, &entered, ended.as_deref(), &state)?;
        }
    }
    Ok(facts)
}

/// A period in quarantine as the rule engine sees it: red while it lasts; a formal release
/// (not a transfer to hospital) is also a quarantine release for the other rules.
pub(crate) fn add_quarantine(
    facts: &mut Facts,
    entered: &str,
    ended: Option<&str>,
    state: &str,
) -> Result<()> {
    let start = day(entered)?;
    let end = ended.map(day).transpose()?;
    facts.quarantines.push(Observation { start, end });
    if state == "released"
        && let Some(e) = end
    {
        facts.quarantine_releases.push(e);
    }
    Ok(())
}

/// An approved override as the rule engine sees it.
pub fn manual_code(o: &OverrideRow) -> Result<ManualCode> {
    Ok(ManualCode {
        id: o.id,
        colour: o
            .colour
            .parse()
            .map_err(|_| AppError::Internal(format!("stored colour {:?}", o.colour)))?,
        from: day(&o.valid_from)?,
        until: o.valid_until.as_deref().map(day).transpose()?,
        reason: o.reason.clone(),
    })
}

/// A case as the rule engine sees it: its current kind since the day it took that kind,
/// until discharge or exclusion.
pub(crate) fn case_status(c: &CaseRow) -> Result<CaseStatus> {
    let kind = c
        .kind
        .parse()
        .map_err(|_| AppError::Internal(format!("stored case kind {:?}", c.kind)))?;
    Ok(domain::case::as_fact(
        kind,
        day(&c.kind_since)?,
        c.ended_on.as_deref().map(day).transpose()?,
    ))
}

/// A contact with the day of last exposure; those before the lookback window no longer count.
pub(crate) fn contact_exposure(e: &ExposureRow) -> Result<ContactExposure> {
    Ok(ContactExposure {
        degree: e
            .degree
            .parse()
            .map_err(|_| AppError::Internal(format!("stored contact degree {:?}", e.degree)))?,
        last_exposure: day(&e.last_exposure_on)?,
    })
}
