//! Conformance of the economy tables: every case runs on SQLite and on PostgreSQL (a
//! throwaway cluster; with ZHIKONG_REQUIRE_POSTGRES=1 a missing PostgreSQL fails the run).

use std::sync::atomic::{AtomicUsize, Ordering};

use domain::economy::{default_catalog, default_regions};
use store::{
    EconIndicatorRow, EconRegionRow, EconStageRow, EconValueQuery, NewEconEvaluation,
    NewEconProject, NewEconValue, Store, StoreError,
};

const NOW: i64 = 1_585_267_200_000; // 2020-03-27T00:00:00Z

async fn sqlite() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_sqlite(dir.path()).await.unwrap();
    (store, dir)
}

async fn postgres() -> Option<Store> {
    static N: AtomicUsize = AtomicUsize::new(0);
    let cluster = testkit::PgCluster::shared()?;
    let name = format!("economy_{}", N.fetch_add(1, Ordering::SeqCst));
    let url = cluster.create_database(&name);
    Some(Store::connect(&url).await.unwrap())
}

/// Runs one case on both backends.
macro_rules! conformance {
    ($($case:ident),* $(,)?) => {
        mod on_sqlite {
            $(#[tokio::test] async fn $case() { let (s, _dir) = super::sqlite().await; super::$case(&s).await; })*
        }
        mod on_postgres {
            $(#[tokio::test] async fn $case() {
                if let Some(s) = super::postgres().await { super::$case(&s).await; }
            })*
        }
    };
}

conformance!(
    catalog_is_added_once_in_order,
    values_are_replaced_by_key,
    values_filter_by_indicator_region_and_year,
    schema_refuses_impossible_values,
    rollback_writes_no_value,
    evaluations_are_replaced_by_key,
    projects_keep_their_steps_in_order,
    building_taxes_by_year,
    enterprise_facts_by_year,
    settings_are_replaced_by_key,
);

fn catalog_rows() -> Vec<EconIndicatorRow> {
    default_catalog()
        .into_iter()
        .map(|i| EconIndicatorRow {
            code: i.code,
            name_zh: i.name_zh,
            name_en: i.name_en,
            measure: i.measure.as_str().into(),
            currency: i.currency.map(|c| c.as_str().into()),
            period_kind: i.period_kind.as_str().into(),
            aggregation: i.aggregation.as_str().into(),
            growth_basis: i.growth_basis.as_str().into(),
            parent_code: i.parent,
            sort: i.sort,
        })
        .collect()
}

fn region_rows() -> Vec<EconRegionRow> {
    default_regions()
        .into_iter()
        .map(|r| EconRegionRow {
            code: r.code,
            name_zh: r.name_zh,
            name_en: r.name_en,
            home: r.home,
            sort: r.sort,
        })
        .collect()
}

async fn seeded(s: &Store) {
    let mut tx = s.write().await.unwrap();
    tx.insert_econ_indicators(&catalog_rows()).await.unwrap();
    tx.insert_econ_regions(&region_rows()).await.unwrap();
    tx.commit().await.unwrap();
}

fn value(indicator: &str, region: &str, kind: &str, year: i64, no: i64, v: i64) -> NewEconValue {
    NewEconValue {
        indicator_code: indicator.into(),
        region_code: region.into(),
        period_kind: kind.into(),
        year,
        period_no: no,
        cumulative: kind == "year",
        value: Some(v),
        reported_growth_bp: None,
        source: "test".into(),
    }
}

async fn catalog_is_added_once_in_order(s: &Store) {
    let mut tx = s.write().await.unwrap();
    assert_eq!(
        tx.insert_econ_indicators(&catalog_rows()).await.unwrap(),
        13
    );
    assert_eq!(tx.insert_econ_regions(&region_rows()).await.unwrap(), 8);
    // Again: nothing added, nothing overwritten.
    let mut edited = catalog_rows();
    edited[0].name_zh = "改过的名字".into();
    assert_eq!(tx.insert_econ_indicators(&edited).await.unwrap(), 0);
    assert_eq!(tx.insert_econ_regions(&region_rows()).await.unwrap(), 0);
    tx.commit().await.unwrap();
    let mut tx = s.read().await.unwrap();
    let cat = tx.econ_indicators().await.unwrap();
    assert_eq!(cat, catalog_rows());
    let regions = tx.econ_regions().await.unwrap();
    assert_eq!(regions, region_rows());
    assert_eq!(regions.iter().filter(|r| r.home).count(), 1);
}

async fn values_are_replaced_by_key(s: &Store) {
    seeded(s).await;
    let mut tx = s.write().await.unwrap();
    let mut rows: Vec<_> = (1..=12)
        .map(|m| value("fdi_contracted", "330402", "month", 2019, m, m * 1_000))
        .collect();
    rows.push(value("gdp", "330402", "year", 2019, 0, 30_000_000_000_000));
    tx.upsert_econ_values(&rows, NOW).await.unwrap();
    tx.commit().await.unwrap();

    let mut tx = s.write().await.unwrap();
    let mut gdp = value("gdp", "330402", "year", 2019, 0, 31_000_000_000_000);
    gdp.reported_growth_bp = Some(700);
    gdp.source = "revised".into();
    tx.upsert_econ_values(&[gdp], NOW + 1).await.unwrap();
    tx.commit().await.unwrap();

    let mut tx = s.read().await.unwrap();
    let all = tx.econ_values(&EconValueQuery::default()).await.unwrap();
    assert_eq!(all.len(), 13);
    let g = all.iter().find(|v| v.indicator_code == "gdp").unwrap();
    assert_eq!(
        (
            g.value,
            g.reported_growth_bp,
            g.source.as_str(),
            g.updated_at,
            g.cumulative
        ),
        (
            Some(31_000_000_000_000),
            Some(700),
            "revised",
            NOW + 1,
            true
        )
    );
    let months: Vec<_> = all
        .iter()
        .filter(|v| v.indicator_code == "fdi_contracted")
        .map(|v| v.period_no)
        .collect();
    assert_eq!(months, (1..=12).collect::<Vec<_>>());
}

async fn values_filter_by_indicator_region_and_year(s: &Store) {
    seeded(s).await;
    let mut tx = s.write().await.unwrap();
    let mut rows = vec![];
    for year in 2015..=2019 {
        for region in ["330402", "330411"] {
            rows.push(value(
                "industrial_output",
                region,
                "year",
                year,
                0,
                year * 10,
            ));
            rows.push(value("retail_sales", region, "year", year, 0, year));
        }
    }
    // More rows than one statement holds, to cross a chunk boundary.
    for m in 1..=12 {
        for year in 1950..2000 {
            rows.push(value("fai", "330421", "month", year, m, 1));
        }
    }
    tx.upsert_econ_values(&rows, NOW).await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = s.read().await.unwrap();
    let q = EconValueQuery {
        indicator_code: Some("industrial_output".into()),
        region_code: Some("330402".into()),
        from_year: Some(2017),
        to_year: Some(2018),
    };
    let got = tx.econ_values(&q).await.unwrap();
    assert_eq!(
        got.iter().map(|v| v.year).collect::<Vec<_>>(),
        vec![2017, 2018]
    );
    assert_eq!(got[0].value, Some(20_170));
    let y2019 = tx
        .econ_values(&EconValueQuery {
            from_year: Some(2019),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(y2019.len(), 4);
    let fai = tx
        .econ_values(&EconValueQuery {
            indicator_code: Some("fai".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(fai.len(), 600);
}

async fn schema_refuses_impossible_values(s: &Store) {
    seeded(s).await;
    let cases = [
        value("no_such_indicator", "330402", "year", 2019, 0, 1),
        value("gdp", "999999", "year", 2019, 0, 1),
        value("gdp", "330402", "month", 2019, 13, 1),
        value("gdp", "330402", "quarter", 2019, 0, 1),
        value("gdp", "330402", "week", 2019, 1, 1),
        value("gdp", "330402", "year", 1800, 0, 1),
        NewEconValue {
            value: None,
            ..value("gdp", "330402", "year", 2019, 0, 1)
        },
        NewEconValue {
            cumulative: false,
            ..value("gdp", "330402", "year", 2019, 0, 1)
        },
    ];
    for case in cases {
        let mut tx = s.write().await.unwrap();
        let r = tx
            .upsert_econ_values(std::slice::from_ref(&case), NOW)
            .await;
        assert!(
            matches!(r, Err(StoreError::Database(_))),
            "{case:?} was accepted: {r:?}"
        );
        tx.rollback().await.unwrap();
    }
    let mut tx = s.write().await.unwrap();
    let mut bad = catalog_rows().remove(0);
    bad.code = "share_with_currency".into();
    bad.measure = "share".into();
    assert!(tx.insert_econ_indicators(&[bad]).await.is_err());
}

async fn rollback_writes_no_value(s: &Store) {
    seeded(s).await;
    let mut tx = s.write().await.unwrap();
    tx.upsert_econ_values(&[value("gdp", "330402", "year", 2019, 0, 5)], NOW)
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    let mut tx = s.read().await.unwrap();
    assert!(
        tx.econ_values(&EconValueQuery::default())
            .await
            .unwrap()
            .is_empty()
    );
}

async fn evaluations_are_replaced_by_key(s: &Store) {
    seeded(s).await;
    let eval = |category: &str, rank: i64, previous: Option<i64>| NewEconEvaluation {
        region_code: "330402".into(),
        name: "国家级经开区综合发展水平考核评价".into(),
        category: category.into(),
        year: 2019,
        scope: "全国".into(),
        rank,
        previous_rank: previous,
        publisher: "商务部".into(),
    };
    let mut tx = s.write().await.unwrap();
    tx.upsert_econ_evaluations(
        &[eval("综合排名", 13, None), eval("利用外资", 5, Some(8))],
        NOW,
    )
    .await
    .unwrap();
    tx.upsert_econ_evaluations(&[eval("综合排名", 12, Some(13))], NOW)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut tx = s.read().await.unwrap();
    let all = tx
        .econ_evaluations(Some("330402"), Some(2019))
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    let overall = all.iter().find(|e| e.category == "综合排名").unwrap();
    assert_eq!((overall.rank, overall.previous_rank), (12, Some(13)));
    assert!(
        tx.econ_evaluations(None, Some(2018))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(tx.econ_evaluations(None, None).await.unwrap().len(), 2);
    let mut tx = s.write().await.unwrap();
    assert!(
        tx.upsert_econ_evaluations(&[eval("利用外资", 0, None)], NOW)
            .await
            .is_err()
    );
}

fn project(code: &str, conference: Option<i64>, stage: &str) -> NewEconProject {
    NewEconProject {
        code: code.into(),
        name: format!("项目{code}"),
        investor: "采埃孚".into(),
        country: "DE".into(),
        fortune500: true,
        sector: "汽车零部件".into(),
        region_code: "330402".into(),
        total_investment: Some(1_000_000_000_000),
        contracted_foreign: Some(15_000_000_000),
        actual_foreign: None,
        foreign_currency: Some("USD".into()),
        conference_id: conference,
        stage: stage.into(),
        licence_on: Some("2019-06-18".into()),
    }
}

fn step(stage: &str, on: &str) -> EconStageRow {
    EconStageRow {
        project_id: 0,
        stage: stage.into(),
        on_date: on.into(),
        reason: None,
    }
}

async fn projects_keep_their_steps_in_order(s: &Store) {
    seeded(s).await;
    let mut tx = s.write().await.unwrap();
    let conf = tx
        .insert_econ_conference("第五届招商大会", Some(5), "2019-05-18", NOW)
        .await
        .unwrap();
    let a = tx
        .insert_econ_project(
            &project("P1", Some(conf), "signed"),
            &[
                step("negotiating", "2019-01-10"),
                step("signed", "2019-05-18"),
            ],
            NOW,
        )
        .await
        .unwrap();
    let b = tx
        .insert_econ_project(
            &project("P2", None, "negotiating"),
            &[step("negotiating", "2019-02-01")],
            NOW,
        )
        .await
        .unwrap();
    tx.add_econ_project_stage(
        &EconStageRow {
            project_id: a,
            ..step("started", "2019-09-01")
        },
        NOW,
    )
    .await
    .unwrap();
    let missing = tx
        .add_econ_project_stage(
            &EconStageRow {
                project_id: 9_999,
                ..step("started", "2019-09-01")
            },
            NOW,
        )
        .await;
    assert!(matches!(missing, Err(StoreError::NotFound("project"))));
    tx.commit().await.unwrap();
    // The code is unique. (On PostgreSQL a failed statement ends the transaction.)
    let mut tx = s.write().await.unwrap();
    assert!(matches!(
        tx.insert_econ_project(&project("P1", None, "signed"), &[], NOW)
            .await,
        Err(StoreError::Conflict(_))
    ));
    tx.rollback().await.unwrap();
    let mut tx = s.write().await.unwrap();
    assert!(
        tx.insert_econ_project(&project("P3", None, "abandoned"), &[], NOW)
            .await
            .is_err()
    );
    tx.rollback().await.unwrap();
    let mut tx = s.read().await.unwrap();
    let projects = tx.econ_projects().await.unwrap();
    assert_eq!(projects.len(), 2);
    assert_eq!(projects[0].project.stage, "started");
    assert_eq!(projects[0].project.conference_id, Some(conf));
    assert!(projects[0].project.fortune500);
    let steps = tx.econ_project_stages(Some(a)).await.unwrap();
    assert_eq!(
        steps.iter().map(|x| x.stage.as_str()).collect::<Vec<_>>(),
        vec!["negotiating", "signed", "started"]
    );
    assert_eq!(tx.econ_project_stages(None).await.unwrap().len(), 4);
    assert_eq!(tx.econ_project_stages(Some(b)).await.unwrap().len(), 1);
    assert_eq!(tx.econ_conferences().await.unwrap()[0].ordinal, Some(5));
}

async fn building_taxes_by_year(s: &Store) {
    seeded(s).await;
    let mut tx = s.write().await.unwrap();
    let a = tx
        .insert_econ_building("B1", "万达广场", "330402", "城南", NOW)
        .await
        .unwrap();
    let b = tx
        .insert_econ_building("B2", "创意大厦", "330402", "长水", NOW)
        .await
        .unwrap();
    tx.upsert_econ_building_taxes(&[
        (a, 2019, 15_000_000_000),
        (b, 2019, 2_000_000_000),
        (a, 2018, 1),
    ])
    .await
    .unwrap();
    tx.upsert_econ_building_taxes(&[(b, 2019, 30_000_000_000)])
        .await
        .unwrap();
    assert!(
        tx.upsert_econ_building_taxes(&[(a, 2017, -1)])
            .await
            .is_err()
    );
    tx.rollback().await.unwrap();
    let mut tx = s.write().await.unwrap();
    let a = tx
        .insert_econ_building("B1", "万达广场", "330402", "城南", NOW)
        .await
        .unwrap();
    let b = tx
        .insert_econ_building("B2", "创意大厦", "330402", "长水", NOW)
        .await
        .unwrap();
    tx.upsert_econ_building_taxes(&[
        (a, 2019, 15_000_000_000),
        (b, 2019, 2_000_000_000),
        (a, 2018, 1),
    ])
    .await
    .unwrap();
    tx.upsert_econ_building_taxes(&[(b, 2019, 30_000_000_000)])
        .await
        .unwrap();
    // Upserting by code keeps the id and takes the new name.
    let again = tx
        .upsert_econ_building("B1", "万达广场一期", "330402", "城南", NOW)
        .await
        .unwrap();
    assert_eq!(again, a);
    tx.commit().await.unwrap();
    let mut tx = s.read().await.unwrap();
    let y = tx.econ_building_taxes(2019).await.unwrap();
    assert!(y.iter().any(|r| r.name == "万达广场一期"));
    assert_eq!(
        y.iter()
            .map(|r| (r.code.as_str(), r.tax))
            .collect::<Vec<_>>(),
        vec![("B2", 30_000_000_000), ("B1", 15_000_000_000)]
    );
    assert_eq!(tx.econ_building_taxes(2018).await.unwrap().len(), 1);
}

async fn enterprise_facts_by_year(s: &Store) {
    seeded(s).await;
    let fact = |code: &str, year: i64, tax: i64| store::EconEnterpriseFacts {
        credit_code: code.into(),
        year,
        name: format!("企业{code}"),
        region_code: "330402".into(),
        land_centimu: 5_000,
        tax,
        output: tax * 20,
        source: "test".into(),
    };
    let a = "91330402MA0000001X";
    let b = "91330402MA0000002X";
    let mut tx = s.write().await.unwrap();
    tx.upsert_econ_enterprise_facts(
        &[fact(a, 2019, 10), fact(b, 2019, 20), fact(a, 2018, 5)],
        NOW,
    )
    .await
    .unwrap();
    tx.upsert_econ_enterprise_facts(&[fact(a, 2019, 11)], NOW)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut tx = s.write().await.unwrap();
    let mut no_land = fact(b, 2017, 1);
    no_land.land_centimu = 0;
    assert!(
        tx.upsert_econ_enterprise_facts(&[no_land], NOW)
            .await
            .is_err()
    );
    tx.rollback().await.unwrap();
    let mut tx = s.read().await.unwrap();
    let y = tx.econ_enterprise_facts(2019).await.unwrap();
    assert_eq!(
        y.iter()
            .map(|f| (f.credit_code.as_str(), f.tax))
            .collect::<Vec<_>>(),
        vec![(a, 11), (b, 20)]
    );
    assert_eq!(tx.econ_enterprise_facts(2018).await.unwrap().len(), 1);
    assert!(tx.econ_enterprise_facts(2017).await.unwrap().is_empty());
}

async fn settings_are_replaced_by_key(s: &Store) {
    let mut tx = s.write().await.unwrap();
    assert_eq!(tx.econ_setting("summary").await.unwrap(), None);
    tx.put_econ_setting("summary", r#"{"max_rank":3}"#, NOW)
        .await
        .unwrap();
    tx.put_econ_setting("summary", r#"{"max_rank":5}"#, NOW)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut tx = s.write().await.unwrap();
    assert_eq!(
        tx.econ_setting("summary").await.unwrap().as_deref(),
        Some(r#"{"max_rank":5}"#)
    );
    assert!(tx.put_econ_setting("colour", "{}", NOW).await.is_err());
}
