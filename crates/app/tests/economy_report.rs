//! The demo's 2019 report reproduces the work report's figures, computed from records.

use app::economy::{demo, report};
use app::{App, Settings};
use store::Store;

async fn fresh() -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_sqlite(dir.path()).await.unwrap();
    (App::new(store, Settings::default()), dir)
}

fn row<'a>(r: &'a report::AnnualReport, code: &str) -> &'a report::HeadlineRow {
    r.indicators.iter().find(|i| i.code == code).unwrap()
}

const SUMMARY_2019: &str = "全年GDP可比增长7%；完成合同利用外资7.85亿美元、增长30.8%，总量再创历史新高，完成实到外资4.08亿美元，引进市外内资94.8亿元；实现固定资产投资增长10.5%，其中交通运输投资增长108.7%，增幅列全市第一；一般公共预算收入29亿元、增长10%，增幅列全市第三；完成规上工业总产值497.6亿元，创历史新高，规上工业亩均税收、楼宇税收总额等指标领跑全市；社会消费品零售总额增长9.8%，增幅列全市第一；服务业增加值占GDP的比重达55.5%，列全市第一。";

const PROJECTS_2019: &str = "世界500强项目累计达到37家；第五届招商大会签约项目37个，其中2个百亿项目；全年开工26个项目、竣工34个项目；卓高泰、信创电梯等一批项目当年洽谈、当年签约、当年开工；松下厨电科技项目当天签约、当天拿到营业执照；涌现税收超千万楼宇36幢，其中亿元楼宇10幢。";

#[tokio::test]
async fn demo_2019_reproduces_the_work_report() {
    let (app, _dir) = fresh().await;
    let d = demo::generate(&app.store, 2020).await.unwrap();
    assert!(d.values > 200, "{d:?}");
    let r = report::annual(&app, None, 2019).await.unwrap();
    assert_eq!(r.summary, SUMMARY_2019);
    assert_eq!(r.region_code, "330402");
    assert_eq!(r.regions_compared, 8);

    let gdp = row(&r, "gdp");
    assert_eq!(gdp.growth_bp, Some(700));
    assert_eq!(
        gdp.growth_source,
        Some(domain::economy::GrowthSource::Reported)
    );
    let fdi = row(&r, "fdi_contracted");
    assert_eq!(
        (fdi.value, fdi.growth_bp),
        (Some(78_500_000_000), Some(3080))
    );
    // The series behind the historic high, and the year to date month by month.
    assert_eq!(
        fdi.history.iter().map(|p| p.year).collect::<Vec<_>>(),
        (2014..=2019).collect::<Vec<_>>()
    );
    assert_eq!(fdi.months.len(), 12);
    assert_eq!(fdi.months[11].value, fdi.value);
    assert_eq!(fdi.months[11].previous, fdi.previous);
    assert_eq!(fdi.base_unit, "cent");
    assert_eq!(fdi.high, domain::economy::High::New { again: true });
    assert_eq!(
        fdi.growth_source,
        Some(domain::economy::GrowthSource::Computed)
    );
    assert_eq!(row(&r, "fdi_actual").value, Some(40_800_000_000));
    assert_eq!(row(&r, "domestic_capital").value, Some(948_000_000_000));
    assert_eq!(row(&r, "fai").growth_bp, Some(1050));
    let transport = row(&r, "fai_transport");
    assert_eq!(
        (transport.growth_bp, transport.growth_rank),
        (Some(10_870), Some(1))
    );
    let budget = row(&r, "budget_revenue");
    assert_eq!(
        (
            budget.value,
            budget.growth_bp,
            budget.growth_rank,
            budget.ranked_by_growth
        ),
        (Some(290_000_000_000), Some(1000), Some(3), 8)
    );
    // Two years of FAI on record are growth, not a record.
    assert!(!row(&r, "fai").historic_high);
    let output = row(&r, "industrial_output");
    assert_eq!(output.value, Some(4_976_000_000_000));
    assert!(output.historic_high);
    let retail = row(&r, "retail_sales");
    assert_eq!((retail.growth_bp, retail.growth_rank), (Some(980), Some(1)));
    let services = row(&r, "services_share");
    assert_eq!(
        (services.value, services.level_rank, services.derived),
        (Some(5550), Some(1), true)
    );
    assert_eq!(r.projects_summary, PROJECTS_2019);
    assert_eq!(
        (
            r.projects.started,
            r.projects.completed,
            r.projects.fortune500_to_date
        ),
        (26, 34, 37)
    );
    assert_eq!(
        (
            r.buildings.over_ten_million,
            r.buildings.over_hundred_million
        ),
        (36, 10)
    );
    // The enterprises' tax over their land is the recorded tax per mu; every class is used.
    assert_eq!(r.per_mu.enterprises, 120);
    assert_eq!(r.per_mu.tax_per_mu, row(&r, "industrial_tax_per_mu").value);
    assert_eq!(r.per_mu.classes.iter().sum::<usize>(), 120);
    assert!(
        r.per_mu.classes.iter().all(|c| *c > 0),
        "{:?}",
        r.per_mu.classes
    );
    assert!(
        r.per_mu
            .sentence
            .as_deref()
            .unwrap()
            .ends_with("亩均税收42.6万元。")
    );
    // The buildings' taxes add up to the recorded building tax.
    assert_eq!(Some(r.buildings.total_tax), row(&r, "building_tax").value);
    assert_eq!(
        r.evaluation_summary.as_deref(),
        Some(
            "在2019年国家级经开区综合发展水平考核评价中，利用外资位列全国第5位，较上年前进3位；综合排名位列全国第12位，较上年前进1位。"
        )
    );
}

#[tokio::test]
async fn every_format_renders_and_the_demo_is_deterministic() {
    let (app, _dir) = fresh().await;
    demo::generate(&app.store, 7).await.unwrap();
    let r = report::annual(&app, None, 2019).await.unwrap();
    let html = report::render_html(&r);
    assert!(html.contains("<svg"), "a chart");
    assert!(html.contains("<polyline"), "a trend line");
    assert!(html.contains("2019年累计"));
    assert!(html.contains("497.6亿元"));
    assert!(html.contains(SUMMARY_2019));
    let json: serde_json::Value = serde_json::from_slice(&report::render_json(&r)).unwrap();
    let fdi = json["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "fdi_contracted")
        .unwrap();
    assert_eq!(fdi["value"], 78_500_000_000i64);
    assert_eq!(fdi["growth_bp"], 3080);
    assert_eq!(fdi["value_text"], "7.85亿美元");
    assert!(fdi["growth_rank"].is_u64() && fdi["level_rank"] == 1);
    let xlsx = report::render_xlsx(&r).unwrap();
    assert!(xlsx.starts_with(b"PK"));
    // Another seed splits the months differently but gives the same totals.
    assert_ne!(demo::build(7), demo::build(8));
    let (app2, _dir2) = fresh().await;
    demo::generate(&app2.store, 8).await.unwrap();
    let r2 = report::annual(&app2, None, 2019).await.unwrap();
    assert_eq!(r2.summary, r.summary);
    // Running the demo again changes nothing.
    demo::generate(&app2.store, 8).await.unwrap();
    assert_eq!(
        report::annual(&app2, None, 2019).await.unwrap().summary,
        r.summary
    );
}

#[tokio::test]
async fn a_year_without_data_says_nothing_it_does_not_know() {
    let (app, _dir) = fresh().await;
    demo::generate(&app.store, 1).await.unwrap();
    // 2020 has no records: no value, no growth, no sentence.
    let r = report::annual(&app, None, 2020).await.unwrap();
    assert_eq!(r.summary, "");
    assert!(
        r.indicators
            .iter()
            .all(|i| i.value.is_none() && i.growth_bp.is_none())
    );
    // 2018 has values but 2017's are missing for most: growth only where a base exists.
    let r = report::annual(&app, None, 2018).await.unwrap();
    assert!(row(&r, "fdi_contracted").growth_bp.is_some());
    assert_eq!(row(&r, "budget_revenue").growth_bp, None);
    assert!(report::annual(&app, None, 1800).await.is_err());
}

#[tokio::test]
async fn a_stretch_of_the_year_is_cumulative_to_date() {
    let (app, _dir) = fresh().await;
    demo::generate(&app.store, 2020).await.unwrap();
    let r = report::report(&app, None, 2019, 7).await.unwrap();
    assert_eq!(r.title, "嘉兴经济技术开发区 2019年1-7月经济运行报告");
    // January to July of the zone's months, against the same months of 2018.
    let months = |year: i64| -> i64 {
        demo::build(2020)
            .iter()
            .filter(|v| v.indicator_code == "fdi_contracted" && v.region_code == "330402")
            .filter(|v| v.year == year && v.period_kind == "month" && v.period_no <= 7)
            .map(|v| v.value.unwrap())
            .sum()
    };
    let fdi = row(&r, "fdi_contracted");
    assert_eq!(fdi.value, Some(months(2019)));
    assert_eq!(fdi.previous, Some(months(2018)));
    assert_eq!(
        fdi.growth_bp,
        domain::economy::growth_bp(months(2019), months(2018))
    );
    // The districts report whole years only: nobody to rank against.
    assert_eq!(fdi.ranked_by_growth, 1);
    // GDP is recorded by year: no figure for January to July, so no GDP sentence.
    assert_eq!(row(&r, "gdp").value, None);
    assert!(r.summary.starts_with("完成合同利用外资"), "{}", r.summary);
    // Ranked alone, the zone is not "first in the city".
    assert!(!r.summary.contains("全市"), "{}", r.summary);
    assert!(
        r.projects_summary.contains("1-7月开工10个项目"),
        "{}",
        r.projects_summary
    );
    // Projects to the end of July; buildings and per-mu are yearly.
    assert_eq!((r.projects.started, r.projects.completed), (10, 21));
    assert_eq!(r.buildings.buildings, 0);
    assert_eq!(r.per_mu.sentence, None);
    assert!(report::report(&app, None, 2019, 13).await.is_err());
    assert!(report::report(&app, None, 2019, 0).await.is_err());
}
