//! Persons: the scoped, searchable list; one record masked; one record in full (a separate,
//! audited right); registering a person.

use std::collections::HashMap;

use domain::{
    PersonCategory, PersonName, Phone, ResidentId, Right,
    mask::{mask_id_number, mask_middle, mask_phone},
    person::{parse_nationality, parse_passport},
};
use serde::Serialize;
use store::{NewPerson, PersonCursor, PersonQuery, PersonRow, PersonSort};

use crate::{Actor, App, AppError, Result, error::Validation};

/// A person as most views show it: ID number, phone and passport masked.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PersonView {
    pub id: i64,
    pub name: String,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub category: PersonCategory,
    pub nationality: Option<String>,
    pub passport_no: Option<String>,
    pub community_id: i64,
    pub community: String,
    pub micro_grid: Option<String>,
    /// Whether the values above are shown in full (only after an audited request).
    pub full: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PersonPage {
    pub items: Vec<PersonView>,
    /// Pass back as `after` for the next page; `None` on the last page.
    pub next: Option<String>,
    /// Persons in the account's area (without search filters).
    pub total_in_scope: i64,
}

#[derive(Debug, Clone, Default)]
pub struct ListParams {
    /// Full ID number, mobile number, or the start of a name.
    pub q: Option<String>,
    pub category: Option<String>,
    /// `id` (registration order, default) or `name`.
    pub sort: Option<String>,
    pub after: Option<String>,
    pub limit: Option<u32>,
}

pub const DEFAULT_PAGE: u32 = 50;
pub const MAX_PAGE: u32 = 500;

pub async fn list(app: &App, actor: &Actor, p: &ListParams) -> Result<PersonPage> {
    actor.require(Right::ViewPersons)?;
    let query = query_of(actor, p)?;
    let mut tx = app.store.read().await?;
    let rows = tx.list_persons(&query).await?;
    let total_in_scope = tx.count_persons(actor.scope()).await?;
    let names = area_names(&mut tx, &rows).await?;
    let next = (rows.len() == query.limit as usize)
        .then(|| rows.last().map(|r| encode_cursor(r, query.sort)))
        .flatten();
    Ok(PersonPage {
        items: rows.iter().map(|r| view(r, &names, false)).collect(),
        next,
        total_in_scope,
    })
}

/// Column titles of the export, in the reader's language (the web layer supplies them).
pub type ExportHeaders = [&'static str; 7];

/// The whole filtered list as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read
/// the Chinese right), masked like the list, walked page by page. The export itself is audited:
/// who took how many records out.
pub async fn export_csv(
    app: &App,
    actor: &Actor,
    p: &ListParams,
    headers: &ExportHeaders,
) -> Result<(Vec<u8>, usize)> {
    actor.require(Right::ViewPersons)?;
    let mut query = query_of(
        actor,
        &ListParams {
            limit: Some(MAX_PAGE),
            after: None,
            ..p.clone()
        },
    )?;
    let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let csv_err = |e: csv::Error| AppError::Internal(format!("csv: {e}"));
    out.write_record(headers).map_err(csv_err)?;
    let mut count = 0;
    loop {
        let mut tx = app.store.read().await?;
        let rows = tx.list_persons(&query).await?;
        let names = area_names(&mut tx, &rows).await?;
        drop(tx);
        for r in &rows {
            let v = view(r, &names, false);
            out.write_record([
                v.name.as_str(),
                v.id_number.as_deref().unwrap_or(""),
                v.passport_no.as_deref().unwrap_or(""),
                v.phone.as_deref().unwrap_or(""),
                v.category.as_str(),
                v.community.as_str(),
                v.micro_grid.as_deref().unwrap_or(""),
            ])
            .map_err(csv_err)?;
        }
        count += rows.len();
        match rows.last() {
            Some(last) if rows.len() == query.limit as usize => {
                query.after = decode_cursor(&encode_cursor(last, query.sort), query.sort);
            }
            _ => break,
        }
    }
    let mut tx = app.store.write().await?;
    let mut entry = actor.audit("person.export", "person", "*");
    entry.detail = format!("{count} rows, masked");
    tx.insert_audit(&entry, domain::time::now_ms()).await?;
    tx.commit().await?;
    let body = out
        .into_inner()
        .map_err(|e| AppError::Internal(format!("csv: {e}")))?;
    Ok((body, count))
}

/// Validate list parameters into a store query inside the actor's scope.
fn query_of(actor: &Actor, p: &ListParams) -> Result<PersonQuery> {
    let mut v = Validation::default();
    let sort = match p.sort.as_deref().unwrap_or("id") {
        "id" => PersonSort::Id,
        "name" => PersonSort::Name,
        other => {
            v.push(crate::FieldError::new(
                "sort",
                "unknown",
                format!("unknown sort {other:?}; use id or name"),
            ));
            PersonSort::Id
        }
    };
    let limit = p.limit.unwrap_or(DEFAULT_PAGE);
    if limit == 0 || limit > MAX_PAGE {
        v.push(crate::FieldError::new(
            "limit",
            "range",
            format!("limit must be 1–{MAX_PAGE}"),
        ));
    }
    let after = match p.after.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => {
            let c = decode_cursor(s, sort);
            if c.is_none() {
                v.push(crate::FieldError::new(
                    "after",
                    "format",
                    "not a cursor from the previous page",
                ));
            }
            c
        }
    };
    let category = match p.category.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(c) => v
            .check("category", c.parse::<PersonCategory>())
            .map(|c| c.as_str().to_owned()),
    };
    v.finish()?;

    let mut query = PersonQuery {
        scope: actor.scope(),
        category,
        sort,
        after,
        limit,
        ..Default::default()
    };
    if let Some(q) = p.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        if q.len() > 64 {
            return Err(AppError::invalid(
                "q",
                "length",
                "search text must be at most 64 characters",
            ));
        }
        if let Ok(id) = ResidentId::parse(q) {
            query.id_number = Some(id.into_string());
        } else if q
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'+' || b == b'-')
        {
            match Phone::parse(q) {
                Ok(phone) => query.phone = Some(phone.as_str().to_owned()),
                Err(_) => {
                    return Err(AppError::invalid(
                        "q",
                        "format",
                        "digits must be a full 18-character ID number or a full phone number",
                    ));
                }
            }
        } else {
            query.name_prefix = Some(q.to_owned());
        }
    }

    Ok(query)
}

/// One person, masked.
pub async fn get(app: &App, actor: &Actor, id: i64) -> Result<PersonView> {
    actor.require(Right::ViewPersons)?;
    let mut tx = app.store.read().await?;
    let row = tx.person(id).await?;
    actor.require_in_scope(&row.area_path)?;
    let names = area_names(&mut tx, std::slice::from_ref(&row)).await?;
    Ok(view(&row, &names, false))
}

/// One person in full. A separate right, and every use leaves an audit entry.
pub async fn get_full(app: &App, actor: &Actor, id: i64) -> Result<PersonView> {
    actor.require(Right::ViewFullPersonalData)?;
    let mut tx = app.store.write().await?;
    let row = tx.person(id).await?;
    actor.require_in_scope(&row.area_path)?;
    let names = area_names(&mut tx, std::slice::from_ref(&row)).await?;
    tx.insert_audit(
        &actor.audit("person.view_full", "person", id),
        domain::time::now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(view(&row, &names, true))
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct NewPersonInput {
    pub category: String,
    pub name: String,
    #[serde(default)]
    pub id_number: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    /// Code of the home community, or of a micro-grid inside it.
    pub area_code: String,
    #[serde(default)]
    pub nationality: Option<String>,
    #[serde(default)]
    pub passport_no: Option<String>,
}

/// Register a person in a community of the account's area.
pub async fn create(app: &App, actor: &Actor, input: &NewPersonInput) -> Result<PersonView> {
    actor.require(Right::EditPersons)?;
    let mut v = Validation::default();
    let category = v.check("category", input.category.trim().parse::<PersonCategory>());
    let name = v.check("name", PersonName::parse(&input.name));
    let blank = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let id_number =
        blank(&input.id_number).and_then(|s| v.check("id_number", ResidentId::parse(&s)));
    let phone = blank(&input.phone).and_then(|s| v.check("phone", Phone::parse(&s)));
    let nationality =
        blank(&input.nationality).and_then(|s| v.check("nationality", parse_nationality(&s)));
    let passport_no =
        blank(&input.passport_no).and_then(|s| v.check("passport_no", parse_passport(&s)));
    match category {
        Some(PersonCategory::Foreign) => {
            if nationality.is_none() && blank(&input.nationality).is_none() {
                v.push(crate::FieldError::new(
                    "nationality",
                    "required",
                    "a foreign national needs a nationality",
                ));
            }
            if passport_no.is_none() && blank(&input.passport_no).is_none() {
                v.push(crate::FieldError::new(
                    "passport_no",
                    "required",
                    "a foreign national needs a passport number",
                ));
            }
        }
        Some(_) if blank(&input.id_number).is_none() => {
            v.push(crate::FieldError::new(
                "id_number",
                "required",
                "ID number is required",
            ));
        }
        _ => {}
    }
    let area_code = input.area_code.trim();
    if area_code.is_empty() {
        v.push(crate::FieldError::new(
            "area_code",
            "required",
            "home community is required",
        ));
    }
    let mut tx = app.store.write().await?;
    let area = if area_code.is_empty() {
        None
    } else {
        tx.area_by_code(area_code).await?
    };
    if !area_code.is_empty() && area.is_none() {
        v.push(crate::FieldError::new(
            "area_code",
            "unknown",
            format!("no area has the code {area_code:?}"),
        ));
    }
    let area = match area {
        Some(a) if a.kind == "community" || a.kind == "micro_grid" => Some(a),
        Some(a) => {
            v.push(crate::FieldError::new(
                "area_code",
                "kind",
                format!(
                    "{} is a {}; a person lives in a community or a micro-grid",
                    a.code, a.kind
                ),
            ));
            None
        }
        None => None,
    };
    v.finish()?;
    let (Some(category), Some(name), Some(area)) = (category, name, area) else {
        unreachable!("validation passed")
    };
    actor.require_in_scope(&area.path)?;
    if let Some(id) = &id_number
        && tx.person_by_id_number(id.as_str()).await?.is_some()
    {
        return Err(AppError::Conflict {
            field: "id_number".into(),
            message: format!(
                "a person with ID number {} is already registered",
                id.masked()
            ),
        });
    }
    // path = /zone/street/community/[micro-grid/]: the ids of every level are in it.
    let ids: Vec<i64> = area
        .path
        .split('/')
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect();
    if ids.len() < 3 {
        return Err(AppError::Internal(format!(
            "area {} has a malformed path",
            area.id
        )));
    }
    let new = NewPerson {
        id_number: id_number.map(ResidentId::into_string),
        name: name.as_str().to_owned(),
        phone: phone.map(|p| p.as_str().to_owned()),
        zone_id: ids[0],
        street_id: ids[1],
        community_id: ids[2],
        micro_grid_id: ids.get(3).copied(),
        area_path: area.path.clone(),
        category: category.as_str().to_owned(),
        nationality,
        passport_no,
    };
    let now = domain::time::now_ms();
    let id = tx
        .insert_person(&new, now)
        .await
        .map_err(|e| match AppError::from(e) {
            AppError::Conflict { .. } => AppError::Conflict {
                field: "passport_no".into(),
                message: "a person with this nationality and passport number is already registered"
                    .into(),
            },
            other => other,
        })?;
    tx.insert_audit(&actor.audit("person.create", "person", id), now)
        .await?;
    let row = tx.person(id).await?;
    let names = area_names(&mut tx, std::slice::from_ref(&row)).await?;
    tx.commit().await?;
    Ok(view(&row, &names, false))
}

async fn area_names(tx: &mut store::Tx, rows: &[PersonRow]) -> Result<HashMap<i64, String>> {
    let mut ids: Vec<i64> = rows
        .iter()
        .flat_map(|r| std::iter::once(r.community_id).chain(r.micro_grid_id))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(tx
        .areas_by_ids(&ids)
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect())
}

fn view(r: &PersonRow, names: &HashMap<i64, String>, full: bool) -> PersonView {
    let show = |v: &Option<String>, mask: fn(&str) -> String| {
        v.as_deref()
            .map(|s| if full { s.to_owned() } else { mask(s) })
    };
    PersonView {
        id: r.id,
        name: r.name.clone(),
        id_number: show(&r.id_number, mask_id_number),
        phone: show(&r.phone, mask_phone),
        category: r.category.parse().unwrap_or(PersonCategory::Resident),
        nationality: r.nationality.clone(),
        passport_no: show(&r.passport_no, |s| mask_middle(s, 1, 3)),
        community_id: r.community_id,
        community: names.get(&r.community_id).cloned().unwrap_or_default(),
        micro_grid: r.micro_grid_id.and_then(|id| names.get(&id).cloned()),
        full,
    }
}

fn encode_cursor(r: &PersonRow, sort: PersonSort) -> String {
    match sort {
        PersonSort::Id => r.id.to_string(),
        PersonSort::Name => format!("{}~{}", r.id, r.name),
    }
}

fn decode_cursor(s: &str, sort: PersonSort) -> Option<PersonCursor> {
    match sort {
        PersonSort::Id => s.parse().ok().map(PersonCursor::Id),
        PersonSort::Name => {
            let (id, name) = s.split_once('~')?;
            Some(PersonCursor::Name(name.to_owned(), id.parse().ok()?))
        }
    }
}
