//! Import of indicator values: row-by-row report, all or nothing, CSV and xlsx, and the
//! xlsx export read back.

use app::economy::{demo, export, import, report};
use app::{App, Settings};
use store::{AuditQuery, EconValueQuery, Store};

async fn fresh() -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_sqlite(dir.path()).await.unwrap();
    (App::new(store, Settings::default()), dir)
}

async fn stored(app: &App) -> Vec<store::EconValueRow> {
    let mut tx = app.store.read().await.unwrap();
    tx.econ_values(&EconValueQuery::default()).await.unwrap()
}

fn codes(r: &import::ImportReport) -> Vec<(usize, String)> {
    r.issues.iter().map(|i| (i.row, i.code.clone())).collect()
}

const GOOD: &str = "indicator,region,period,cumulative,value,unit,growth,source
fdi_contracted,330402,2019,,7.85,亿美元,30.8,work report
gdp,330402,2019,,,,7,work report
budget_revenue,330402,2019-01,0,2.5,亿元,,
budget_revenue,330402,2019-02,0,2.1,亿元,,
budget_revenue,330402,2019-03,0,2.4,亿元,,
retail_sales,330402,2019-03,1,30.2,亿元,9.5,
services_share,330402,2019,,55.5,%,,
";

#[tokio::test]
async fn a_good_csv_is_written_whole_and_audited() {
    let (app, _dir) = fresh().await;
    let r = import::import(&app, None, "2019.csv", GOOD.as_bytes())
        .await
        .unwrap();
    assert!(r.ok(), "{:?}", r.issues);
    assert_eq!((r.rows, r.written, r.replaced), (7, 7, 0));
    let values = stored(&app).await;
    assert_eq!(values.len(), 7);
    let fdi = values
        .iter()
        .find(|v| v.indicator_code == "fdi_contracted")
        .unwrap();
    assert_eq!(
        (fdi.value, fdi.reported_growth_bp, fdi.cumulative),
        (Some(78_500_000_000), Some(3080), true)
    );
    assert_eq!(fdi.source, "work report");
    let gdp = values.iter().find(|v| v.indicator_code == "gdp").unwrap();
    assert_eq!((gdp.value, gdp.reported_growth_bp), (None, Some(700)));
    let jan = values.iter().find(|v| v.period_no == 1).unwrap();
    assert_eq!(jan.source, "2019.csv");
    let mut tx = app.store.read().await.unwrap();
    let audit = tx
        .list_audit(&AuditQuery {
            record_type: Some("econ_values".into()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].action, "economy.import");
    assert!(audit[0].detail.contains("7 values"), "{}", audit[0].detail);
    drop(tx);
    // The same file again replaces every value and adds none.
    let again = import::import(&app, None, "2019.csv", GOOD.as_bytes())
        .await
        .unwrap();
    assert_eq!((again.written, again.replaced), (7, 7));
    assert_eq!(stored(&app).await.len(), 7);
}

#[tokio::test]
async fn a_file_with_any_problem_writes_nothing_and_names_every_row() {
    let (app, _dir) = fresh().await;
    let bad = "indicator,region,period,cumulative,value,unit,growth
fdi_contracted,330402,2019,,7.85,亿美元,30.8
no_such_thing,330402,2019,,1,亿元,
budget_revenue,330402,2019,,29,亿美元,
budget_revenue,330402,2019-01,0,2.5,亿元,
budget_revenue,330402,2019-01,0,2.6,亿元,
budget_revenue,330402,2019-03,0,2.4,亿元,
retail_sales,330402,2019-01,1,10,亿元,
retail_sales,330402,2019-02,1,9,亿元,
gdp,330402,2019-05,0,1,亿元,
fai,330402,2019-13,0,1,亿元,
fai,火星,2019,,1,亿元,
fai,330402,2018,,1.001,元,
fai,330402,2017,,,亿元,
fai,330402,2016,,3,亿元,fast
fai,330402,2015,maybe,3,亿元,
fai,330402,2014,,3,,
";
    let r = import::import(&app, None, "bad.csv", bad.as_bytes())
        .await
        .unwrap();
    assert!(!r.ok());
    assert_eq!(r.written, 0);
    assert_eq!(
        codes(&r),
        vec![
            (3, "unknown_indicator".into()),
            (4, "unit_mismatch".into()),
            (6, "duplicate_period".into()),
            (7, "missing_period".into()),
            (9, "cumulative_decreases".into()),
            (10, "period_too_fine".into()),
            (11, "bad_period".into()),
            (12, "unknown_region".into()),
            (13, "too_precise".into()),
            (14, "no_value".into()),
            (15, "bad_growth".into()),
            (16, "bad_cumulative".into()),
            (17, "unit_required".into()),
        ]
    );
    let dup = r
        .issues
        .iter()
        .find(|i| i.code == "duplicate_period")
        .unwrap();
    assert!(dup.message.contains("row 5"), "{}", dup.message);
    let missing = r
        .issues
        .iter()
        .find(|i| i.code == "missing_period")
        .unwrap();
    assert!(missing.message.contains("2019-02"), "{}", missing.message);
    assert_eq!(missing.column.as_deref(), Some("period"));
    let unit = r.issues.iter().find(|i| i.code == "unit_mismatch").unwrap();
    assert_eq!(unit.column.as_deref(), Some("unit"));
    // Not even the good first row was written.
    assert!(stored(&app).await.is_empty());
}

#[tokio::test]
async fn a_gap_may_be_filled_by_stored_months() {
    let (app, _dir) = fresh().await;
    let first = "indicator,region,period,value,unit\nfai,330402,2019-01,1,亿元\nfai,330402,2019-02,1,亿元\n";
    assert!(
        import::import(&app, None, "a.csv", first.as_bytes())
            .await
            .unwrap()
            .ok()
    );
    let next = "indicator,region,period,value,unit\nfai,330402,2019-03,1,亿元\n";
    assert!(
        import::import(&app, None, "b.csv", next.as_bytes())
            .await
            .unwrap()
            .ok()
    );
    let gap = "indicator,region,period,value,unit\nfai,330402,2019-05,1,亿元\n";
    let r = import::import(&app, None, "c.csv", gap.as_bytes())
        .await
        .unwrap();
    assert_eq!(codes(&r), vec![(2, "missing_period".to_string())]);
    assert_eq!(stored(&app).await.len(), 3);
}

#[tokio::test]
async fn headers_and_names_in_chinese_and_a_bom() {
    let (app, _dir) = fresh().await;
    let csv = "\u{feff}指标,地区,期间,累计,数值,单位,增长%\n合同利用外资,嘉兴经济技术开发区,2019年,是,\"78,500\",万美元,30.8%\n一般公共预算收入,嘉善县,2019年12月,累计,62.4,亿元,14.2\n";
    let r = import::import(&app, None, "中文.csv", csv.as_bytes())
        .await
        .unwrap();
    assert!(r.ok(), "{:?}", r.issues);
    let v = stored(&app).await;
    assert_eq!(v.len(), 2);
    assert!(
        v.iter()
            .any(|x| x.value == Some(78_500_000_000) && x.region_code == "330402")
    );
    assert!(
        v.iter()
            .any(|x| x.region_code == "330421" && x.period_no == 12 && x.cumulative)
    );
}

#[tokio::test]
async fn missing_columns_and_unreadable_files() {
    let (app, _dir) = fresh().await;
    let r = import::import(&app, None, "x.csv", b"indicator,period\ngdp,2019\n")
        .await
        .unwrap();
    let missing: Vec<_> = r.issues.iter().map(|i| i.column.clone().unwrap()).collect();
    assert_eq!(missing, vec!["region", "value", "unit"]);
    let r = import::import(&app, None, "x.csv", b"").await.unwrap();
    assert_eq!(codes(&r), vec![(0, "empty_file".to_string())]);
    let r = import::import(&app, None, "x.xlsx", b"PK\x03\x04 not really")
        .await
        .unwrap();
    assert_eq!(codes(&r), vec![(0, "unreadable".to_string())]);
    let r = import::import(&app, None, "old.xls", b"\xD0\xCF\x11\xE0 broken")
        .await
        .unwrap();
    assert_eq!(r.format, import::FileFormat::Xls);
    assert_eq!(codes(&r), vec![(0, "unreadable".to_string())]);
    assert_eq!(
        import::FileFormat::detect("a.ods", b""),
        import::FileFormat::Ods
    );
    let r = import::import(&app, None, "x.csv", b"\xff\xfe bad")
        .await
        .unwrap();
    assert_eq!(codes(&r), vec![(0, "unreadable".to_string())]);
}

#[tokio::test]
async fn xlsx_import_reads_numbers_text_and_dates() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let (app, _dir) = fresh().await;
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    for (c, h) in ["指标", "地区", "期间", "数值", "单位", "增长"]
        .iter()
        .enumerate()
    {
        s.write_string(0, c as u16, *h).unwrap();
    }
    s.write_string(1, 0, "industrial_output").unwrap();
    s.write_string(1, 1, "330402").unwrap();
    s.write_number(1, 2, 2019).unwrap();
    s.write_number(1, 3, 497.6).unwrap();
    s.write_string(1, 4, "亿元").unwrap();
    s.write_string(2, 0, "fai").unwrap();
    s.write_string(2, 1, "330402").unwrap();
    // A spreadsheet that turned "2019-01" into a date.
    let date = ExcelDateTime::from_ymd(2019, 1, 1).unwrap();
    s.write_datetime_with_format(2, 2, &date, &Format::new().set_num_format("yyyy-mm"))
        .unwrap();
    s.write_number(2, 3, 18.25).unwrap();
    s.write_string(2, 4, "亿元").unwrap();
    s.write_number(2, 5, 10.5).unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let r = import::import(&app, None, "book.xlsx", &bytes)
        .await
        .unwrap();
    assert!(r.ok(), "{:?}", r.issues);
    assert_eq!(r.format, import::FileFormat::Xlsx);
    // Misnamed, the content decides.
    let misnamed = import::import(&app, None, "book.xls", &bytes)
        .await
        .unwrap();
    assert!(misnamed.ok(), "{:?}", misnamed.issues);
    let v = stored(&app).await;
    let out = v
        .iter()
        .find(|x| x.indicator_code == "industrial_output")
        .unwrap();
    assert_eq!(out.value, Some(4_976_000_000_000));
    let fai = v.iter().find(|x| x.indicator_code == "fai").unwrap();
    assert_eq!(
        (
            fai.period_kind.as_str(),
            fai.period_no,
            fai.value,
            fai.reported_growth_bp
        ),
        ("month", 1, Some(182_500_000_000), Some(1050))
    );
}

#[tokio::test]
async fn export_reads_back_to_the_same_values_and_report() {
    let (app, _dir) = fresh().await;
    demo::generate(&app.store, 2020).await.unwrap();
    let before = stored(&app).await;
    let xlsx = export::export_xlsx(&app, None, None, None).await.unwrap();
    let (copy, _dir2) = fresh().await;
    let r = import::import(&copy, None, "export.xlsx", &xlsx)
        .await
        .unwrap();
    assert!(r.ok(), "{:?}", &r.issues[..r.issues.len().min(5)]);
    assert_eq!(r.written, before.len());
    let after = stored(&copy).await;
    let key = |v: &store::EconValueRow| {
        (
            v.indicator_code.clone(),
            v.region_code.clone(),
            v.period_kind.clone(),
            v.year,
            v.period_no,
            v.cumulative,
            v.value,
            v.reported_growth_bp,
            v.source.clone(),
        )
    };
    assert_eq!(
        before.iter().map(key).collect::<Vec<_>>(),
        after.iter().map(key).collect::<Vec<_>>()
    );
    let a = report::annual(&app, None, 2019).await.unwrap();
    let b = report::annual(&copy, None, 2019).await.unwrap();
    assert_eq!(a.summary, b.summary);
    // Exporting one year only.
    let only = export::export_xlsx(&app, None, Some(2019), Some(2019))
        .await
        .unwrap();
    let (third, _dir3) = fresh().await;
    let r = import::import(&third, None, "2019.xlsx", &only)
        .await
        .unwrap();
    assert!(r.ok());
    assert!(stored(&third).await.iter().all(|v| v.year == 2019));
}
