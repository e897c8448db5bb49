//! One enterprise: its record as the web and API show it (contact phone masked) and the
//! checks a new or changed enterprise passes before it is stored.

use domain::enterprise::{GridLevel, Sector};
use domain::{CreditCode, Phone};
use serde::Serialize;

use crate::{Actor, Result};

/// An enterprise as shown: the contact's phone masked.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EnterpriseView {
    pub id: i64,
    pub credit_code: String,
    pub name: String,
    pub sector: String,
    pub sector_zh: String,
    pub above_size: bool,
    pub fortune500: bool,
    pub major_project: bool,
    pub street_id: i64,
    pub micro_grid_id: i64,
    pub address: String,
    pub employees: i64,
    pub land_centimu: i64,
    pub tax_fen: i64,
    pub contact_name: String,
    pub contact_phone_masked: String,
}

impl From<&store::EnterpriseRow> for EnterpriseView {
    fn from(e: &store::EnterpriseRow) -> Self {
        Self {
            id: e.id,
            credit_code: e.credit_code.clone(),
            name: e.name.clone(),
            sector: e.sector.clone(),
            sector_zh: Sector::parse(&e.sector)
                .map(|s| s.zh())
                .unwrap_or("")
                .to_owned(),
            above_size: e.above_size == 1,
            fortune500: e.fortune500 == 1,
            major_project: e.major_project == 1,
            street_id: e.street_id,
            micro_grid_id: e.micro_grid_id,
            address: e.address.clone(),
            employees: e.employees,
            land_centimu: e.land_centimu,
            tax_fen: e.tax_fen,
            contact_name: domain::mask::mask_name(&e.contact_name),
            contact_phone_masked: domain::mask::mask_phone(&e.contact_phone),
        }
    }
}

/// The fields of an enterprise as typed (a form, an import row).
#[derive(Debug, Clone, Default)]
pub struct EnterpriseInput {
    pub credit_code: String,
    pub name: String,
    pub sector: String,
    pub above_size: bool,
    pub fortune500: bool,
    pub major_project: bool,
    pub address: String,
    pub employees: i64,
    pub land_centimu: i64,
    pub tax_fen: i64,
    pub contact_name: String,
    pub contact_phone: String,
    pub chartered_buses: i64,
    pub new_hires: i64,
    pub talent_hires: i64,
}

/// Check the fields that do not need the database; every problem as (field, code, message).
pub fn check_fields(i: &EnterpriseInput) -> Vec<(&'static str, String, String)> {
    let mut out = vec![];
    let mut push =
        |f: &'static str, e: domain::ValueError| out.push((f, e.code.to_owned(), e.message));
    let code = CreditCode::parse(&i.credit_code).err();
    if let Some(e) = code {
        push("credit_code", e);
    }
    if let Err(e) = Sector::parse(&i.sector) {
        push("sector", e);
    }
    if i.name.trim().is_empty() || i.name.chars().count() > 200 {
        push(
            "name",
            domain::ValueError::new(
                "required",
                "the name is missing or longer than 200 characters",
            ),
        );
    }
    if i.address.chars().count() > 300 {
        push(
            "address",
            domain::ValueError::new("too_long", "at most 300 characters"),
        );
    }
    if let Err(e) = Phone::parse(&i.contact_phone) {
        push("contact_phone", e);
    }
    if i.contact_name.trim().is_empty() {
        push(
            "contact_name",
            domain::ValueError::new("required", "the contact's name is missing"),
        );
    }
    for (f, v) in [
        ("employees", i.employees),
        ("land_mu", i.land_centimu),
        ("tax_yuan", i.tax_fen),
        ("chartered_buses", i.chartered_buses),
        ("new_hires", i.new_hires),
        ("talent_hires", i.talent_hires),
    ] {
        if v < 0 {
            push(
                f,
                domain::ValueError::new("negative", format!("{f} cannot be negative")),
            );
        }
    }
    out
}

/// Make an enterprise's record from checked input and its place (street and micro-grid).
pub fn to_new(
    i: &EnterpriseInput,
    street: &store::AreaRow,
    micro_grid_id: i64,
) -> store::NewEnterprise {
    store::NewEnterprise {
        credit_code: CreditCode::parse(&i.credit_code)
            .map(|c| c.as_str().to_owned())
            .unwrap_or_default(),
        name: i.name.trim().to_owned(),
        sector: Sector::parse(&i.sector)
            .map(|s| s.as_str())
            .unwrap_or("industry")
            .to_owned(),
        above_size: i.above_size,
        fortune500: i.fortune500,
        major_project: i.major_project,
        street_id: street.id,
        area_path: street.path.clone(),
        micro_grid_id,
        address: i.address.trim().to_owned(),
        employees: i.employees,
        land_centimu: i.land_centimu,
        tax_fen: i.tax_fen,
        contact_name: i.contact_name.trim().to_owned(),
        contact_phone: Phone::parse(&i.contact_phone)
            .map(|p| p.as_str().to_owned())
            .unwrap_or_default(),
        chartered_buses: i.chartered_buses,
        new_hires: i.new_hires,
        talent_hires: i.talent_hires,
    }
}

/// Whether a grid may hold enterprises: only micro-grids do.
pub fn is_micro_grid(g: &store::GridRow) -> bool {
    GridLevel::parse(&g.level) == Ok(GridLevel::MicroGrid)
}

/// One enterprise, if the actor may see it.
pub async fn get(app: &crate::App, actor: &Actor, id: i64) -> Result<EnterpriseView> {
    let mut tx = app.store.read().await?;
    let e = super::require_enterprise_access(&mut tx, actor, id).await?;
    tx.rollback().await?;
    Ok(EnterpriseView::from(&e))
}

/// Let an account (role enterprise_contact) speak for an enterprise.
pub async fn link_contact(
    app: &crate::App,
    actor: &Actor,
    user_id: i64,
    enterprise_id: i64,
) -> Result<()> {
    actor.require(domain::Right::ManageEnterprises)?;
    let mut tx = app.store.write().await?;
    let e = tx.enterprise(enterprise_id).await?;
    actor.require_in_scope(&e.area_path)?;
    let user = tx.user(user_id).await?;
    if user.role != domain::Role::EnterpriseContact.as_str() {
        return Err(crate::AppError::invalid(
            "user_id",
            "wrong_role",
            "the account is no enterprise contact",
        ));
    }
    tx.set_enterprise_contact(user_id, enterprise_id).await?;
    let now = domain::time::now_ms();
    let mut entry = actor.audit("enterprise.link_contact", "enterprise", enterprise_id);
    entry.detail = format!("user {user_id}");
    tx.insert_audit(&entry, now).await?;
    tx.commit().await?;
    Ok(())
}
