//! Economy settings as data: checked, stored, and used by the report.

use app::economy::{demo, report, settings};
use app::{App, AppError, Settings};
use store::Store;

async fn fresh() -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_sqlite(dir.path()).await.unwrap();
    (App::new(store, Settings::default()), dir)
}

#[tokio::test]
async fn stored_settings_change_the_report() {
    let (app, _dir) = fresh().await;
    demo::generate(&app.store, 2020).await.unwrap();
    let defaults = settings::settings(&app).await.unwrap();
    assert_eq!(defaults, settings::EconomySettings::default());
    let before = report::annual(&app, None, 2019).await.unwrap();
    assert!(before.summary.contains("增长10%，增幅列全市第三"));

    // Only first places earn a clause; GDP said differently; per-mu graded more strictly.
    let text = r#"{
        "summary": {
            "max_rank": 1,
            "templates": [
                {"indicator": "gdp", "group": 1, "text": "{period}地区生产总值可比增长{growth}"},
                {"indicator": "budget_revenue", "group": 2, "text": "财政收入{value}[g:，列全市{growth_rank}]"},
                {"indicator": "retail_sales", "group": 2, "text": "社零增长{growth}[g:，列全市{growth_rank}]"}
            ]
        },
        "per_mu": {"tax_weight_bp": 5000, "output_weight_bp": 5000, "tax_benchmark": null,
                   "output_benchmark": null, "cap_bp": 20000, "a_from_bp": 15000,
                   "b_from_bp": 10000, "c_from_bp": 6000}
    }"#;
    let s = settings::parse(text).unwrap();
    settings::set_settings(&app, None, &s).await.unwrap();
    assert_eq!(settings::settings(&app).await.unwrap(), s);
    let after = report::annual(&app, None, 2019).await.unwrap();
    assert_eq!(
        after.summary,
        "全年地区生产总值可比增长7%；财政收入29亿元，社零增长9.8%，列全市第一。"
    );
    assert_ne!(after.per_mu.classes, before.per_mu.classes);

    // A part left out keeps its default.
    let only_rank = settings::parse(r#"{"summary": {"max_rank": 2}}"#).unwrap();
    assert_eq!(
        only_rank.summary.templates.len(),
        defaults.summary.templates.len()
    );
    assert_eq!(only_rank.per_mu, defaults.per_mu);
}

#[tokio::test]
async fn bad_settings_are_refused_by_field() {
    let (app, _dir) = fresh().await;
    let bad = settings::parse(
        r#"{
        "summary": {"max_rank": 0, "templates": [
            {"indicator": "gdp", "group": 1, "text": "增长{growht}"},
            {"indicator": "nothing", "group": 1, "text": "x"}
        ]},
        "per_mu": {"tax_weight_bp": 1, "output_weight_bp": 1, "tax_benchmark": null,
                   "output_benchmark": null, "cap_bp": 20000, "a_from_bp": 12000,
                   "b_from_bp": 8000, "c_from_bp": 5000}
    }"#,
    )
    .unwrap();
    let Err(AppError::Invalid(fields)) = settings::set_settings(&app, None, &bad).await else {
        panic!("expected invalid fields");
    };
    let got: Vec<(String, String)> = fields.into_iter().map(|f| (f.field, f.code)).collect();
    assert_eq!(
        got,
        vec![
            (
                "summary.templates[0].text".to_string(),
                "bad_template".to_string()
            ),
            (
                "summary.templates[1].indicator".to_string(),
                "unknown_indicator".to_string()
            ),
            ("summary.max_rank".to_string(), "out_of_range".to_string()),
            ("per_mu".to_string(), "bad_weights".to_string()),
        ]
    );
    assert_eq!(
        settings::settings(&app).await.unwrap(),
        settings::EconomySettings::default()
    );
    let Err(AppError::Invalid(f)) = settings::parse("{\"colour\": 1}") else {
        panic!("unknown keys are refused");
    };
    assert_eq!(f[0].code, "bad_json");
}
