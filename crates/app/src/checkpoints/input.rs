//! A checkpoint as typed into the form or the API, and its checks.

use domain::CheckpointKind;
use serde::Deserialize;
use store::{CheckpointEdit, Tx};

use crate::error::{FieldError, Validation};
use crate::{Actor, Result};

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct CheckpointInput {
    /// Only when creating: 1–32 letters, digits, `-` or `_`; unique.
    #[serde(default)]
    pub code: Option<String>,
    /// traffic | community_gate | factory_gate | commercial_gate | park_gate | quarantine_site
    pub kind: String,
    pub name: String,
    /// The area (street, community, micro-grid) the checkpoint belongs to.
    pub area_id: i64,
    pub lat: f64,
    pub lon: f64,
    #[serde(default)]
    pub party_branch: Option<String>,
    /// Opening hours as posted, e.g. "24h" or "06:00-22:00".
    pub hours: String,
    #[serde(default)]
    pub staff_on_duty: i64,
}

fn text(v: &mut Validation, field: &str, value: &str, max: usize) -> String {
    let t = value.trim();
    if t.is_empty() || t.chars().count() > max {
        v.push(FieldError::new(
            field,
            "invalid",
            format!("give 1 to {max} characters"),
        ));
    }
    t.to_owned()
}

impl CheckpointInput {
    /// The checked code (creating only) and the edit, or every refused field at once.
    pub(crate) async fn validate(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        creating: bool,
    ) -> Result<(String, CheckpointEdit)> {
        let mut v = Validation::default();
        let code = match (creating, self.code.as_deref().map(str::trim)) {
            (false, _) => String::new(),
            (true, Some(c))
                if !c.is_empty()
                    && c.len() <= 32
                    && c.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
            {
                c.to_owned()
            }
            (true, _) => {
                v.push(FieldError::new(
                    "code",
                    "invalid",
                    "give 1 to 32 letters, digits, - or _",
                ));
                String::new()
            }
        };
        let kind = v.check("kind", self.kind.parse::<CheckpointKind>());
        let name = text(&mut v, "name", &self.name, 100);
        let hours = text(&mut v, "hours", &self.hours, 100);
        let party_branch = self
            .party_branch
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| text(&mut v, "party_branch", p, 100));
        if !(self.lat.is_finite() && (-90.0..=90.0).contains(&self.lat)) {
            v.push(FieldError::new(
                "lat",
                "out_of_range",
                "latitude is -90 to 90",
            ));
        }
        if !(self.lon.is_finite() && (-180.0..=180.0).contains(&self.lon)) {
            v.push(FieldError::new(
                "lon",
                "out_of_range",
                "longitude is -180 to 180",
            ));
        }
        if !(0..=10_000).contains(&self.staff_on_duty) {
            v.push(FieldError::new(
                "staff_on_duty",
                "out_of_range",
                "staff on duty is 0 to 10,000",
            ));
        }
        let area = match tx.area(self.area_id).await {
            Ok(a) if actor.require_in_scope(&a.path).is_ok() => Some(a),
            Ok(_) => {
                v.push(FieldError::new(
                    "area_id",
                    "out_of_scope",
                    "the area lies outside your area",
                ));
                None
            }
            Err(store::StoreError::NotFound(_)) => {
                v.push(FieldError::new("area_id", "unknown", "no such area"));
                None
            }
            Err(e) => return Err(e.into()),
        };
        v.finish()?;
        // `finish` has refused any missing value already; this keeps the match total.
        let (Some(kind), Some(area)) = (kind, area) else {
            return Err(crate::AppError::invalid(
                "kind",
                "invalid",
                "kind and area are required",
            ));
        };
        Ok((
            code,
            CheckpointEdit {
                kind: kind.as_str().to_owned(),
                name,
                area_id: area.id,
                area_path: area.path,
                lat: self.lat,
                lon: self.lon,
                party_branch,
                hours,
                staff_on_duty: self.staff_on_duty,
            },
        ))
    }
}
