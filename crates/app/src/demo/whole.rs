//! The demo is whole or absent. Building it takes many transactions (bulk chunks, one per
//! stage), so a process killed half-way would leave half a demo. The first transaction records
//! `demo_state = started` in `platform_meta` with the areas; the last one, after the economy
//! data, records `complete`. A database whose demo is `started` but not `complete` is an
//! interrupted build: [`build`] empties it (one transaction) and builds it again, and the other
//! entry points ([`require_not_interrupted`]: `serve`, `stats`) refuse to use it.

use store::{Store, Tx};

use super::{DemoReport, Scale, generate};
use crate::economy::demo::EconomyDemoReport;
use crate::{AppError, Result};

/// Key of the demo's state in `platform_meta`.
pub const DEMO_STATE_KEY: &str = "demo_state";
pub const STARTED: &str = "started";
pub const COMPLETE: &str = "complete";

/// What [`build`] did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct WholeDemoReport {
    /// An interrupted build was found and removed first.
    pub removed_interrupted: bool,
    pub zone: DemoReport,
    pub economy: EconomyDemoReport,
}

/// The demo's state: None (no demo, or a database from before the marker existed),
/// `Some("started")` (interrupted, or being built right now) or `Some("complete")`.
pub async fn state(store: &Store) -> Result<Option<String>> {
    let mut tx = store.read().await?;
    let s = tx.meta(DEMO_STATE_KEY).await?;
    tx.rollback().await?;
    Ok(s)
}

/// Refuse to work on a half-built demo, naming the way out.
pub async fn require_not_interrupted(store: &Store) -> Result<()> {
    if state(store).await?.as_deref() == Some(STARTED) {
        return Err(AppError::Conflict {
            field: "database".into(),
            message: "the demo was interrupted while it was being built; run `zhikong demo` \
                      (or `zhikong serve --demo`) to remove it and build it again"
                .into(),
        });
    }
    Ok(())
}

/// Build the whole demo (zone, epidemic, enterprises, quarantine, economy) into an empty
/// database, first removing an interrupted build. Refuses with `Conflict { field: "database" }`
/// when the database holds the complete demo or any other data.
pub async fn build(store: &Store, scale: Scale, seed: u64) -> Result<WholeDemoReport> {
    let removed_interrupted = state(store).await?.as_deref() == Some(STARTED);
    if removed_interrupted {
        ::tracing::warn!("an interrupted demo was found; removing it to build it again");
        let mut tx = store.write().await?;
        // Checked again under the writer: another process may have finished it meanwhile.
        if tx.meta(DEMO_STATE_KEY).await?.as_deref() == Some(STARTED) {
            tx.wipe_all_data().await?;
        }
        tx.commit().await?;
    }
    let zone = generate(store, scale, seed).await?;
    let economy = crate::economy::demo::generate(store, seed).await?;
    let mut tx = store.write().await?;
    tx.set_meta(DEMO_STATE_KEY, COMPLETE).await?;
    tx.commit().await?;
    Ok(WholeDemoReport {
        removed_interrupted,
        zone,
        economy,
    })
}

/// Written by the demo's first transaction, with its areas.
pub(super) async fn mark_started(tx: &mut Tx) -> Result<()> {
    tx.set_meta(DEMO_STATE_KEY, STARTED).await?;
    Ok(())
}
