//! Per-mu evaluation: enterprise facts imported all or nothing, classes computed.

use app::economy::{demo, permu};
use app::{App, Settings};
use domain::economy::permu::{PerMuClass, PerMuConfig};
use store::Store;

async fn fresh() -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_sqlite(dir.path()).await.unwrap();
    (App::new(store, Settings::default()), dir)
}

fn code(n: u32) -> String {
    let first17 = format!("91330402MA{n:07}");
    format!("{first17}{}", domain::credit_code::check_char(&first17))
}

#[tokio::test]
async fn facts_import_whole_or_not_at_all_and_classes_follow() {
    let (app, _dir) = fresh().await;
    let good = format!(
        "统一社会信用代码,企业名称,年度,用地面积（亩）,税收（万元）,产值（万元）\n\
         {},甲公司,2019,100,4500,120000\n\
         {},乙公司,2019,100,3000,80000\n\
         {},丙公司,2019,100,1800,48000\n\
         {},丁公司,2019,100,300,10000\n",
        code(1),
        code(2),
        code(3),
        code(4)
    );
    let r = permu::import_facts(&app, None, "facts.csv", good.as_bytes())
        .await
        .unwrap();
    assert!(r.ok(), "{:?}", r.issues);
    assert_eq!((r.rows, r.written), (4, 4));
    let cfg = PerMuConfig {
        tax_benchmark: Some(30 * 10_000 * 100),
        output_benchmark: Some(800 * 10_000 * 100),
        ..PerMuConfig::default()
    };
    let e = permu::evaluate_year(&app, 2019, &cfg).await.unwrap();
    assert_eq!(
        e.enterprises.iter().map(|x| x.class).collect::<Vec<_>>(),
        vec![PerMuClass::A, PerMuClass::B, PerMuClass::C, PerMuClass::D]
    );
    assert_eq!(e.classes, [1, 1, 1, 1]);
    assert_eq!(e.tax_per_mu, Some(24 * 10_000 * 100));

    let bad = format!(
        "credit_code,name,year,land_mu,tax_10k_yuan,output_10k_yuan\n\
         {},好公司,2019,10,1,1\n\
         91330402MA00000010,坏代码,2019,10,1,1\n\
         {},,2019,0,1,1\n\
         {},重复,2019,10,1,1\n\
         {},重复,2019,10,1,1\n\
         {},年份,19xx,10,-1,1.2345678\n",
        code(5),
        code(6),
        code(7),
        code(7),
        code(8)
    );
    let r = permu::import_facts(&app, None, "bad.csv", bad.as_bytes())
        .await
        .unwrap();
    let got: Vec<(usize, String, String)> = r
        .issues
        .iter()
        .map(|i| (i.row, i.column.clone().unwrap_or_default(), i.code.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            (3, "credit_code".into(), "check_char".into()),
            (4, "name".into(), "required".into()),
            (4, "land_mu".into(), "out_of_range".into()),
            (6, "credit_code".into(), "duplicate_period".into()),
            (7, "year".into(), "bad_year".into()),
            (7, "tax_10k_yuan".into(), "out_of_range".into()),
            (7, "output_10k_yuan".into(), "too_precise".into()),
        ]
    );
    assert_eq!(r.written, 0);
    // Still only the first file's four.
    let e = permu::evaluate_year(&app, 2019, &PerMuConfig::default())
        .await
        .unwrap();
    assert_eq!(e.enterprises.len(), 4);
    // A bad configuration is refused.
    let bad_cfg = PerMuConfig {
        tax_weight_bp: 1,
        ..PerMuConfig::default()
    };
    assert!(permu::evaluate_year(&app, 2019, &bad_cfg).await.is_err());
}

#[tokio::test]
async fn demo_enterprises_have_valid_codes() {
    for e in demo::build_enterprises(5) {
        domain::CreditCode::parse(&e.credit_code).unwrap();
        assert!(e.tax >= 0 && e.output > 0 && e.land_centimu > 0);
    }
}
