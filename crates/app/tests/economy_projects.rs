//! Projects: histories checked, stages that go back need a reason, counts per year.

use app::economy::projects::{self, NewProject};
use app::{App, AppError, Settings};
use chrono::NaiveDate;
use domain::economy::project::{ProjectStage, StageEvent};
use store::Store;

async fn fresh() -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_sqlite(dir.path()).await.unwrap();
    (App::new(store, Settings::default()), dir)
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn ev(stage: ProjectStage, on: NaiveDate) -> StageEvent {
    StageEvent {
        stage,
        on,
        reason: None,
    }
}

fn project(code: &str, history: Vec<StageEvent>) -> NewProject {
    NewProject {
        code: code.into(),
        name: format!("{code}项目"),
        investor: "投资方".into(),
        country: "DE".into(),
        fortune500: true,
        sector: "汽车零部件".into(),
        region_code: "330402".into(),
        total_investment: Some(50 * 100_000_000 * 100),
        contracted_foreign: Some(100_000_000),
        actual_foreign: None,
        foreign_currency: Some(domain::economy::Currency::Usd),
        conference: None,
        licence_on: Some(d(2019, 3, 1)),
        history,
    }
}

fn field_codes(e: AppError) -> Vec<(String, String)> {
    match e {
        AppError::Invalid(f) => f.into_iter().map(|f| (f.field, f.code)).collect(),
        other => panic!("expected invalid fields, got {other:?}"),
    }
}

#[tokio::test]
async fn stages_forward_backward_with_a_reason_and_counts() {
    use ProjectStage::*;
    let (app, _dir) = fresh().await;
    let ids = projects::add_projects(
        &app,
        None,
        &[project(
            "P1",
            vec![ev(Negotiating, d(2019, 1, 2)), ev(Signed, d(2019, 3, 1))],
        )],
    )
    .await
    .unwrap();
    let id = ids[0];
    projects::record_stage(&app, None, id, ev(Started, d(2019, 6, 1)))
        .await
        .unwrap();
    // Back to negotiating without a reason: refused, nothing written.
    let e = projects::record_stage(&app, None, id, ev(Negotiating, d(2019, 7, 1)))
        .await
        .unwrap_err();
    assert_eq!(
        field_codes(e),
        vec![("stage".into(), "stage_backwards".into())]
    );
    let e = projects::record_stage(&app, None, id, ev(Completed, d(2019, 5, 1)))
        .await
        .unwrap_err();
    assert_eq!(
        field_codes(e),
        vec![("stage".into(), "date_before_previous".into())]
    );
    let (py, _) = projects::year_counts(&app, 2019, 12).await.unwrap();
    assert_eq!((py.started, py.completed, py.fortune500_to_date), (1, 0, 1));
    assert_eq!(py.same_year, vec!["P1项目".to_string()]);
    assert_eq!(py.signing_to_licence, vec![("P1项目".to_string(), 0)]);
    // With a reason it may go back; a Fortune-500 project that fell back to negotiating is
    // no longer counted among those signed.
    projects::record_stage(
        &app,
        None,
        id,
        StageEvent {
            reason: Some("投资方调整方案".into()),
            ..ev(Negotiating, d(2019, 8, 1))
        },
    )
    .await
    .unwrap();
    let (py, _) = projects::year_counts(&app, 2019, 12).await.unwrap();
    assert_eq!((py.started, py.fortune500_to_date), (1, 0));
    assert!(matches!(
        projects::record_stage(&app, None, 999, ev(Started, d(2019, 9, 1))).await,
        Err(AppError::NotFound("project"))
    ));
}

#[tokio::test]
async fn bad_projects_are_refused_whole() {
    use ProjectStage::*;
    let (app, _dir) = fresh().await;
    let mut bad = project(
        "P2",
        vec![ev(Signed, d(2019, 3, 1)), ev(Negotiating, d(2019, 4, 1))],
    );
    bad.country = "Germany".into();
    bad.conference = Some("第九届招商大会".into());
    bad.region_code = "火星".into();
    let e = projects::add_projects(&app, None, &[bad])
        .await
        .unwrap_err();
    let mut codes: Vec<String> = field_codes(e).into_iter().map(|(_, c)| c).collect();
    codes.sort();
    assert_eq!(
        codes,
        vec![
            "bad_country",
            "stage_backwards",
            "unknown_conference",
            "unknown_region"
        ]
    );
    // One good and one empty history: neither is written.
    let e = projects::add_projects(
        &app,
        None,
        &[
            project("P3", vec![ev(Negotiating, d(2019, 1, 1))]),
            project("P4", vec![]),
        ],
    )
    .await
    .unwrap_err();
    assert_eq!(
        field_codes(e),
        vec![("projects[1].history".into(), "required".into())]
    );
    let mut tx = app.store.read().await.unwrap();
    assert!(tx.econ_projects().await.unwrap().is_empty());
    drop(tx);
    // A taken code is a conflict naming the field.
    let one = project("P5", vec![ev(Negotiating, d(2019, 1, 1))]);
    projects::add_projects(&app, None, std::slice::from_ref(&one))
        .await
        .unwrap();
    assert!(matches!(
        projects::add_projects(&app, None, &[one]).await,
        Err(AppError::Conflict { field, .. }) if field == "code"
    ));
}

#[tokio::test]
async fn projects_and_buildings_from_files() {
    use app::economy::project_import::{import_buildings, import_projects};
    let (app, _dir) = fresh().await;
    let csv = "项目编号,项目名称,投资方,国别,世界500强,行业,总投资（万元）,合同外资,外资单位,洽谈日期,签约日期,开工日期,营业执照日期
X1,采埃孚传动项目,采埃孚,de,是,汽车零部件,\"200,000\",1.5,亿美元,2019-01-05,2019/3/8,,2019年3月8日
X2,本地项目,本地,CN,否,食品,5000,,,2019-02-01,,,
";
    let r = import_projects(&app, None, "p.csv", csv.as_bytes())
        .await
        .unwrap();
    assert!(r.ok(), "{:?}", r.issues);
    assert_eq!((r.rows, r.written, r.replaced), (2, 2, 0));
    let mut tx = app.store.read().await.unwrap();
    let p = tx.econ_projects().await.unwrap();
    assert_eq!(p[0].project.country, "DE");
    assert_eq!(p[0].project.contracted_foreign, Some(15_000_000_000));
    assert_eq!(p[0].project.total_investment, Some(20 * 100_000_000 * 100));
    assert_eq!(p[0].project.stage, "signed");
    drop(tx);
    // The next month's file: X1 started; X2 re-dated (refused); a new row with a bad date.
    let next = "code,name,country,negotiating_on,signed_on,started_on
X1,采埃孚传动项目,DE,2019-01-05,2019-03-08,2019-09-01
X2,本地项目,CN,2019-02-02,,
X3,新项目,CN,2019-13-01,,
X4,倒退项目,CN,2019-05-01,2019-04-01,
";
    let r = import_projects(&app, None, "p2.csv", next.as_bytes())
        .await
        .unwrap();
    let got: Vec<(usize, String)> = r.issues.iter().map(|i| (i.row, i.code.clone())).collect();
    assert_eq!(
        got,
        vec![
            (3, "stage_date_changed".to_string()),
            (4, "bad_date".to_string()),
            (5, "date_before_previous".to_string())
        ]
    );
    let fixed = "code,name,country,negotiating_on,signed_on,started_on
X1,采埃孚传动项目,DE,2019-01-05,2019-03-08,2019-09-01
";
    let r = import_projects(&app, None, "p3.csv", fixed.as_bytes())
        .await
        .unwrap();
    assert_eq!((r.written, r.replaced), (1, 1));
    let (py, _) = projects::year_counts(&app, 2019, 12).await.unwrap();
    assert_eq!((py.started, py.fortune500_to_date), (1, 1));
    assert_eq!(py.same_year, vec!["采埃孚传动项目".to_string()]);

    let b = "楼宇编号,楼宇名称,街道,年度,税收（万元）
B1,万达广场,城南街道,2019,12000
B2,创意大厦,长水街道,2019,1500
B3,小楼,嘉北街道,2019,900
B1,万达广场,城南街道,2018,10000
";
    let r = import_buildings(&app, None, "b.csv", b.as_bytes())
        .await
        .unwrap();
    assert!(r.ok(), "{:?}", r.issues);
    assert_eq!(r.written, 4);
    let (_, by) = projects::year_counts(&app, 2019, 12).await.unwrap();
    assert_eq!(
        (by.buildings, by.over_ten_million, by.over_hundred_million),
        (3, 2, 1)
    );
    let bad = "code,name,year,tax_10k_yuan\nB1,万达广场,2019,-1\nB9,,20x9,1\nB2,创意大厦,2019,1\nB2,创意大厦,2019,2\n";
    let r = import_buildings(&app, None, "bad.csv", bad.as_bytes())
        .await
        .unwrap();
    let got: Vec<(usize, String)> = r.issues.iter().map(|i| (i.row, i.code.clone())).collect();
    assert_eq!(
        got,
        vec![
            (2, "negative".to_string()),
            (3, "required".to_string()),
            (3, "bad_year".to_string()),
            (5, "duplicate_period".to_string())
        ]
    );
    let (_, by) = projects::year_counts(&app, 2019, 12).await.unwrap();
    assert_eq!(by.total_tax, (12_000 + 1_500 + 900) * 10_000 * 100);
}

#[tokio::test]
async fn evaluations_from_a_file_reach_the_report() {
    use app::economy::project_import::import_evaluations;
    let (app, _dir) = fresh().await;
    let csv = "评价名称,项目,年度,范围,排名,上年排名,发布单位
国家级经开区综合发展水平考核评价,综合排名,2019,全国,第12位,13,商务部
国家级经开区综合发展水平考核评价,利用外资,2019年,全国,5,8,商务部
";
    let r = import_evaluations(&app, None, "e.csv", csv.as_bytes())
        .await
        .unwrap();
    assert!(r.ok(), "{:?}", r.issues);
    assert_eq!(r.written, 2);
    let report = app::economy::report::annual(&app, None, 2019)
        .await
        .unwrap();
    assert_eq!(
        report.evaluation_summary.as_deref(),
        Some(
            "在2019年国家级经开区综合发展水平考核评价中，利用外资位列全国第5位，较上年前进3位；综合排名位列全国第12位，较上年前进1位。"
        )
    );
    let bad = "name,category,year,scope,rank,region\nX,综合,2019,全国,0,\nX,综合,2019,,3,火星\n";
    let r = import_evaluations(&app, None, "bad.csv", bad.as_bytes())
        .await
        .unwrap();
    let got: Vec<(usize, String)> = r.issues.iter().map(|i| (i.row, i.code.clone())).collect();
    assert_eq!(
        got,
        vec![
            (2, "bad_rank".to_string()),
            (3, "required".to_string()),
            (3, "unknown_region".to_string())
        ]
    );
}
