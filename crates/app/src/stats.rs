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
    }))
}
