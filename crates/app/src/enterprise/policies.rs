//! Policy redemption (政策兑现): 免申即享 matching over every enterprise, 快申快享
//! applications with review, and disbursement into the ledger — idempotent by key, so a
//! retried payment finds its entry instead of paying twice.

use domain::Right;
use domain::enterprise::Sector;
use domain::enterprise::policy::{Catalog, EnterpriseFacts, PayoutMode};
use serde::Serialize;

use crate::error::Validation;
use crate::{Actor, App, AppError, FieldError, Result};

/// Enterprises read per page while matching.
const PAGE: i64 = 2000;

pub fn facts_of(r: &store::MatchFactsRow) -> EnterpriseFacts {
    EnterpriseFacts {
        sector: Sector::parse(&r.sector).unwrap_or(Sector::Industry),
        above_size: r.above_size == 1,
        fortune500: r.fortune500 == 1,
        major_project: r.major_project == 1,
        resumed: r.resumed == Some(1),
        employees: r.employees,
        on_site: r.on_site.unwrap_or(0),
        returned_outside: r.returned_outside.unwrap_or(0),
        chartered_buses: r.chartered_buses,
        new_hires: r.new_hires,
        talent_hires: r.talent_hires,
        tax_fen: r.tax_fen,
        land_centimu: r.land_centimu,
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct MatchSummary {
    pub enterprises: usize,
    pub matched: usize,
    pub created: u64,
    pub matched_fen: i64,
}

/// 免申即享: every automatic policy over every enterprise, on the facts of `day` (latest
/// report on or before it). Creates the payouts that do not exist yet, each with its evidence.
pub async fn run_matching(
    app: &App,
    actor: Option<&Actor>,
    catalog: &Catalog,
    day: &str,
) -> Result<MatchSummary> {
    if let Some(a) = actor {
        a.require(Right::ReviewPolicies)?;
    }
    let automatic: Vec<_> = catalog.automatic().collect();
    let mut tx = app.store.write().await?;
    let now = domain::time::now_ms();
    let mut summary = MatchSummary::default();
    let mut after = 0;
    loop {
        let page = tx.match_facts_page(day, after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        summary.enterprises += page.len();
        let mut payouts = vec![];
        for r in &page {
            let facts = facts_of(r);
            for p in &automatic {
                if let Some(m) = p.evaluate(&facts) {
                    summary.matched_fen += m.amount_fen;
                    payouts.push(store::NewPayout {
                        policy_code: p.code.clone(),
                        enterprise_id: r.id,
                        mode: PayoutMode::Automatic.as_str().into(),
                        amount_fen: m.amount_fen,
                        evidence: m.evidence.join("\n"),
                        application_id: None,
                    });
                }
            }
        }
        summary.matched += payouts.len();
        summary.created += tx.insert_payouts(&payouts, now).await?;
    }
    let entry = crate::economy::audit_entry(
        actor,
        "policy.match",
        "payout",
        day,
        format!(
            "{} enterprises, {} matched, {} new",
            summary.enterprises, summary.matched, summary.created
        ),
    );
    tx.insert_audit(&entry, now).await?;
    tx.commit().await?;
    Ok(summary)
}

#[derive(Debug, Clone)]
pub struct ApplicationInput {
    /// Ignored for a contact (its own enterprise); a policy officer applying on an
    /// enterprise's behalf names it.
    pub enterprise_id: Option<i64>,
    pub policy_code: String,
    /// 元, exact to the fen.
    pub amount_yuan: String,
    pub statement: String,
}

/// 快申快享: the contact applies for its enterprise. The rules must hold on today's facts and
/// the amount stay within the policy's cap.
pub async fn apply(
    app: &App,
    actor: &Actor,
    catalog: &Catalog,
    input: &ApplicationInput,
) -> Result<i64> {
    let mut v = Validation::default();
    let policy = catalog.get(input.policy_code.trim());
    if policy.is_none_or(|p| p.mode != PayoutMode::Application) {
        v.push(FieldError::new(
            "policy_code",
            "unknown_policy",
            "no policy of the fast-application kind has that code",
        ));
    }
    let amount = v.check(
        "amount_yuan",
        domain::enterprise::money::parse_yuan(&input.amount_yuan),
    );
    let statement = super::text(&mut v, "statement", &input.statement, true, 4000);
    if let (Some(p), Some(a)) = (policy, amount) {
        if a <= 0 {
            v.push(FieldError::new(
                "amount_yuan",
                "not_positive",
                "the amount must be above zero",
            ));
        } else if a > p.cap_fen {
            v.push(FieldError::new(
                "amount_yuan",
                "above_cap",
                format!(
                    "above the policy's cap of {} 元",
                    domain::enterprise::money::format_yuan(p.cap_fen)
                ),
            ));
        }
    }
    v.finish()?;
    let (Some(policy), Some(amount)) = (policy, amount) else {
        return Err(AppError::invalid(
            "policy_code",
            "unknown_policy",
            "unknown policy",
        ));
    };
    let mut tx = app.store.write().await?;
    let enterprise_id = if actor.role.has(Right::ReportResumption) {
        super::own_enterprise(&mut tx, actor).await?
    } else {
        let id = input.enterprise_id.ok_or_else(|| {
            AppError::invalid("enterprise_id", "required", "which enterprise applies")
        })?;
        super::require_enterprise_access(&mut tx, actor, id)
            .await?
            .id
    };
    let facts = tx
        .match_facts_page(&app.today().to_string(), enterprise_id - 1, 1)
        .await?;
    let eligible = facts
        .first()
        .filter(|f| f.id == enterprise_id)
        .and_then(|f| policy.eligibility(&facts_of(f)));
    if eligible.is_none() {
        return Err(AppError::invalid(
            "policy_code",
            "not_eligible",
            format!(
                "your enterprise does not meet: {}",
                policy.rules_text().join("; ")
            ),
        ));
    }
    if tx.payout_of(&policy.code, enterprise_id).await?.is_some() {
        return Err(AppError::Conflict {
            field: "policy_code".into(),
            message: "this policy has paid your enterprise already".into(),
        });
    }
    let now = domain::time::now_ms();
    let id = tx
        .insert_application(
            &store::NewApplication {
                policy_code: policy.code.clone(),
                enterprise_id,
                requested_fen: amount,
                statement,
                submitted_by: (actor.user_id > 0).then_some(actor.user_id),
            },
            now,
        )
        .await?;
    tx.insert_audit(&actor.audit("application.submit", "application", id), now)
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// The reviewer's decision, with reasons. Approval creates the payout (at most the amount
/// applied for and the cap); it is paid by [`disburse`].
pub async fn review(
    app: &App,
    actor: &Actor,
    catalog: &Catalog,
    application_id: i64,
    approve: bool,
    amount_yuan: Option<&str>,
    reasons: &str,
) -> Result<Option<i64>> {
    actor.require(Right::ReviewPolicies)?;
    let mut v = Validation::default();
    let reasons = super::text(&mut v, "reasons", reasons, true, 2000);
    let amount = amount_yuan
        .filter(|s| !s.trim().is_empty())
        .and_then(|s| v.check("amount_yuan", domain::enterprise::money::parse_yuan(s)));
    v.finish()?;
    let mut tx = app.store.write().await?;
    let a = tx.application(application_id).await?;
    let e = tx.enterprise(a.enterprise_id).await?;
    actor.require_in_scope(&e.area_path)?;
    if a.status != "submitted" {
        return Err(AppError::Conflict {
            field: "status".into(),
            message: format!("the application is {} already", a.status),
        });
    }
    let policy = catalog
        .get(&a.policy_code)
        .ok_or(AppError::NotFound("policy"))?;
    let now = domain::time::now_ms();
    let status = if approve { "approved" } else { "rejected" };
    let mut payout_id = None;
    if approve {
        let amount = amount.unwrap_or(a.requested_fen);
        if amount <= 0 || amount > a.requested_fen {
            return Err(AppError::invalid(
                "amount_yuan",
                "out_of_range",
                "between 0.01 元 and the amount applied for",
            ));
        }
        if amount > policy.cap_fen {
            return Err(AppError::invalid(
                "amount_yuan",
                "above_cap",
                format!(
                    "above the policy's cap of {} 元",
                    domain::enterprise::money::format_yuan(policy.cap_fen)
                ),
            ));
        }
        let created = tx
            .insert_payouts(
                &[store::NewPayout {
                    policy_code: policy.code.clone(),
                    enterprise_id: a.enterprise_id,
                    mode: PayoutMode::Application.as_str().into(),
                    amount_fen: amount,
                    evidence: format!("application {application_id}: {reasons}"),
                    application_id: Some(application_id),
                }],
                now,
            )
            .await?;
        if created == 0 {
            return Err(AppError::Conflict {
                field: "policy_code".into(),
                message: "this policy has paid the enterprise already".into(),
            });
        }
        payout_id = tx
            .payout_of(&policy.code, a.enterprise_id)
            .await?
            .map(|p| p.id);
    }
    if !tx
        .review_application(
            application_id,
            status,
            (actor.user_id > 0).then_some(actor.user_id),
            &reasons,
            now,
        )
        .await?
    {
        return Err(AppError::Conflict {
            field: "status".into(),
            message: "the application was decided meanwhile".into(),
        });
    }
    let mut entry = actor.audit(
        &format!("application.{status}"),
        "application",
        application_id,
    );
    entry.detail = reasons;
    tx.insert_audit(&entry, now).await?;
    tx.commit().await?;
    Ok(payout_id)
}

#[derive(Debug, Clone, Serialize)]
pub struct Disbursed {
    pub disbursement: store::DisbursementRow,
    /// True when this call found an earlier payment under the same key (nothing paid now).
    pub replayed: bool,
}

fn check_key(key: &str) -> Result<()> {
    let ok = (8..=100).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_:.".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(AppError::invalid(
            "idempotency_key",
            "bad_key",
            "8 to 100 letters, digits, - _ : .",
        ))
    }
}

/// Pay a payout once. The same key again answers with the first payment; another key for a
/// paid payout is refused. The ledger's unique constraints hold the line under races too.
pub async fn disburse(
    app: &App,
    actor: Option<&Actor>,
    payout_id: i64,
    key: &str,
) -> Result<Disbursed> {
    if let Some(a) = actor {
        a.require(Right::ReviewPolicies)?;
    }
    check_key(key)?;
    let mut tx = app.store.write().await?;
    if let Some(d) = tx.disbursement_by_key(key).await? {
        tx.rollback().await?;
        if d.payout_id != payout_id {
            return Err(AppError::Conflict {
                field: "idempotency_key".into(),
                message: "the key was used for another payout".into(),
            });
        }
        return Ok(Disbursed {
            disbursement: d,
            replayed: true,
        });
    }
    let p = tx.payout(payout_id).await?;
    if let Some(a) = actor {
        let e = tx.enterprise(p.enterprise_id).await?;
        a.require_in_scope(&e.area_path)?;
    }
    if p.paid_at.is_some() {
        return Err(AppError::Conflict {
            field: "payout_id".into(),
            message: "the payout is paid already".into(),
        });
    }
    let now = domain::time::now_ms();
    let by = actor.map_or("cli".to_owned(), |a| a.username.clone());
    tx.insert_disbursement(payout_id, key, p.amount_fen, now, &by)
        .await
        .map_err(|e| match e {
            store::StoreError::Conflict(_) => AppError::Conflict {
                field: "payout_id".into(),
                message: "the payout is paid already".into(),
            },
            other => other.into(),
        })?;
    let entry = crate::economy::audit_entry(
        actor,
        "payout.disburse",
        "payout",
        &payout_id.to_string(),
        format!("{} fen, key {key}", p.amount_fen),
    );
    tx.insert_audit(&entry, now).await?;
    let d = tx
        .disbursement_by_key(key)
        .await?
        .ok_or(AppError::NotFound("disbursement"))?;
    tx.commit().await?;
    Ok(Disbursed {
        disbursement: d,
        replayed: false,
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct Totals {
    pub by_policy: Vec<store::PayoutTotalRow>,
    pub by_street: Vec<store::PayoutTotalRow>,
    pub overall: store::PayoutTotalRow,
}

pub async fn totals(app: &App, actor: &Actor) -> Result<Totals> {
    actor.require(Right::ServeEnterprises)?;
    let mut tx = app.store.read().await?;
    let by_policy = tx.payout_totals("policy").await?;
    let by_street = tx.payout_totals("street").await?;
    let overall =
        tx.payout_totals("all")
            .await?
            .into_iter()
            .next()
            .unwrap_or(store::PayoutTotalRow {
                key: String::new(),
                payouts: 0,
                granted_fen: 0,
                paid_fen: 0,
            });
    tx.rollback().await?;
    Ok(Totals {
        by_policy,
        by_street,
        overall,
    })
}

/// The contact's payouts and applications.
pub async fn mine(
    app: &App,
    actor: &Actor,
) -> Result<(Vec<store::PayoutRow>, Vec<store::ApplicationRow>)> {
    let mut tx = app.store.read().await?;
    let id = super::own_enterprise(&mut tx, actor).await?;
    let payouts = tx.payouts_of_enterprise(id).await?;
    let apps = tx.applications_of_enterprise(id).await?;
    tx.rollback().await?;
    Ok((payouts, apps))
}

/// Applications waiting for review.
pub async fn pending(app: &App, actor: &Actor) -> Result<Vec<store::ApplicationRow>> {
    actor.require(Right::ReviewPolicies)?;
    let mut tx = app.store.read().await?;
    let rows = tx.applications_by_status("submitted", 200).await?;
    tx.rollback().await?;
    Ok(rows)
}

/// Payouts approved and not paid yet, oldest first.
pub async fn unpaid(app: &App, actor: &Actor, limit: i64) -> Result<Vec<store::PayoutRow>> {
    actor.require(Right::ReviewPolicies)?;
    let mut tx = app.store.read().await?;
    let rows = tx.unpaid_payouts(0, limit.clamp(1, 1000)).await?;
    tx.rollback().await?;
    Ok(rows)
}
