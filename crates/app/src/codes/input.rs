//! What a declaration and a check-in may contain, and the checks that name each bad field.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::error::Validation;
use crate::{FieldError, Result};

/// Body temperatures a thermometer can honestly report.
const TEMPERATURE: std::ops::RangeInclusive<f64> = 34.0..=43.0;
/// The itinerary covers the last 14 days; older entries are refused rather than ignored.
const ITINERARY_DAYS: i64 = 14;

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct DeclarationInput {
    /// ℃
    pub temperature: f64,
    #[serde(default)]
    pub symptoms: bool,
    /// Contact with a confirmed or suspected case in the last 14 days.
    #[serde(default)]
    pub contact_case: bool,
    /// Contact with people from a risk area in the last 14 days.
    #[serde(default)]
    pub contact_risk_area: bool,
    pub address: String,
    #[serde(default)]
    pub itinerary: Vec<ItineraryInput>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ItineraryInput {
    /// GB/T 2260 division code of the place come from.
    pub division_code: String,
    /// YYYY-MM-DD
    pub arrived_on: String,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct CheckInInput {
    /// ℃
    pub temperature: f64,
    #[serde(default)]
    pub symptoms: bool,
}

pub(super) struct ValidDeclaration {
    pub temperature: f64,
    pub symptoms: bool,
    pub contact_case: bool,
    pub contact_risk_area: bool,
    pub address: String,
    pub itinerary: Vec<(String, String)>,
}

fn check_temperature(v: &mut Validation, t: f64) {
    if !TEMPERATURE.contains(&t) {
        v.push(FieldError::new(
            "temperature",
            "range",
            format!("temperature {t} ℃ is outside 34–43 ℃"),
        ));
    }
}

impl DeclarationInput {
    pub(super) fn validate(&self, today: NaiveDate) -> Result<ValidDeclaration> {
        let mut v = Validation::default();
        check_temperature(&mut v, self.temperature);
        let address = self.address.trim();
        if address.is_empty() {
            v.push(FieldError::new(
                "address",
                "required",
                "address is required",
            ));
        } else if address.chars().count() > 200 {
            v.push(FieldError::new(
                "address",
                "length",
                "address must be at most 200 characters",
            ));
        }
        if self.itinerary.len() > 50 {
            v.push(FieldError::new(
                "itinerary",
                "length",
                "at most 50 itinerary entries",
            ));
        }
        let mut itinerary = vec![];
        for (i, e) in self.itinerary.iter().enumerate() {
            let code = v.check(
                &format!("itinerary[{i}].division_code"),
                domain::division::parse_division_code(&e.division_code),
            );
            let field = format!("itinerary[{i}].arrived_on");
            let date = match NaiveDate::parse_from_str(e.arrived_on.trim(), "%Y-%m-%d") {
                Ok(d) if d > today => {
                    v.push(FieldError::new(
                        &field,
                        "future",
                        format!("{d} is in the future"),
                    ));
                    None
                }
                Ok(d) if (today - d).num_days() > ITINERARY_DAYS => {
                    v.push(FieldError::new(
                        &field,
                        "range",
                        format!("{d} is more than {ITINERARY_DAYS} days ago"),
                    ));
                    None
                }
                Ok(d) => Some(d),
                Err(_) => {
                    v.push(FieldError::new(
                        &field,
                        "format",
                        format!("{:?} is not a real date (YYYY-MM-DD)", e.arrived_on),
                    ));
                    None
                }
            };
            if let (Some(c), Some(d)) = (code, date) {
                itinerary.push((c, d.to_string()));
            }
        }
        v.finish()?;
        Ok(ValidDeclaration {
            temperature: self.temperature,
            symptoms: self.symptoms,
            contact_case: self.contact_case,
            contact_risk_area: self.contact_risk_area,
            address: address.to_owned(),
            itinerary,
        })
    }
}

impl CheckInInput {
    pub(super) fn validate(&self) -> Result<(f64, bool)> {
        let mut v = Validation::default();
        check_temperature(&mut v, self.temperature);
        v.finish()?;
        Ok((self.temperature, self.symptoms))
    }
}
