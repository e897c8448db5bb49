//! The demo zone: a deterministic, realistic 嘉兴经济技术开发区 to try the platform on and to
//! measure it at its real size. The same seed gives the same areas, persons and checkpoints on
//! every machine, so a bug seen on one demo database can be reproduced on another.
//!
//! Everything is built in memory first (pure functions of the seed), then written in bulk,
//! one transaction per stage; `whole` makes the stages whole or absent together.

mod accounts;
mod checkpoints;
mod codes;
mod dice;
mod enterprises;
mod epidemic;
mod geo;
mod names;
mod people;
mod quarantine;
mod screening;
pub mod whole;
mod zone;

#[cfg(test)]
mod tests;

use std::fmt;
use std::str::FromStr;
use std::time::Instant;

use store::{NewCheckpoint, NewUser, Store, Tx};

use crate::{AppError, Result};

pub use accounts::{DEMO_PASSWORD, DemoAccount, demo_accounts};
pub use codes::CodesReport;
pub use enterprises::EnterprisesReport;
pub use epidemic::EpidemicReport;
pub use quarantine::QuarantineReport;

/// How big a zone to build. Both have the full area tree, checkpoints and accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// 5,000 persons: seconds to build, for tests and a first look.
    Small,
    /// 360,000 persons, the zone's real population, for measuring the platform at size.
    Zone,
}

impl Scale {
    pub fn as_str(self) -> &'static str {
        match self {
            Scale::Small => "small",
            Scale::Zone => "zone",
        }
    }

    fn persons(self) -> usize {
        match self {
            Scale::Small => 5_000,
            Scale::Zone => 360_000,
        }
    }
}

impl FromStr for Scale {
    type Err = AppError;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "small" => Ok(Scale::Small),
            "zone" => Ok(Scale::Zone),
            other => Err(AppError::invalid(
                "scale",
                "unknown",
                format!("unknown demo scale {other:?}; expected small or zone"),
            )),
        }
    }
}

impl fmt::Display for Scale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct DemoReport {
    pub scale: &'static str,
    pub seed: u64,
    pub areas: usize,
    pub persons: usize,
    pub checkpoints: usize,
    pub users: usize,
    /// Health-code records and the spread of colours the rules gave them.
    pub codes: CodesReport,
    /// Screening scans, cases, their tracing and contacts.
    pub epidemic: EpidemicReport,
    /// Enterprises, grid, officers, reports, requests and payouts.
    pub enterprises: EnterprisesReport,
    /// Sites, orders, arrivals at the desk and the figures they give.
    pub quarantine: QuarantineReport,
    /// Wall time of the whole run, building and writing.
    pub millis: u128,
}

/// The whole demo zone in memory, before any of it is written.
struct Built {
    plan: zone::Plan,
    checkpoints: Vec<NewCheckpoint>,
    people: people::People,
}

fn build(scale: Scale, seed: u64) -> Built {
    let plan = zone::Plan::build();
    let resident = demo_accounts()
        .iter()
        .find(|a| a.role == domain::Role::Resident)
        .expect("the demo has a resident account");
    Built {
        checkpoints: checkpoints::build(&plan, scale, seed),
        people: people::build(
            &plan,
            scale.persons(),
            seed,
            resident.scope,
            accounts::RESIDENT_NAME,
        ),
        plan,
    }
}

/// Fill an empty database with the demo zone for `seed`: areas, checkpoints, persons and one
/// account per role (password [`DEMO_PASSWORD`]) in one transaction, which also marks the demo
/// `started`; then the epidemic, enterprises and quarantine, a transaction or more each (the
/// whole demo, economy included and marked `complete`, is [`whole::build`]). Refuses with
/// `AppError::Conflict { field: "database", .. }` if any area exists, since the demo chooses
/// its own ids. Runs for seconds on CPU (the zone scale builds 360,000 rows in memory).
pub async fn generate(store: &Store, scale: Scale, seed: u64) -> Result<DemoReport> {
    let started = Instant::now();
    // Refuse early, before seconds of work; the check that counts is repeated in the writing
    // transaction below, where writers are serialised.
    let mut read = store.read().await?;
    let empty = refuse_unless_empty(&mut read).await;
    read.rollback().await?;
    empty?;

    let built = build(scale, seed);
    let area_rows = built.plan.rows();
    // Argon2 is slow by design; hash before taking the writer so it is not held meanwhile.
    let hashes: Vec<String> = demo_accounts()
        .iter()
        .map(|_| crate::auth::hash_password(DEMO_PASSWORD))
        .collect();

    let now = domain::time::now_ms();
    let mut tx = store.write().await?;
    refuse_unless_empty(&mut tx).await?;
    whole::mark_started(&mut tx).await?;
    tx.insert_areas_with_ids(&area_rows, now).await?;
    tx.insert_checkpoints(&built.checkpoints, now).await?;
    // All persons in statements of thousands of rows, each as one JSON parameter (binding a
    // parameter per value cost SQLite more per parameter the more a statement had).
    tx.insert_persons(&built.people.rows, now).await?;

    let holder = built
        .people
        .account_holder
        .and_then(|i| built.people.rows[i].id_number.as_deref())
        .ok_or_else(|| {
            AppError::Internal("demo: no resident to own the resident account".into())
        })?;
    let holder_id = tx
        .person_by_id_number(holder)
        .await?
        .ok_or(AppError::NotFound("demo resident"))?
        .id;
    for (account, hash) in demo_accounts().iter().zip(hashes) {
        let area = &built
            .plan
            .by_code(account.scope)
            .ok_or_else(|| AppError::Internal(format!("demo: no area {}", account.scope)))?
            .row;
        let user = NewUser {
            username: account.username.to_owned(),
            display_name: account.display_name.to_owned(),
            role: account.role.as_str().to_owned(),
            area_id: area.id,
            area_path: area.path.clone(),
            person_id: (account.role == domain::Role::Resident).then_some(holder_id),
            password_hash: hash,
        };
        tx.insert_user(&user, now).await?;
    }
    let codes = codes::generate(
        &mut tx,
        &built.plan,
        &built.people.rows,
        built.people.account_holder,
        seed,
    )
    .await?;
    tx.commit().await?;
    // Each step's time in the log, so a slower demo says where (docs/BENCHMARKS.md `demo-zone`).
    let mut step = started;
    let mut lap = |name: &str| {
        ::tracing::info!(
            step = name,
            ms = step.elapsed().as_millis() as u64,
            "demo step"
        );
        step = Instant::now();
    };
    lap("areas, persons, accounts, codes");
    let epidemic = epidemic::generate(store, scale, seed).await?;
    lap("outbreak, tracing, screening");
    let enterprises = enterprises::generate(store, scale, seed, codes::demo_day()).await?;
    lap("enterprises");
    let quarantine = quarantine::generate(store, scale, seed, codes::demo_day()).await?;
    lap("quarantine");

    Ok(DemoReport {
        scale: scale.as_str(),
        seed,
        areas: area_rows.len(),
        persons: built.people.rows.len(),
        checkpoints: built.checkpoints.len(),
        users: demo_accounts().len(),
        codes,
        epidemic,
        enterprises,
        quarantine,
        millis: started.elapsed().as_millis(),
    })
}

/// The demo owns the ids it writes, so it only ever starts from nothing.
async fn refuse_unless_empty(tx: &mut Tx) -> Result<()> {
    let counts = tx.counts().await?;
    let areas: i64 = counts.areas_by_kind.values().sum();
    if areas > 0 {
        return Err(AppError::Conflict {
            field: "database".into(),
            message: format!(
                "the database already holds {areas} areas; the demo fills only an empty database"
            ),
        });
    }
    Ok(())
}
