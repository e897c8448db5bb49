//! Turning stored records into the rule engine's `Facts` for one person.

use std::sync::Arc;

use chrono::NaiveDate;
use domain::rules::{Arrival, CheckIn, Facts, RiskArea, RiskAreaLevel, RiskAreaList};
use store::Tx;

use crate::{AppError, Result};

/// How far back records matter: every default rule looks at most 14 days plus a 14-day
/// release back, so 60 days leaves room for stricter rulesets.
const LOOKBACK_DAYS: i64 = 60;

fn day(s: &str) -> Result<NaiveDate> {
    s.parse()
        .map_err(|_| AppError::Internal(format!("stored day {s:?} is not a date")))
}

pub async fn risk_area_list(tx: &mut Tx) -> Result<RiskAreaList> {
    let rows = tx.risk_areas().await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(RiskArea {
            division: r.division_code,
            level: if r.level == "high" {
                RiskAreaLevel::High
            } else {
                RiskAreaLevel::Medium
            },
            valid_from: day(&r.valid_from)?,
            valid_to: r.valid_to.as_deref().map(day).transpose()?,
        });
    }
    Ok(RiskAreaList::new(out))
}

pub async fn load(
    tx: &mut Tx,
    person_id: i64,
    on: NaiveDate,
    risk_areas: Arc<RiskAreaList>,
) -> Result<Facts> {
    let since = (on - chrono::Duration::days(LOOKBACK_DAYS)).to_string();
    let arrivals = tx
        .arrivals(person_id)
        .await?
        .into_iter()
        .map(|a| {
            Ok(Arrival {
                arrived: day(&a.arrived_on)?,
                division: a.division_code,
                declared: Some(day(&a.declared_on)?),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let check_ins = tx
        .check_ins(person_id, &since)
        .await?
        .into_iter()
        .map(|c| {
            Ok(CheckIn {
                date: day(&c.day)?,
                temperature: c.temperature,
                symptoms: c.symptoms != 0,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let false_declarations = tx
        .false_declarations(person_id)
        .await?
        .iter()
        .map(|d| day(d))
        .collect::<Result<Vec<_>>>()?;
    Ok(Facts {
        arrivals,
        check_ins,
        false_declarations,
        risk_areas,
        ..Default::default()
    })
}
