//! Enterprise service through the use cases on the small demo: the import's row-by-row report
//! (all or nothing) and export, the grid's levels, visits with the prevention check, daily
//! reports refusing impossible figures, the 三率一度, requests from raise to feedback with
//! deadlines across the 2020 holidays and escalation, and policy redemption with its ledger.

use app::enterprise::grid::{GridInput, OfficerInput, VisitInput};
use app::enterprise::policies::{self, ApplicationInput};
use app::enterprise::requests::{self, RequestInput};
use app::enterprise::{electricity, enterprises, export, grid, import, rates, reports};
use app::{Actor, App, AppError, Settings};
use domain::enterprise::DailyFigures;
use domain::enterprise::calendar::end_of_day_ms;
use domain::enterprise::check::PreventionCheck;
use domain::enterprise::policy::Catalog;

async fn demo() -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = store::Store::open_sqlite(dir.path()).await.unwrap();
    app::demo::generate(&store, app::demo::Scale::Small, 5)
        .await
        .unwrap();
    store.close().await;
    let store = store::Store::open_sqlite(dir.path()).await.unwrap();
    let settings = Settings {
        as_of: Some("2020-05-06".parse().unwrap()),
        ..Default::default()
    };
    (App::new(store, settings), dir)
}

async fn login(app: &App, user: &str) -> Actor {
    app::auth::login(app, user, app::demo::DEMO_PASSWORD, "127.0.0.1")
        .await
        .unwrap()
        .actor
}

/// A valid credit code with serial `n`.
fn code(n: u32) -> String {
    let first = format!("91330402MA{n:07}");
    format!("{first}{}", domain::credit_code::check_char(&first))
}

struct World {
    app: App,
    _dir: tempfile::TempDir,
    admin: Actor,
    contact: Actor,
    officer: Actor,
    reviewer: Actor,
    enterprise_id: i64,
}

/// The demo, a grid in 塘汇街道 (the liaison officer's street), three enterprises imported,
/// the contact account linked to the first and the officer assigned to it.
async fn world() -> World {
    let (app, dir) = demo().await;
    let admin = login(&app, "admin").await;
    let mut tx = app.store.read().await.unwrap();
    let street = tx
        .areas_of_kind("street", "/")
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.name.contains("塘汇"))
        .unwrap();
    tx.rollback().await.unwrap();
    let g = |level: &str, parent: Option<i64>, name: &str| GridInput {
        level: level.into(),
        parent_id: parent,
        street_id: street.id,
        name: name.into(),
        keeper_user_id: None,
        keeper_name: "王芳".into(),
        keeper_phone: "13800001111".into(),
    };
    let top = grid::create_grid(&app, &admin, &g("grid", None, "塘汇工业网格"))
        .await
        .unwrap();
    let sub = grid::create_grid(&app, &admin, &g("sub_grid", Some(top), "一片"))
        .await
        .unwrap();
    grid::create_grid(&app, &admin, &g("micro_grid", Some(sub), "A1"))
        .await
        .unwrap();
    let csv = format!(
        "统一社会信用代码,企业名称,行业,规上,重点项目,街道,微网格,地址,员工人数,用地面积(亩),纳税(元),联系人,联系电话,包车车次\n\
         {},嘉兴甲机械有限公司,工业,是,否,{name},A1,塘汇路1号,200,30.5,6000000,张三,13900001234,2\n\
         {},嘉兴乙商贸有限公司,服务业,否,否,{name},A1,塘汇路2号,15,0,20000,李四,13900005678,0\n\
         {},嘉兴丙建设有限公司,建筑业,是,是,{name},A1,塘汇路3号,80,5,100000,王五,13900009999,0\n",
        code(1),
        code(2),
        code(3),
        name = street.name
    );
    let r = import::import(&app, Some(&admin), "enterprises.csv", csv.as_bytes())
        .await
        .unwrap();
    assert!(r.ok(), "{r:#?}");
    assert_eq!(r.written, 3);
    let mut tx = app.store.read().await.unwrap();
    let enterprise_id = tx.enterprise_by_code(&code(1)).await.unwrap().unwrap().id;
    tx.rollback().await.unwrap();
    let contact = login(&app, "enterprise_contact").await;
    let officer = login(&app, "liaison_officer").await;
    let reviewer = login(&app, "department_reviewer").await;
    enterprises::link_contact(&app, &admin, contact.user_id, enterprise_id)
        .await
        .unwrap();
    // The demo made the liaison officer's account an officer already.
    let mut tx = app.store.read().await.unwrap();
    let o = tx
        .officer_of_user(officer.user_id)
        .await
        .unwrap()
        .unwrap()
        .id;
    tx.rollback().await.unwrap();
    let _ = grid::create_officer(
        &app,
        &admin,
        &OfficerInput {
            user_id: Some(officer.user_id),
            kind: "驻企指导员".into(),
            name: "黄勇".into(),
            phone: "13700001234".into(),
            department: "经济发展局".into(),
        },
    )
    .await
    .unwrap_err();
    grid::assign(&app, &admin, o, enterprise_id).await.unwrap();
    World {
        app,
        _dir: dir,
        admin,
        contact,
        officer,
        reviewer,
        enterprise_id,
    }
}

fn fields(e: AppError) -> Vec<String> {
    match e {
        AppError::Invalid(v) => v.into_iter().map(|f| f.field).collect(),
        other => panic!("expected invalid fields, got {other:?}"),
    }
}

fn figures() -> DailyFigures {
    DailyFigures {
        resumed: true,
        on_site: 150,
        total: 200,
        returned_outside: 30,
        in_quarantine: 10,
        capacity_pct: 70,
        masks: 2000,
        materials_days: 15,
        problems: "缺少包装材料".into(),
    }
}

#[tokio::test]
async fn import_is_all_or_nothing_with_a_row_by_row_report() {
    let w = world().await;
    let bad = format!(
        "credit_code,name,sector,street,micro_grid,employees,contact_name,contact_phone\n\
         {},好企业,industry,塘汇街道,A1,10,甲,13900001234\n\
         91330402MA00000X9Z,坏代码,industry,塘汇街道,A1,10,乙,13900001234\n\
         {},未知行业,farming,塘汇街道,A1,-3,丙,123\n\
         {},未知街道,service,火星街道,A1,10,丁,13900001234\n",
        code(10),
        code(11),
        code(12)
    );
    let r = import::import(&w.app, Some(&w.admin), "bad.csv", bad.as_bytes())
        .await
        .unwrap();
    assert_eq!(r.written, 0);
    let at: Vec<(usize, Option<String>)> =
        r.issues.iter().map(|i| (i.row, i.column.clone())).collect();
    assert!(at.contains(&(3, Some("credit_code".into()))), "{at:?}");
    assert!(at.contains(&(4, Some("sector".into()))));
    assert!(at.contains(&(4, Some("employees".into()))));
    assert!(at.contains(&(4, Some("contact_phone".into()))));
    assert!(at.contains(&(5, Some("street".into()))));
    let mut tx = w.app.store.read().await.unwrap();
    assert!(
        tx.enterprise_by_code(&code(10)).await.unwrap().is_none(),
        "nothing half-applied"
    );
    let count = tx.count_enterprises().await.unwrap();
    tx.rollback().await.unwrap();
    // The contact may not import.
    assert!(matches!(
        import::import(&w.app, Some(&w.contact), "x.csv", b"a").await,
        Err(AppError::Forbidden(_))
    ));
    // Export, then import the file again: every enterprise replaced, none duplicated.
    let xlsx = export::export_xlsx(&w.app, None).await.unwrap();
    let again = import::import(&w.app, None, "back.xlsx", &xlsx)
        .await
        .unwrap();
    assert!(again.ok(), "{again:#?}");
    assert_eq!(
        (again.written, again.replaced),
        (count as usize, count as usize)
    );
}

#[tokio::test]
async fn grid_levels_and_visits_with_the_prevention_check() {
    let w = world().await;
    let mut tx = w.app.store.read().await.unwrap();
    let grids = tx.grids().await.unwrap();
    tx.rollback().await.unwrap();
    let micro = grids.iter().find(|g| g.level == "micro_grid").unwrap();
    // A micro-grid cannot hang under a micro-grid, nor a top grid under anything.
    let bad = GridInput {
        level: "micro_grid".into(),
        parent_id: Some(micro.id),
        street_id: micro.street_id,
        name: "B".into(),
        keeper_user_id: None,
        keeper_name: String::new(),
        keeper_phone: String::new(),
    };
    assert_eq!(
        fields(grid::create_grid(&w.app, &w.admin, &bad).await.unwrap_err()),
        ["parent_id"]
    );
    let bad = GridInput {
        level: "tower".into(),
        ..bad
    };
    assert_eq!(
        fields(grid::create_grid(&w.app, &w.admin, &bad).await.unwrap_err()),
        ["level"]
    );

    let (_, mine, _) = grid::my_enterprises(&w.app, &w.officer).await.unwrap();
    assert!(mine.iter().any(|e| e.id == w.enterprise_id));
    assert!(mine[0].contact_phone_masked.contains("****"));
    let failed = PreventionCheck {
        plan_ok: true,
        staff_ok: false,
        site_ok: true,
        findings: String::new(),
        follow_up: String::new(),
    };
    let visit = |check| VisitInput {
        enterprise_id: w.enterprise_id,
        visited_on: "2020-03-01".into(),
        note: "复工检查".into(),
        check,
    };
    let e = grid::log_visit(&w.app, &w.officer, &visit(Some(failed.clone())))
        .await
        .unwrap_err();
    assert_eq!(fields(e), ["findings", "follow_up"]);
    let failed = PreventionCheck {
        findings: "3人缺健康申报表".into(),
        follow_up: "两日内补齐".into(),
        ..failed
    };
    grid::log_visit(&w.app, &w.officer, &visit(Some(failed)))
        .await
        .unwrap();
    let (_, _, visits) = grid::my_enterprises(&w.app, &w.officer).await.unwrap();
    assert_eq!(visits[0].staff_ok, Some(0));
    // Not assigned → refused.
    let other = VisitInput {
        enterprise_id: w.enterprise_id + 1,
        ..visit(None)
    };
    assert!(matches!(
        grid::log_visit(&w.app, &w.officer, &other).await,
        Err(AppError::Forbidden(_))
    ));
}

#[tokio::test]
async fn daily_reports_refuse_impossible_figures_and_feed_the_rates() {
    let w = world().await;
    let e = reports::submit(
        &w.app,
        &w.contact,
        "2020-05-06",
        &DailyFigures {
            on_site: 201,
            ..figures()
        },
    )
    .await
    .unwrap_err();
    assert!(fields(e).contains(&"on_site".to_owned()));
    let e = reports::submit(
        &w.app,
        &w.contact,
        "2020-05-06",
        &DailyFigures {
            total: 250,
            on_site: 10,
            ..figures()
        },
    )
    .await
    .unwrap_err();
    assert_eq!(fields(e), ["total"]);
    assert_eq!(
        fields(
            reports::submit(&w.app, &w.contact, "2020-05-09", &figures())
                .await
                .unwrap_err()
        ),
        ["day"]
    );
    reports::submit(&w.app, &w.contact, "2020-05-06", &figures())
        .await
        .unwrap();
    // A correction replaces the day's report.
    reports::submit(
        &w.app,
        &w.contact,
        "2020-05-06",
        &DailyFigures {
            on_site: 160,
            ..figures()
        },
    )
    .await
    .unwrap();
    let (_, mine) = reports::mine(&w.app, &w.contact).await.unwrap();
    assert_eq!((mine.len(), mine[0].on_site), (1, 160));

    let t = rates::rates(&w.app, &w.officer, "2020-05-06")
        .await
        .unwrap();
    let street = t
        .by_street
        .iter()
        .find(|l| l.label.contains("塘汇"))
        .unwrap();
    // The demo's reports end on 27 March: on this day only ours counts. One resumed; 160 of
    // 200 on site; capacity 70%; no major project resumed.
    let n = street.inputs.enterprises;
    assert_eq!((street.inputs.reported, street.inputs.resumed), (1, 1));
    assert_eq!(
        street.rates.resumption_bp,
        domain::enterprise::report::ratio_bp(1, n)
    );
    assert_eq!(street.rates.worker_return_bp, Some(8000));
    assert_eq!(street.rates.capacity_bp, Some(7000));
    assert_eq!(street.rates.project_intensity_bp, Some(0));
    let industry = t.by_sector.iter().find(|l| l.key == "industry").unwrap();
    assert_eq!(industry.inputs.resumed, 1);
    assert_eq!(t.overall.inputs.reported, 1);
    assert!(
        rates::rates(&w.app, &w.contact, "2020-05-06")
            .await
            .is_err()
    );

    // Electricity: enterprise 1 used 40% of its December average (resumed, agrees);
    // enterprise 2 used 10% (not resumed, no report: flagged).
    let mut csv = String::from("credit_code,day,kwh\n");
    for d in 1..=31 {
        csv += &format!(
            "{},2019-12-{d:02},1000\n{},2019-12-{d:02},500\n",
            code(1),
            code(2)
        );
    }
    csv += &format!("{},2020-05-06,400\n{},2020-05-06,50\n", code(1), code(2));
    let r = electricity::import(&w.app, Some(&w.admin), "power.csv", csv.as_bytes())
        .await
        .unwrap();
    assert!(r.ok(), "{r:#?}");
    let bad = electricity::import(
        &w.app,
        Some(&w.admin),
        "p.csv",
        b"credit_code,day,kwh\nX,2020-05-06,-1\n",
    )
    .await
    .unwrap();
    assert_eq!(bad.written, 0);
    let (streets, flagged) = electricity::compare(&w.app, &w.officer, "2020-05-06", 30)
        .await
        .unwrap();
    assert_eq!(
        (streets[0].measured, streets[0].resumed_by_electricity),
        (2, 1)
    );
    assert_eq!(flagged.len(), 1);
    assert_eq!(flagged[0].reported_resumed, None);
}

fn at(day: &str, hour: i64) -> i64 {
    let d: chrono::NaiveDate = day.parse().unwrap();
    end_of_day_ms(d - chrono::Duration::days(1)) + hour * 3_600_000
}

#[tokio::test]
async fn a_request_from_raise_to_feedback_across_spring_festival() {
    let w = world().await;
    let input = RequestInput {
        enterprise_id: None,
        category: "logistics".into(),
        complexity: "simple".into(),
        title: "原材料运输通行证".into(),
        detail: "需要办理货车通行证".into(),
    };
    // Raised on Thursday 23 January 2020: the next working day is Monday 3 February.
    let id = requests::raise(&w.app, &w.contact, &input, at("2020-01-23", 10))
        .await
        .unwrap();
    let d = requests::detail(&w.app, &w.officer, id, at("2020-02-03", 9))
        .await
        .unwrap();
    assert_eq!(
        d.request.deadline_at,
        end_of_day_ms("2020-02-03".parse().unwrap())
    );
    assert!(!d.overdue);
    let bad = RequestInput {
        category: "weather".into(),
        title: String::new(),
        ..input.clone()
    };
    assert_eq!(
        fields(
            requests::raise(&w.app, &w.contact, &bad, 0)
                .await
                .unwrap_err()
        ),
        ["category", "title"]
    );
    // The contact cannot answer; the officer cannot answer before assignment.
    assert!(
        requests::answer(&w.app, &w.contact, id, "x", 0)
            .await
            .is_err()
    );
    assert_eq!(
        fields(
            requests::answer(&w.app, &w.officer, id, "好", at("2020-02-03", 9))
                .await
                .unwrap_err()
        ),
        ["status"]
    );
    let mut tx = w.app.store.read().await.unwrap();
    let officer_id = tx
        .officer_of_user(w.officer.user_id)
        .await
        .unwrap()
        .unwrap()
        .id;
    tx.rollback().await.unwrap();
    requests::assign(
        &w.app,
        &w.officer,
        id,
        Some(officer_id),
        "",
        at("2020-02-03", 9),
    )
    .await
    .unwrap();
    // Nothing is overdue on the deadline day; the next working day it climbs to the grid,
    // and one rung per working day after, to the department.
    requests::supervise(&w.app, &w.admin, at("2020-02-03", 17))
        .await
        .unwrap();
    assert_eq!(level(&w, id, at("2020-02-03", 17)).await, "micro_grid");
    requests::supervise(&w.app, &w.admin, at("2020-02-04", 9))
        .await
        .unwrap();
    assert_eq!(level(&w, id, at("2020-02-04", 9)).await, "grid");
    requests::supervise(&w.app, &w.admin, at("2020-02-04", 10))
        .await
        .unwrap();
    let overdue = requests::overdue(&w.app, &w.commander(), at("2020-02-04", 10), 1000)
        .await
        .unwrap();
    let ours = overdue.iter().find(|r| r.id == id).unwrap();
    assert_eq!(ours.level, "grid", "supervising again changes nothing");
    requests::supervise(&w.app, &w.admin, at("2020-02-06", 9))
        .await
        .unwrap();
    let d = requests::detail(&w.app, &w.officer, id, at("2020-02-06", 9))
        .await
        .unwrap();
    assert_eq!(d.request.level, "department");
    requests::answer(
        &w.app,
        &w.officer,
        id,
        "已协调交通部门办理",
        at("2020-02-06", 11),
    )
    .await
    .unwrap();
    assert_eq!(
        fields(
            requests::feedback(&w.app, &w.contact, id, 6, "", 0)
                .await
                .unwrap_err()
        ),
        ["satisfaction"]
    );
    requests::feedback(&w.app, &w.contact, id, 4, "办理及时", at("2020-02-06", 15))
        .await
        .unwrap();
    let d = requests::detail(&w.app, &w.contact, id, at("2020-02-07", 9))
        .await
        .unwrap();
    let actions: Vec<&str> = d.steps.iter().map(|s| s.action.as_str()).collect();
    assert_eq!(d.steps[4].note, "late");
    assert_eq!(
        actions,
        [
            "receive", "assign", "escalate", "escalate", "answer", "feedback"
        ]
    );
    assert!(d.steps.iter().all(|s| !s.username.is_empty() && s.at > 0));
    assert_eq!(d.request.status, "closed");
    let (by_department, by_officer) = requests::on_time(&w.app, &w.admin).await.unwrap();
    assert!(
        by_department
            .iter()
            .any(|r| r.key == "经济发展局" && r.on_time < r.answered)
    );
    assert!(
        by_officer
            .iter()
            .all(|r| r.on_time <= r.answered && r.rate_bp.is_some())
    );
}

async fn level(w: &World, id: i64, t: i64) -> String {
    requests::detail(&w.app, &w.officer, id, t)
        .await
        .unwrap()
        .request
        .level
}

impl World {
    fn commander(&self) -> Actor {
        Actor {
            role: domain::Role::Commander,
            ..self.admin.clone()
        }
    }
}

#[tokio::test]
async fn matching_applications_and_an_idempotent_ledger() {
    let w = world().await;
    let catalog = Catalog::default_catalog();
    let before = policies::totals(&w.app, &w.admin).await.unwrap().overall;
    let mut tx = w.app.store.read().await.unwrap();
    let count = tx.count_enterprises().await.unwrap();
    tx.rollback().await.unwrap();
    reports::submit(&w.app, &w.contact, "2020-05-06", &figures())
        .await
        .unwrap();
    let s = policies::run_matching(&w.app, Some(&w.reviewer), &catalog, "2020-05-06")
        .await
        .unwrap();
    assert_eq!(s.enterprises as i64, count);
    assert!(s.created > 0, "{s:?}");
    let again = policies::run_matching(&w.app, None, &catalog, "2020-05-06")
        .await
        .unwrap();
    assert_eq!(again.created, 0, "matching twice pays nothing twice");
    let (payouts, _) = policies::mine(&w.app, &w.contact).await.unwrap();
    let e01 = payouts.iter().find(|p| p.policy_code == "E01").unwrap();
    // 20,000 + 200 × 150 on site.
    assert_eq!(e01.amount_fen, 5_000_000);
    assert!(e01.evidence.contains("resumed = true"));
    let e02 = payouts.iter().find(|p| p.policy_code == "E02").unwrap();
    assert_eq!(e02.amount_fen, 1_600_000, "2 chartered buses × 8,000");

    // 快申快享: above the cap, not eligible, then a good one.
    let input = |code: &str, amount: &str| ApplicationInput {
        enterprise_id: None,
        policy_code: code.into(),
        amount_yuan: amount.into(),
        statement: "采购口罩2万只".into(),
    };
    assert_eq!(
        fields(
            policies::apply(&w.app, &w.contact, &catalog, &input("E07", "50000.01"))
                .await
                .unwrap_err()
        ),
        ["amount_yuan"]
    );
    assert_eq!(
        fields(
            policies::apply(&w.app, &w.contact, &catalog, &input("E01", "1"))
                .await
                .unwrap_err()
        ),
        ["policy_code"]
    );
    assert_eq!(
        fields(
            policies::apply(&w.app, &w.contact, &catalog, &input("E08", "1"))
                .await
                .unwrap_err()
        ),
        ["policy_code"],
        "not Fortune 500"
    );
    let id = policies::apply(&w.app, &w.contact, &catalog, &input("E07", "30000"))
        .await
        .unwrap();
    assert!(
        policies::review(&w.app, &w.officer, &catalog, id, true, None, "ok")
            .await
            .is_err()
    );
    assert_eq!(
        fields(
            policies::review(&w.app, &w.reviewer, &catalog, id, true, None, " ")
                .await
                .unwrap_err()
        ),
        ["reasons"]
    );
    let payout = policies::review(
        &w.app,
        &w.reviewer,
        &catalog,
        id,
        true,
        Some("25000"),
        "凭证齐全，按实际支出核定",
    )
    .await
    .unwrap()
    .unwrap();
    assert!(
        policies::review(&w.app, &w.reviewer, &catalog, id, false, None, "again")
            .await
            .is_err()
    );

    let first = policies::disburse(&w.app, Some(&w.reviewer), payout, "pay-e07-0001")
        .await
        .unwrap();
    assert!(!first.replayed);
    assert_eq!(first.disbursement.amount_fen, 2_500_000);
    let retry = policies::disburse(&w.app, Some(&w.reviewer), payout, "pay-e07-0001")
        .await
        .unwrap();
    assert!(retry.replayed);
    assert_eq!(retry.disbursement.id, first.disbursement.id);
    assert!(matches!(
        policies::disburse(&w.app, Some(&w.reviewer), payout, "pay-e07-0002").await,
        Err(AppError::Conflict { .. })
    ));
    assert!(matches!(
        policies::disburse(&w.app, Some(&w.reviewer), e01.id, "pay-e07-0001").await,
        Err(AppError::Conflict { .. })
    ));
    assert_eq!(
        fields(
            policies::disburse(&w.app, None, e01.id, "short")
                .await
                .unwrap_err()
        ),
        ["idempotency_key"]
    );
    policies::disburse(&w.app, None, e01.id, "pay-e01-0001")
        .await
        .unwrap();

    let t = policies::totals(&w.app, &w.admin).await.unwrap();
    assert_eq!(t.overall.paid_fen - before.paid_fen, 2_500_000 + 5_000_000);
    assert_eq!(t.overall.payouts - before.payouts, s.created as i64 + 1);
    assert_eq!(
        t.by_policy.iter().map(|r| r.paid_fen).sum::<i64>(),
        t.overall.paid_fen
    );
    assert_eq!(
        t.by_street.iter().map(|r| r.granted_fen).sum::<i64>(),
        t.overall.granted_fen
    );
}
