//! The foreign-returnee desk (外籍返嘉人员服务专班): register a foreign arrival, verify the
//! health certificate they bring (EU DCC `HC1:` through the platform's one verifier, against
//! the desk's trust list of foreign signers), assign a service officer, create the quarantine
//! order, and list every arrival with its status.

use chrono::{NaiveDate, TimeZone, Utc};
use credential::{TrustList, TrustStore};
use domain::person::{parse_nationality, parse_passport};
use domain::{PersonCategory, PersonName, Right, Role};
use serde::{Deserialize, Serialize};
use store::{ArrivalDeskRow, NewArrival, NewPerson, Tx};

use super::orders::{OrderInput, create_in, day_or_today};
use crate::error::Validation;
use crate::{Actor, App, AppError, FieldError, Result};

/// `platform_meta` key of the desk's trust list (JSON [`TrustList`]).
pub const HC1_TRUST_KEY: &str = "hc1_trust_list";

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ArrivalInput {
    /// Name as in the passport (Latin letters allowed).
    pub name: String,
    /// ISO 3166 alpha-3, e.g. KOR.
    pub nationality: String,
    pub passport_no: String,
    #[serde(default)]
    pub phone: Option<String>,
    /// Preferred language, e.g. "ko", "en".
    pub language: String,
    /// Flight number, e.g. "KE893".
    pub flight: String,
    /// Day of arrival (YYYY-MM-DD), at most today, at most 30 days back.
    pub arrival_on: String,
    /// Code of the destination community.
    pub community_code: String,
    /// The HC1 text scanned from their certificate; empty when they bring none.
    #[serde(default)]
    pub certificate: Option<String>,
    /// Username of the service officer (a returnee-desk or community account).
    #[serde(default)]
    pub officer: Option<String>,
    /// centralized (default) | home
    #[serde(default)]
    pub kind: Option<String>,
    /// For centralized: the site; the room is the first with a free bed unless given.
    #[serde(default)]
    pub site_id: Option<i64>,
    #[serde(default)]
    pub room_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ArrivalView {
    pub id: i64,
    pub person_id: i64,
    /// Masked.
    pub person_name: String,
    pub nationality: Option<String>,
    /// Masked.
    pub passport_no: Option<String>,
    pub language: String,
    pub flight: String,
    pub arrival_on: String,
    pub community: String,
    /// valid | invalid | none
    pub certificate_status: String,
    pub certificate_detail: String,
    pub officer: Option<String>,
    pub order_id: Option<i64>,
    /// The order's state, or "no_order".
    pub status: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ArrivalList {
    pub arrivals: Vec<ArrivalView>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

fn arrival_view(a: ArrivalDeskRow) -> ArrivalView {
    ArrivalView {
        id: a.id,
        person_id: a.person_id,
        person_name: domain::mask::mask_name(&a.person_name),
        nationality: a.nationality,
        passport_no: a
            .passport_no
            .as_deref()
            .map(|p| domain::mask::mask_middle(p, 2, 2)),
        language: a.language,
        flight: a.flight,
        arrival_on: a.arrival_on,
        community: a.community_name,
        certificate_status: a.certificate_status,
        certificate_detail: a.certificate_detail,
        officer: a.officer,
        order_id: a.order_id,
        status: a.order_state.unwrap_or_else(|| "no_order".into()),
    }
}

/// The desk's trust list of foreign certificate signers.
pub(crate) async fn trust_store(tx: &mut Tx) -> Result<TrustStore> {
    let mut store = TrustStore::new();
    if let Some(json) = tx.meta(HC1_TRUST_KEY).await? {
        store
            .add_trust_list_json(&json)
            .map_err(|e| AppError::Internal(format!("stored HC1 trust list: {e}")))?;
    }
    Ok(store)
}

/// Replace the desk's trust list (JSON [`TrustList`]).
pub async fn set_trust_list(app: &App, actor: &Actor, json: &str) -> Result<usize> {
    actor.require(Right::ManageQuarantineSites)?;
    let mut store = TrustStore::new();
    let n = store
        .add_trust_list_json(json)
        .map_err(|e| AppError::invalid("trust_list", "invalid", e.to_string()))?;
    let list: TrustList = store.to_trust_list();
    let text = serde_json::to_string(&list).map_err(|e| AppError::Internal(e.to_string()))?;
    let mut tx = app.store.write().await?;
    tx.set_meta(HC1_TRUST_KEY, &text).await?;
    let now = domain::time::now_ms();
    let mut entry = actor.audit("returnee.trust_list", "platform_meta", HC1_TRUST_KEY);
    entry.detail = format!("{n} keys");
    tx.insert_audit(&entry, now).await?;
    tx.commit().await?;
    Ok(n)
}

/// Verify a certificate text as presented on `arrival`: at noon (Asia/Shanghai) of the arrival
/// day, or now when that is still to come. Returns (status, detail).
pub(crate) fn verify_certificate(
    trust: &TrustStore,
    text: &str,
    arrival: NaiveDate,
) -> (String, String) {
    let noon = domain::time::shanghai()
        .from_local_datetime(&arrival.and_hms_opt(12, 0, 0).expect("noon"))
        .single()
        .expect("fixed offset")
        .with_timezone(&Utc);
    let at = noon.min(Utc::now());
    let v = credential::verify(text, trust, at);
    if v.valid {
        let name = v.claims.get("name").and_then(|n| n.as_str()).unwrap_or("");
        let iss = v.claims.get("iss").and_then(|n| n.as_str()).unwrap_or("");
        let kinds: Vec<&str> = ["v", "t", "r"]
            .into_iter()
            .filter(|k| v.claims.get(*k).is_some())
            .map(|k| match k {
                "v" => "vaccination",
                "t" => "test",
                _ => "recovery",
            })
            .collect();
        (
            "valid".into(),
            format!(
                "{iss}: {}; {}",
                domain::mask::mask_name(name),
                kinds.join(", ")
            ),
        )
    } else {
        (
            "invalid".into(),
            v.error.unwrap_or_else(|| "not valid".into()),
        )
    }
}

struct Checked {
    name: PersonName,
    nationality: String,
    passport: String,
    phone: Option<String>,
    arrival: NaiveDate,
    language: String,
    flight: String,
}

fn check_input(input: &ArrivalInput, today: NaiveDate) -> Result<Checked> {
    let mut v = Validation::default();
    let name = v.check("name", PersonName::parse(&input.name));
    let nationality = v.check("nationality", parse_nationality(&input.nationality));
    if nationality.as_deref() == Some("CHN") {
        v.push(FieldError::new(
            "nationality",
            "not_foreign",
            "the desk registers foreign nationals; register Chinese citizens as residents",
        ));
    }
    let passport = v.check("passport_no", parse_passport(&input.passport_no));
    let phone = input
        .phone
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .and_then(|p| v.check("phone", domain::Phone::parse(p)))
        .map(|p| p.as_str().to_owned());
    let language = input.language.trim();
    if language.is_empty() || language.chars().count() > 20 {
        v.push(FieldError::new(
            "language",
            "invalid",
            "1 to 20 characters, e.g. en",
        ));
    }
    let flight = input.flight.trim().to_ascii_uppercase();
    if !(3..=8).contains(&flight.len()) || !flight.bytes().all(|b| b.is_ascii_alphanumeric()) {
        v.push(FieldError::new(
            "flight",
            "invalid",
            "a flight number of 3 to 8 letters and digits, e.g. KE893",
        ));
    }
    let arrival = match day_or_today("arrival_on", Some(&input.arrival_on), today, 30, 0) {
        Ok(d) if !input.arrival_on.trim().is_empty() => Some(d),
        Ok(_) => {
            v.push(FieldError::new(
                "arrival_on",
                "required",
                "give the day of arrival",
            ));
            None
        }
        Err(AppError::Invalid(f)) => {
            f.into_iter().for_each(|e| v.push(e));
            None
        }
        Err(e) => return Err(e),
    };
    if input.certificate.as_deref().is_some_and(|c| c.len() > 8192) {
        v.push(FieldError::new(
            "certificate",
            "too_long",
            "at most 8192 characters",
        ));
    }
    v.finish()?;
    Ok(Checked {
        name: name.expect("checked"),
        nationality: nationality.expect("checked"),
        passport: passport.expect("checked"),
        phone,
        arrival: arrival.expect("checked"),
        language: language.to_owned(),
        flight,
    })
}

/// Register an arrival: the person (found by nationality and passport, else created in the
/// destination community), the verified certificate, the service officer and the quarantine
/// order (centralized by default, planned end by the rule: 14 days + 7 at home). One
/// transaction: nothing is kept when any part is refused.
pub async fn register_arrival(
    app: &App,
    actor: &Actor,
    input: &ArrivalInput,
) -> Result<ArrivalView> {
    actor.require(Right::ServeReturnees)?;
    let today = app.today();
    let c = check_input(input, today)?;
    let mut tx = app.store.write().await?;
    let community = tx
        .area_by_code(input.community_code.trim())
        .await?
        .filter(|a| a.kind == "community")
        .ok_or_else(|| {
            AppError::invalid(
                "community_code",
                "unknown",
                format!(
                    "no community has the code {:?}",
                    input.community_code.trim()
                ),
            )
        })?;
    actor.require_in_scope(&community.path)?;
    let officer_id = match input
        .officer
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty())
    {
        Some(name) => {
            let u = tx.user_by_username(name).await?.ok_or_else(|| {
                AppError::invalid("officer", "unknown", format!("no account {name:?}"))
            })?;
            let role: Role = u
                .role
                .parse()
                .map_err(|_| AppError::Internal("role".into()))?;
            if !matches!(role, Role::ReturneeDesk | Role::CommunityWorker)
                || u.disabled_at.is_some()
            {
                return Err(AppError::invalid(
                    "officer",
                    "wrong_role",
                    format!("{name} is not a returnee-desk or community account"),
                ));
            }
            Some(u.id)
        }
        None => None,
    };
    let (status, detail, cert) = match input.certificate.as_deref().map(str::trim) {
        Some(text) if !text.is_empty() => {
            if !text.starts_with("HC1:") {
                return Err(AppError::invalid(
                    "certificate",
                    "not_hc1",
                    "scan the EU health certificate (its text starts with HC1:)",
                ));
            }
            let trust = trust_store(&mut tx).await?;
            let (s, d) = verify_certificate(&trust, text, c.arrival);
            (s, d, Some(text.to_owned()))
        }
        _ => ("none".to_owned(), String::new(), None),
    };
    let now = domain::time::now_ms();
    let person_id = match tx.person_by_passport(&c.nationality, &c.passport).await? {
        Some(p) => {
            actor.require_in_scope(&p.area_path)?;
            p.id
        }
        None => {
            let street_id = community
                .parent_id
                .ok_or_else(|| AppError::Internal("street".into()))?;
            let street = tx.area(street_id).await?;
            let id = tx
                .insert_person(
                    &NewPerson {
                        id_number: None,
                        name: c.name.as_str().to_owned(),
                        phone: c.phone.clone(),
                        zone_id: street.parent_id.unwrap_or(street_id),
                        street_id,
                        community_id: community.id,
                        micro_grid_id: None,
                        area_path: community.path.clone(),
                        category: PersonCategory::Foreign.as_str().to_owned(),
                        nationality: Some(c.nationality.clone()),
                        passport_no: Some(c.passport.clone()),
                    },
                    now,
                )
                .await?;
            tx.insert_audit(&actor.audit("person.create", "person", id), now)
                .await?;
            id
        }
    };
    let id = tx
        .insert_returnee_arrival(
            &NewArrival {
                person_id,
                language: c.language.clone(),
                flight: c.flight.clone(),
                arrival_on: c.arrival.to_string(),
                community_id: community.id,
                certificate: cert,
                certificate_status: status.clone(),
                certificate_detail: detail,
                officer_id,
                created_by: actor.username.clone(),
            },
            now,
        )
        .await?;
    let order = create_in(
        &mut tx,
        app,
        actor,
        &OrderInput {
            person_id,
            kind: input.kind.clone().unwrap_or_else(|| "centralized".into()),
            reason: "foreign_arrival".into(),
            start_on: Some(c.arrival.to_string()),
            site_id: input.site_id,
            room_id: input.room_id,
            entered: true,
            note: Some(format!("{} {}", c.flight, c.arrival)),
        },
    )
    .await?;
    tx.set_returnee_order(id, order.id).await?;
    let mut entry = actor.audit("returnee.register", "returnee_arrival", id);
    entry.detail = format!("{} {} certificate {status}", c.nationality, c.flight);
    tx.insert_audit(&entry, now).await?;
    let v = arrival_view(tx.returnee_arrival(id).await?);
    tx.commit().await?;
    Ok(v)
}

/// Assign (or change) the service officer of an arrival.
pub async fn assign_officer(
    app: &App,
    actor: &Actor,
    id: i64,
    officer: &str,
) -> Result<ArrivalView> {
    actor.require(Right::ServeReturnees)?;
    let mut tx = app.store.write().await?;
    let a = tx.returnee_arrival(id).await?;
    actor.require_in_scope(&a.area_path)?;
    let u = tx
        .user_by_username(officer.trim())
        .await?
        .ok_or_else(|| AppError::invalid("officer", "unknown", "no such account"))?;
    let role: Role = u
        .role
        .parse()
        .map_err(|_| AppError::Internal("role".into()))?;
    if !matches!(role, Role::ReturneeDesk | Role::CommunityWorker) {
        return Err(AppError::invalid(
            "officer",
            "wrong_role",
            format!("{} is not a returnee-desk or community account", u.username),
        ));
    }
    tx.set_returnee_officer(id, u.id).await?;
    let now = domain::time::now_ms();
    let mut entry = actor.audit("returnee.officer", "returnee_arrival", id);
    entry.detail = u.username;
    tx.insert_audit(&entry, now).await?;
    let v = arrival_view(tx.returnee_arrival(id).await?);
    tx.commit().await?;
    Ok(v)
}

pub const PER_PAGE: i64 = 50;

/// Arrivals in the actor's area, newest first, a page at a time.
pub async fn list_arrivals(app: &App, actor: &Actor, page: i64) -> Result<ArrivalList> {
    if !actor.role.has(Right::ServeReturnees) {
        actor.require(Right::ViewQuarantine)?;
    }
    let page = page.max(1);
    let mut tx = app.store.read().await?;
    let (rows, total) = tx
        .returnee_arrivals(&actor.scope_path, PER_PAGE, (page - 1) * PER_PAGE)
        .await?;
    tx.rollback().await?;
    Ok(ArrivalList {
        arrivals: rows.into_iter().map(arrival_view).collect(),
        total,
        page,
        per_page: PER_PAGE,
    })
}
