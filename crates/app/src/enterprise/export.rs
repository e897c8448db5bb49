//! Enterprises to xlsx, in the columns the import reads (export then import changes nothing).
//! The contact's phone is exported whole only with the right to see full personal data;
//! otherwise masked — and a masked file cannot be imported back, on purpose.

use std::collections::HashMap;

use domain::Right;
use rust_xlsxwriter::{Workbook, XlsxError};

use crate::{Actor, App, AppError, Result};

fn xlsx_error(e: XlsxError) -> AppError {
    AppError::Internal(format!("writing xlsx: {e}"))
}

/// Every enterprise in the actor's scope (the local operator: all) as an xlsx workbook.
pub async fn export_xlsx(app: &App, actor: Option<&Actor>) -> Result<Vec<u8>> {
    let (scope, full) = match actor {
        Some(a) => {
            a.require(Right::ServeEnterprises)?;
            (
                a.scope_path.clone(),
                a.role.has(Right::ViewFullPersonalData),
            )
        }
        None => ("/".to_owned(), true),
    };
    let mut tx = app.store.write().await?;
    let streets: HashMap<i64, String> = tx
        .areas_of_kind("street", "/")
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    let grids: HashMap<i64, String> = tx
        .grids()
        .await?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("enterprises").map_err(xlsx_error)?;
    for (c, (name, _)) in super::import::COLUMNS.iter().enumerate() {
        sheet.write_string(0, c as u16, *name).map_err(xlsx_error)?;
    }
    let mut after = 0;
    let mut r: u32 = 1;
    loop {
        let page = tx.enterprises_page(&scope, after, 1000).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for e in &page {
            let yn = |b: i64| if b == 1 { "1" } else { "0" };
            let phone = if full {
                e.contact_phone.clone()
            } else {
                domain::mask::mask_phone(&e.contact_phone)
            };
            let cells = [
                e.credit_code.clone(),
                e.name.clone(),
                e.sector.clone(),
                yn(e.above_size).into(),
                yn(e.fortune500).into(),
                yn(e.major_project).into(),
                streets.get(&e.street_id).cloned().unwrap_or_default(),
                grids.get(&e.micro_grid_id).cloned().unwrap_or_default(),
                e.address.clone(),
                e.employees.to_string(),
                format!("{}.{:02}", e.land_centimu / 100, e.land_centimu % 100),
                format!("{}.{:02}", e.tax_fen / 100, e.tax_fen % 100),
                if full {
                    e.contact_name.clone()
                } else {
                    domain::mask::mask_name(&e.contact_name)
                },
                phone,
                e.chartered_buses.to_string(),
                e.new_hires.to_string(),
                e.talent_hires.to_string(),
            ];
            for (c, v) in cells.iter().enumerate() {
                // Text throughout, so a spreadsheet does not reformat codes or phones.
                sheet.write_string(r, c as u16, v).map_err(xlsx_error)?;
            }
            r += 1;
        }
    }
    if let Some(a) = actor {
        let mut entry = a.audit("enterprise.export", "enterprise", "xlsx");
        entry.detail = format!("{} rows, full personal data: {full}", r - 1);
        tx.insert_audit(&entry, domain::time::now_ms()).await?;
    }
    tx.commit().await?;
    book.save_to_buffer().map_err(xlsx_error)
}
