//! Export of stored values to xlsx, in the columns the import reads: exporting and importing
//! the file again changes nothing.

use domain::economy::DisplayUnit;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use store::EconValueQuery;

use super::{Actor, ensure_defaults, load_catalog, require_view};
use crate::{App, AppError, Result};

/// The header the export writes (the import's canonical names, then names for people).
pub const HEADER: [&str; 10] = [
    "indicator",
    "region",
    "period",
    "cumulative",
    "value",
    "unit",
    "growth",
    "source",
    "指标名称",
    "地区名称",
];

fn xlsx_error(e: XlsxError) -> AppError {
    AppError::Internal(format!("writing xlsx: {e}"))
}

/// Every stored value of the years `from..=to` (all years when `None`) as an xlsx workbook.
pub async fn export_xlsx(
    app: &App,
    actor: Option<&Actor>,
    from: Option<i32>,
    to: Option<i32>,
) -> Result<Vec<u8>> {
    if let Some(a) = actor {
        require_view(a)?;
    }
    let mut tx = app.store.write().await?;
    ensure_defaults(&mut tx).await?;
    let catalog = load_catalog(&mut tx).await?;
    let rows = tx
        .econ_values(&EconValueQuery {
            from_year: from.map(i64::from),
            to_year: to.map(i64::from),
            ..Default::default()
        })
        .await?;
    tx.commit().await?;

    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("indicators").map_err(xlsx_error)?;
    let bold = Format::new().set_bold();
    for (c, h) in HEADER.iter().enumerate() {
        sheet
            .write_string_with_format(0, c as u16, *h, &bold)
            .map_err(xlsx_error)?;
    }
    for (c, w) in [18.0, 10.0, 9.0, 10.0, 16.0, 8.0, 8.0, 16.0, 22.0, 18.0]
        .into_iter()
        .enumerate()
    {
        sheet.set_column_width(c as u16, w).map_err(xlsx_error)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
    let mut r: u32 = 1;
    for v in &rows {
        let Some(ind) = catalog.indicator(&v.indicator_code) else {
            continue;
        };
        let o = super::observation(v)?;
        let unit = DisplayUnit::default_for(ind);
        sheet.write_string(r, 0, &ind.code).map_err(xlsx_error)?;
        sheet
            .write_string(r, 1, &v.region_code)
            .map_err(xlsx_error)?;
        // Text, so that a spreadsheet does not turn 2019-07 into a date.
        sheet
            .write_string(r, 2, o.period.to_string())
            .map_err(xlsx_error)?;
        sheet
            .write_number(r, 3, if o.cumulative { 1 } else { 0 })
            .map_err(xlsx_error)?;
        if let Some(value) = v.value {
            write_exact(sheet, r, 4, &unit.format_exact(value))?;
            sheet.write_string(r, 5, unit.text).map_err(xlsx_error)?;
        }
        if let Some(g) = v.reported_growth_bp {
            write_exact(
                sheet,
                r,
                6,
                &domain::economy::quantity::format_scaled(g, 100, 2),
            )?;
        }
        sheet.write_string(r, 7, &v.source).map_err(xlsx_error)?;
        sheet.write_string(r, 8, &ind.name_zh).map_err(xlsx_error)?;
        let region_name = catalog
            .region(&v.region_code)
            .map(|x| x.name_zh.as_str())
            .unwrap_or("");
        sheet.write_string(r, 9, region_name).map_err(xlsx_error)?;
        r += 1;
    }
    book.save_to_buffer().map_err(xlsx_error)
}

/// A decimal as a number cell when a double holds it exactly as written, else as text (the
/// import reads both).
fn write_exact(
    sheet: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    col: u16,
    decimal: &str,
) -> Result<()> {
    match decimal.parse::<f64>() {
        Ok(f) if f.to_string() == decimal => sheet.write_number(row, col, f),
        _ => sheet.write_string(row, col, decimal),
    }
    .map_err(xlsx_error)?;
    Ok(())
}
