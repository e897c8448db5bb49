//! Policy redemption: the facts matching reads, payouts (one per enterprise and policy),
//! applications and their review, and the disbursement ledger in fen.

use sqlx::Row;

use crate::{Result, StoreError, Tx};

/// An enterprise's facts for the policy rules, with its latest report on or before a day.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct MatchFactsRow {
    pub id: i64,
    pub sector: String,
    pub above_size: i64,
    pub fortune500: i64,
    pub major_project: i64,
    pub employees: i64,
    pub land_centimu: i64,
    pub tax_fen: i64,
    pub chartered_buses: i64,
    pub new_hires: i64,
    pub talent_hires: i64,
    pub resumed: Option<i64>,
    pub on_site: Option<i64>,
    pub returned_outside: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NewPayout {
    pub policy_code: String,
    pub enterprise_id: i64,
    pub mode: String,
    pub amount_fen: i64,
    /// The facts that proved eligibility, one per line.
    pub evidence: String,
    pub application_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct PayoutRow {
    pub id: i64,
    pub policy_code: String,
    pub enterprise_id: i64,
    pub mode: String,
    pub amount_fen: i64,
    pub evidence: String,
    pub application_id: Option<i64>,
    pub created_at: i64,
    /// From the ledger: when it was paid, None while unpaid.
    pub paid_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NewApplication {
    pub policy_code: String,
    pub enterprise_id: i64,
    pub requested_fen: i64,
    pub statement: String,
    pub submitted_by: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct ApplicationRow {
    pub id: i64,
    pub policy_code: String,
    pub enterprise_id: i64,
    pub status: String,
    pub requested_fen: i64,
    pub statement: String,
    pub submitted_by: Option<i64>,
    pub submitted_at: i64,
    pub reviewer_id: Option<i64>,
    pub reasons: String,
    pub reviewed_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct DisbursementRow {
    pub id: i64,
    pub payout_id: i64,
    pub idempotency_key: String,
    pub amount_fen: i64,
    pub paid_at: i64,
    pub paid_by: String,
}

/// Totals of one group (a policy code, a street id, or "" for all): payouts granted and paid.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PayoutTotalRow {
    pub key: String,
    pub payouts: i64,
    pub granted_fen: i64,
    pub paid_fen: i64,
}

const PAYOUT_COLS: &str = "p.id, p.policy_code, p.enterprise_id, p.mode, p.amount_fen, \
    p.evidence, p.application_id, p.created_at, d.paid_at";
const APP_COLS: &str = "id, policy_code, enterprise_id, status, requested_fen, statement, \
    submitted_by, submitted_at, reviewer_id, reasons, reviewed_at";

impl Tx {
    /// A page of enterprises' facts (keyset on id), each with its latest report on or before
    /// `day`.
    pub async fn match_facts_page(
        &mut self,
        day: &str,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<MatchFactsRow>> {
        Ok(sqlx::query_as(
            "SELECT e.id, e.sector, e.above_size, e.fortune500, e.major_project, e.employees, \
             e.land_centimu, e.tax_fen, e.chartered_buses, e.new_hires, e.talent_hires, \
             r.resumed, r.on_site, r.returned_outside \
             FROM enterprises e LEFT JOIN ent_reports r ON r.enterprise_id = e.id AND r.day = \
               (SELECT MAX(day) FROM ent_reports x WHERE x.enterprise_id = e.id AND x.day <= $1) \
             WHERE e.id > $2 ORDER BY e.id LIMIT $3",
        )
        .bind(day)
        .bind(after_id)
        .bind(limit)
        .fetch_all(self.conn())
        .await?)
    }

    /// Create payouts; one that exists for the same policy and enterprise is kept, so a
    /// second matching run adds only what is new. Returns how many were created.
    pub async fn insert_payouts(&mut self, rows: &[NewPayout], now: i64) -> Result<u64> {
        self.insert_rows(
            "ent_payouts",
            &[
                "policy_code",
                "enterprise_id",
                "mode",
                "amount_fen",
                "evidence",
                "application_id",
                "created_at",
            ],
            "ON CONFLICT (policy_code, enterprise_id) DO NOTHING",
            rows,
            |q, p| {
                q.bind(&p.policy_code)
                    .bind(p.enterprise_id)
                    .bind(&p.mode)
                    .bind(p.amount_fen)
                    .bind(&p.evidence)
                    .bind(p.application_id)
                    .bind(now)
            },
        )
        .await
    }

    pub async fn payout(&mut self, id: i64) -> Result<PayoutRow> {
        sqlx::query_as(&format!(
            "SELECT {PAYOUT_COLS} FROM ent_payouts p \
             LEFT JOIN ent_disbursements d ON d.payout_id = p.id WHERE p.id = $1"
        ))
        .bind(id)
        .fetch_optional(self.conn())
        .await?
        .ok_or(StoreError::NotFound("payout"))
    }

    pub async fn payout_of(
        &mut self,
        policy_code: &str,
        enterprise_id: i64,
    ) -> Result<Option<PayoutRow>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {PAYOUT_COLS} FROM ent_payouts p \
             LEFT JOIN ent_disbursements d ON d.payout_id = p.id \
             WHERE p.policy_code = $1 AND p.enterprise_id = $2"
        ))
        .bind(policy_code)
        .bind(enterprise_id)
        .fetch_optional(self.conn())
        .await?)
    }

    pub async fn payouts_of_enterprise(&mut self, enterprise_id: i64) -> Result<Vec<PayoutRow>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {PAYOUT_COLS} FROM ent_payouts p \
             LEFT JOIN ent_disbursements d ON d.payout_id = p.id \
             WHERE p.enterprise_id = $1 ORDER BY p.id"
        ))
        .bind(enterprise_id)
        .fetch_all(self.conn())
        .await?)
    }

    /// Payouts not paid yet, oldest first (keyset on id).
    pub async fn unpaid_payouts(&mut self, after_id: i64, limit: i64) -> Result<Vec<PayoutRow>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {PAYOUT_COLS} FROM ent_payouts p \
             LEFT JOIN ent_disbursements d ON d.payout_id = p.id \
             WHERE d.id IS NULL AND p.id > $1 ORDER BY p.id LIMIT $2"
        ))
        .bind(after_id)
        .bind(limit)
        .fetch_all(self.conn())
        .await?)
    }

    pub async fn insert_application(&mut self, a: &NewApplication, now: i64) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO ent_applications (policy_code, enterprise_id, status, requested_fen, \
             statement, submitted_by, submitted_at) VALUES ($1, $2, 'submitted', $3, $4, $5, $6) \
             RETURNING id",
        )
        .bind(&a.policy_code)
        .bind(a.enterprise_id)
        .bind(a.requested_fen)
        .bind(&a.statement)
        .bind(a.submitted_by)
        .bind(now)
        .fetch_one(self.conn())
        .await?;
        Ok(row.try_get(0)?)
    }

    pub async fn application(&mut self, id: i64) -> Result<ApplicationRow> {
        sqlx::query_as(&format!(
            "SELECT {APP_COLS} FROM ent_applications WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(self.conn())
        .await?
        .ok_or(StoreError::NotFound("application"))
    }

    pub async fn applications_by_status(
        &mut self,
        status: &str,
        limit: i64,
    ) -> Result<Vec<ApplicationRow>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {APP_COLS} FROM ent_applications WHERE status = $1 ORDER BY id LIMIT $2"
        ))
        .bind(status)
        .bind(limit)
        .fetch_all(self.conn())
        .await?)
    }

    pub async fn applications_of_enterprise(
        &mut self,
        enterprise_id: i64,
    ) -> Result<Vec<ApplicationRow>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {APP_COLS} FROM ent_applications WHERE enterprise_id = $1 ORDER BY id DESC"
        ))
        .bind(enterprise_id)
        .fetch_all(self.conn())
        .await?)
    }

    /// Decide a submitted application; false when it was decided already.
    pub async fn review_application(
        &mut self,
        id: i64,
        status: &str,
        reviewer_id: Option<i64>,
        reasons: &str,
        at: i64,
    ) -> Result<bool> {
        Ok(sqlx::query(
            "UPDATE ent_applications SET status = $2, reviewer_id = $3, reasons = $4, \
             reviewed_at = $5 WHERE id = $1 AND status = 'submitted'",
        )
        .bind(id)
        .bind(status)
        .bind(reviewer_id)
        .bind(reasons)
        .bind(at)
        .execute(self.conn())
        .await?
        .rows_affected()
            == 1)
    }

    pub async fn disbursement_by_key(&mut self, key: &str) -> Result<Option<DisbursementRow>> {
        Ok(sqlx::query_as(
            "SELECT id, payout_id, idempotency_key, amount_fen, paid_at, paid_by \
             FROM ent_disbursements WHERE idempotency_key = $1",
        )
        .bind(key)
        .fetch_optional(self.conn())
        .await?)
    }

    /// Write the ledger entry. The unique payout and key refuse a second payment (a
    /// `StoreError::Conflict`), whatever raced it.
    pub async fn insert_disbursement(
        &mut self,
        payout_id: i64,
        key: &str,
        amount_fen: i64,
        at: i64,
        by: &str,
    ) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO ent_disbursements (payout_id, idempotency_key, amount_fen, paid_at, paid_by) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(payout_id)
        .bind(key)
        .bind(amount_fen)
        .bind(at)
        .bind(by)
        .fetch_one(self.conn())
        .await?;
        Ok(row.try_get(0)?)
    }

    /// Payout totals per policy (`by` = "policy"), per street ("street") or overall (any
    /// other): granted and paid, in fen — grouped SQL, never a load.
    pub async fn payout_totals(&mut self, by: &str) -> Result<Vec<PayoutTotalRow>> {
        let (key, group) = match by {
            "policy" => (
                "p.policy_code",
                "GROUP BY p.policy_code ORDER BY p.policy_code",
            ),
            "street" => (
                "CAST(e.street_id AS TEXT)",
                "GROUP BY e.street_id ORDER BY CAST(e.street_id AS TEXT)",
            ),
            // Overall: no grouping, so always one row (zeros when nothing is paid).
            _ => ("''", ""),
        };
        let rows = sqlx::query(&format!(
            "SELECT {key}, COUNT(*), CAST(COALESCE(SUM(p.amount_fen), 0) AS BIGINT), \
             CAST(COALESCE(SUM(d.amount_fen), 0) AS BIGINT) \
             FROM ent_payouts p JOIN enterprises e ON e.id = p.enterprise_id \
             LEFT JOIN ent_disbursements d ON d.payout_id = p.id {group}"
        ))
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(PayoutTotalRow {
                    key: r.try_get(0)?,
                    payouts: r.try_get(1)?,
                    granted_fen: r.try_get(2)?,
                    paid_fen: r.try_get(3)?,
                })
            })
            .collect()
    }

    /// The ledger's total, in fen.
    pub async fn paid_total_fen(&mut self) -> Result<i64> {
        Ok(sqlx::query(
            "SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM ent_disbursements",
        )
        .fetch_one(self.conn())
        .await?
        .try_get(0)?)
    }
}
