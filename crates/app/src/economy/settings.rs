//! Economy settings as data: the summary templates (and from which rank a ranking earns a
//! clause), and the per-mu weighting. Stored as JSON, checked before they are written; the
//! defaults apply until then. `zhikong report economy-settings` prints them,
//! `zhikong import economy-settings FILE.json` replaces them.

use domain::economy::permu::PerMuConfig;
use domain::economy::summary::{LEADERS, SummaryTemplate, check_template, default_templates};
use serde::{Deserialize, Serialize};

use super::{ensure_defaults, load_catalog, require_edit};
use crate::{Actor, App, AppError, FieldError, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SummarySettings {
    /// In the order the summary states them.
    pub templates: Vec<SummaryTemplate>,
    /// Ranks up to this one earn a clause ("增幅列全市第三").
    pub max_rank: u32,
}

impl Default for SummarySettings {
    fn default() -> Self {
        Self {
            templates: default_templates(),
            max_rank: 3,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EconomySettings {
    pub summary: SummarySettings,
    pub per_mu: PerMuConfig,
}

fn stored<T: for<'de> Deserialize<'de>>(key: &str, text: Option<String>) -> Result<Option<T>> {
    text.map(|t| {
        serde_json::from_str(&t)
            .map_err(|e| AppError::Internal(format!("stored economy setting {key}: {e}")))
    })
    .transpose()
}

/// The settings in force (stored, else the defaults).
pub async fn settings(app: &App) -> Result<EconomySettings> {
    let mut tx = app.store.read().await?;
    let summary = stored("summary", tx.econ_setting("summary").await?)?;
    let per_mu = stored("per_mu", tx.econ_setting("per_mu").await?)?;
    tx.commit().await?;
    Ok(EconomySettings {
        summary: summary.unwrap_or_default(),
        per_mu: per_mu.unwrap_or_default(),
    })
}

/// Read settings from JSON text; a missing part keeps its default.
pub fn parse(text: &str) -> Result<EconomySettings> {
    serde_json::from_str(text).map_err(|e| {
        AppError::invalid(
            "settings",
            "bad_json",
            format!("line {}, column {}: {e}", e.line(), e.column()),
        )
    })
}

/// Check and store settings (both parts), audited.
pub async fn set_settings(app: &App, actor: Option<&Actor>, s: &EconomySettings) -> Result<()> {
    if let Some(a) = actor {
        require_edit(a)?;
    }
    let mut tx = app.store.write().await?;
    ensure_defaults(&mut tx).await?;
    let catalog = load_catalog(&mut tx).await?;
    let mut errors = vec![];
    for (i, t) in s.summary.templates.iter().enumerate() {
        let field = format!("summary.templates[{i}]");
        if t.indicator != LEADERS && catalog.indicator(&t.indicator).is_none() {
            errors.push(FieldError::new(
                &format!("{field}.indicator"),
                "unknown_indicator",
                format!("unknown indicator {:?}", t.indicator),
            ));
        }
        if let Err(e) = check_template(&t.text) {
            errors.push(FieldError::from_value(&format!("{field}.text"), e));
        }
    }
    if !(1..=20).contains(&s.summary.max_rank) {
        errors.push(FieldError::new(
            "summary.max_rank",
            "out_of_range",
            "max_rank must be between 1 and 20",
        ));
    }
    if let Err(e) = s.per_mu.validate() {
        errors.push(FieldError::from_value("per_mu", e));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let now = domain::time::now_ms();
    let json = |r: serde_json::Result<String>| r.map_err(|e| AppError::Internal(e.to_string()));
    tx.put_econ_setting("summary", &json(serde_json::to_string(&s.summary))?, now)
        .await?;
    tx.put_econ_setting("per_mu", &json(serde_json::to_string(&s.per_mu))?, now)
        .await?;
    let entry = super::audit_entry(
        actor,
        "economy.settings",
        "econ_settings",
        "summary,per_mu",
        String::new(),
    );
    tx.insert_audit(&entry, now).await?;
    tx.commit().await?;
    Ok(())
}
