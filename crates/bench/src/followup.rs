//! `followup`: generate one day's follow-up checks (two per person, assigned round-robin to
//! the site's staff or the community's team) for 10,000 people in quarantine — 3,000 at a site,
//! 7,000 at home across the zone's communities. Budget: under 1 s.
//!
//! Setup (not timed): the small demo, 10,000 more persons and their orders inserted in bulk,
//! a 1,500-room site with two staff. Timed: `quarantine::generate_follow_ups` for the day after
//! the demo day, the way the daily job runs it (one transaction, audit entry included).

use std::time::Instant;

use anyhow::{Context, ensure};
use credential::chrono::Duration;
use serde_json::{Value, json};
use store::{NewOrder, NewPerson};

use crate::round;

const PERSONS: usize = 10_000;
const AT_SITE: usize = 3_000;
const BUDGET_SECONDS: f64 = 1.0;

fn err(e: app::AppError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

pub async fn run() -> anyhow::Result<Value> {
    let dir = tempfile::tempdir()?;
    let store = store::Store::open_sqlite(dir.path()).await?;
    app::demo::generate(&store, app::demo::Scale::Small, 2020)
        .await
        .map_err(err)
        .context("small demo")?;
    let app = app::App::new(store.clone(), app::Settings::default())
        .load_as_of()
        .await
        .map_err(err)?;
    let today = app.today();
    let day = today + Duration::days(1);
    let mut tx = store.read().await?;
    let zone = tx.area_by_code("330402").await?.context("the demo zone")?;
    let communities = tx.areas_of_kind("community", &zone.path).await?;
    let jiabei = tx.area_by_code("330402002").await?.context("嘉北")?;
    tx.rollback().await?;
    let admin = app::Actor::command_line(zone.id, &zone.path);
    let site = app::quarantine::create_site(
        &app,
        &admin,
        &app::quarantine::SiteInput {
            code: "BENCH".into(),
            name: "bench site".into(),
            address: String::new(),
            area_id: jiabei.id,
            rooms: (0..1_500)
                .map(|i| app::quarantine::RoomInput {
                    floor: 1 + i / 100,
                    number: format!("{}{:02}", 1 + i / 100, i % 100),
                    capacity: 2,
                })
                .collect(),
        },
    )
    .await
    .map_err(err)?;
    for user in ["quarantine_staff", "admin"] {
        app::quarantine::add_team_member(
            &app,
            &admin,
            &app::quarantine::TeamInput {
                username: user.into(),
                site_id: Some(site.id),
                community_id: None,
            },
        )
        .await
        .map_err(err)?;
    }
    let now = 0;
    let mut tx = store.write().await?;
    let persons: Vec<NewPerson> = (0..PERSONS)
        .map(|i| {
            let c = &communities[i % communities.len()];
            NewPerson {
                id_number: Some(format!("BENCH{i:013}")),
                name: format!("隔离{i}"),
                phone: None,
                zone_id: zone.id,
                street_id: c.parent_id.unwrap_or(zone.id),
                community_id: c.id,
                micro_grid_id: None,
                area_path: c.path.clone(),
                category: "resident".into(),
                nationality: None,
                passport_no: None,
            }
        })
        .collect();
    tx.insert_persons(&persons, now).await?;
    let rooms = tx.quarantine_rooms(site.id).await?;
    let mut orders = vec![];
    for (i, p) in persons.iter().enumerate() {
        let id = tx
            .person_by_id_number(p.id_number.as_deref().unwrap_or_default())
            .await?
            .context("bench person")?
            .id;
        let at_site = i < AT_SITE;
        orders.push(NewOrder {
            person_id: id,
            kind: if at_site { "centralized" } else { "home" }.into(),
            reason: "close_contact".into(),
            state: "in_quarantine".into(),
            start_on: today.to_string(),
            planned_end_on: (today + Duration::days(14)).to_string(),
            site_id: at_site.then_some(site.id),
            room_id: at_site.then(|| rooms[i / 2].id),
            community_id: p.community_id,
            street_id: p.street_id,
            area_path: p.area_path.clone(),
            entered_on: Some(today.to_string()),
            ended_on: None,
            note: String::new(),
            follows_order_id: None,
            case_id: None,
            contact_id: None,
            created_by: "bench".into(),
        });
    }
    tx.insert_quarantine_orders(&orders, now).await?;
    tx.commit().await?;

    let started = Instant::now();
    let report = app::quarantine::generate_follow_ups(&app, &admin, day)
        .await
        .map_err(err)?;
    let secs = started.elapsed().as_secs_f64();
    ensure!(
        report.persons >= PERSONS,
        "only {} persons in quarantine",
        report.persons
    );
    ensure!(report.created as usize == 2 * report.persons, "{report:?}");
    store.close().await;
    Ok(json!({
        "scenario": "followup",
        "backend": "sqlite",
        "persons": report.persons,
        "checks": report.created,
        "unassigned": report.unassigned,
        "seconds": round(secs, 3),
        "budget_seconds": BUDGET_SECONDS,
        "within_budget": secs < BUDGET_SECONDS,
    }))
}
