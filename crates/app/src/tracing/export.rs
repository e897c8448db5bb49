//! A case's contacts as CSV (masked names), for the tracing team's spreadsheet.

use crate::cases::ContactView;
use crate::{AppError, Result};

pub fn csv(contacts: &[ContactView]) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(vec![]);
    let err = |e: csv::Error| AppError::Internal(format!("csv: {e}"));
    w.write_record([
        "degree",
        "person_id",
        "name",
        "met",
        "setting",
        "place",
        "first_at",
        "last_at",
        "closest_minutes",
        "encounters",
        "last_exposure_on",
        "added_by",
    ])
    .map_err(err)?;
    for c in contacts {
        w.write_record([
            c.degree.as_str(),
            &c.person_id.to_string(),
            &c.person_name,
            &c.source_name,
            &c.setting,
            c.place.as_deref().unwrap_or(""),
            &c.first_at,
            &c.last_at,
            &c.closest_minutes.map(|m| m.to_string()).unwrap_or_default(),
            &c.encounters.to_string(),
            &c.last_exposure_on,
            &c.added_by,
        ])
        .map_err(err)?;
    }
    w.into_inner()
        .map_err(|e| AppError::Internal(format!("csv: {e}")))
}
