//! `zhikong stats --json`: counts for operators and CI. Later capabilities add their keys.

use domain::{CheckpointKind, Role};
use serde_json::{Value, json};

use crate::{App, Result};

pub async fn stats(app: &App) -> Result<Value> {
    let mut tx = app.store.read().await?;
    let c = tx.counts().await?;
    let get = |m: &std::collections::BTreeMap<String, i64>, k: &str| m.get(k).copied().unwrap_or(0);
    let checkpoints: serde_json::Map<String, Value> = CheckpointKind::ALL
        .iter()
        .map(|k| {
            (
                k.as_str().to_owned(),
                json!(get(&c.checkpoints_by_kind, k.as_str())),
            )
        })
        .collect();
    let users: serde_json::Map<String, Value> = Role::ALL
        .iter()
        .map(|r| {
            (
                r.as_str().to_owned(),
                json!(get(&c.users_by_role, r.as_str())),
            )
        })
        .collect();
    let screened_cumulative = tx.screened_cumulative().await?;
    let scans = tx.scan_counts().await?;
    let case_rows = tx.case_counts().await?;
    let case_count = |k: &str| case_rows.iter().find(|r| r.0 == k).map_or(0, |r| r.1);
    let (close, secondary) = tx.contact_counts().await?;
    let enterprises = tx.count_enterprises().await?;
    let officers: serde_json::Map<String, Value> = tx
        .officers_by_kind()
        .await?
        .into_iter()
        .map(|(k, n)| (k, json!(n)))
        .collect();
    let requests: serde_json::Map<String, Value> = tx
        .requests_by_status()
        .await?
        .into_iter()
        .map(|(k, n)| (k, json!(n)))
        .collect();
    let payouts_fen = tx.paid_total_fen().await?;
    // Quarantine as of the platform's business day: distinct persons ever, and now.
    let (quarantine_cumulative, quarantine_current) =
        tx.quarantine_totals(&app.today().to_string(), "/").await?;
    drop(tx);
    let codes: serde_json::Map<String, Value> = crate::codes::counts(app)
        .await?
        .iter()
        .map(|(c, n)| (c.as_str().to_owned(), json!(n)))
        .collect();
    Ok(json!({
        "areas": {
            "zone": get(&c.areas_by_kind, "zone"),
            "street": get(&c.areas_by_kind, "street"),
            "community": get(&c.areas_by_kind, "community"),
            "micro_grid": get(&c.areas_by_kind, "micro_grid"),
        },
        "persons": c.persons,
        "checkpoints": checkpoints,
        "users": users,
        "codes": codes,
        "screened_cumulative": screened_cumulative,
        "scans": scans.total,
        "scan_decisions": { "pass": scans.pass, "refer": scans.refer, "stop": scans.stop },
        "cases": {
            "confirmed": case_count("confirmed"),
            "suspected": case_count("suspected"),
            "asymptomatic": case_count("asymptomatic"),
            "excluded": case_count("excluded"),
        },
        "contacts": { "close": close, "secondary": secondary },
        "enterprises": enterprises,
        "officers": officers,
        "requests": requests,
        "payouts_fen": payouts_fen,
        "quarantine": { "cumulative": quarantine_cumulative, "current": quarantine_current },
    }))
}
