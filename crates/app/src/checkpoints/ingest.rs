//! Scan ingest (`POST /api/v1/scans`): a device uploads up to 1,000 scans at once, made
//! online or queued while offline. Each scan carries the device's own event id, so a resend
//! (lost answer, restart, reconnect) finds its scans stored and adds nothing: the answer says
//! per item accepted, duplicate or rejected (with the field and why). The server verifies every
//! code itself — one trust store for the batch — and decides pass / refer / stop. The batch is
//! one transaction: all its accepted scans and its audit entry, or nothing.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::ResidentId;
use domain::rules::{CodeColor, Ruleset};
use domain::scan::{
    CodeFinding, ScanDecision, ScanDirection, ScanMethod, decide, parse_event_id, parse_temperature,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use store::NewScan;

use crate::{Actor, App, AppError, Result};

/// Most scans in one batch.
pub const MAX_BATCH: usize = 1_000;
/// A scan time this far ahead of the server clock is refused (device clocks drift).
pub const MAX_AHEAD_MS: i64 = 5 * 60_000;
/// A scan older than this is refused: no device queues that long, so it is a wrong clock.
pub const MAX_AGE_MS: i64 = 30 * 86_400_000;
/// Longest scanned text accepted (a ZK1 code is ~300 characters, an HC1 ~600).
const MAX_CODE_CHARS: usize = 4_096;
/// Below this many codes one thread verifies them all; above, the work is split.
const PARALLEL_FROM: usize = 64;

/// A batch as the device sends it. Items are read one by one, so that a malformed item is
/// refused alone instead of failing the batch.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct ScanBatch {
    /// Up to 1,000 scans; each an object like [`ScanInput`].
    #[schema(value_type = Vec<ScanInput>)]
    pub scans: Vec<serde_json::Value>,
}

/// One scan.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScanInput {
    /// Made by the device, unique per checkpoint (1–64 printable characters).
    pub event_id: String,
    pub checkpoint_id: i64,
    /// RFC 3339 instant of the scan, e.g. `2020-03-27T08:15:00+08:00`.
    pub at: String,
    /// The scanned code text (ZK1 or HC1); or give `id_number`.
    #[serde(default)]
    pub code: Option<String>,
    /// The resident ID number typed by hand (people without a phone); with a code, the ID
    /// presented with it (a code of someone else is stopped).
    #[serde(default)]
    pub id_number: Option<String>,
    /// Degrees Celsius, 30–45.
    #[serde(default)]
    pub temperature: Option<f64>,
    /// `in` or `out`.
    pub direction: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// Stored now.
    Accepted,
    /// Stored before with the same content (a resend); nothing added.
    Duplicate,
    /// Not stored; `error` says why.
    Rejected,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ItemError {
    pub field: String,
    pub code: String,
    pub message: String,
}

/// The verdict on one item, in the order sent.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ScanItemResult {
    pub index: usize,
    pub event_id: Option<String>,
    pub status: ItemStatus,
    /// pass | refer | stop: of accepted items, and of duplicates as first decided.
    pub decision: Option<ScanDecision>,
    /// Why that decision: green, yellow, red, fever, invalid, expired, not_holder,
    /// unregistered, no_colour.
    pub reason: Option<String>,
    pub colour: Option<CodeColor>,
    /// Masked, for the officer to compare with the person.
    pub person_name: Option<String>,
    pub error: Option<ItemError>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ScanBatchReport {
    pub accepted: usize,
    pub duplicate: usize,
    pub rejected: usize,
    pub items: Vec<ScanItemResult>,
}

/// What identifies the person in a parsed scan.
#[derive(Debug, Clone)]
enum Presented {
    Code {
        text: String,
        id_number: Option<ResidentId>,
    },
    IdNumber(ResidentId),
}

#[derive(Debug, Clone)]
struct Parsed {
    index: usize,
    event_id: String,
    checkpoint_id: i64,
    at: i64,
    presented: Presented,
    temperature: Option<f64>,
    direction: ScanDirection,
    fingerprint: String,
}

/// What verifying a code found, before the store is asked about the holder.
#[derive(Debug, Clone)]
enum Checked {
    Malformed(String),
    Invalid,
    Expired,
    /// A valid code of this platform: its reference and the colour it claims.
    Ours {
        reference: String,
        claimed: Option<CodeColor>,
    },
    /// A valid foreign certificate (HC1): no colour of ours.
    Foreign,
}

fn reject(
    index: usize,
    event_id: Option<String>,
    field: &str,
    code: &str,
    msg: &str,
) -> ScanItemResult {
    ScanItemResult {
        index,
        event_id,
        status: ItemStatus::Rejected,
        decision: None,
        reason: None,
        colour: None,
        person_name: None,
        error: Some(ItemError {
            field: field.to_owned(),
            code: code.to_owned(),
            message: msg.to_owned(),
        }),
    }
}

fn fingerprint(i: &ScanInput, at: i64) -> String {
    let mut h = Sha256::new();
    let temp = i.temperature.map(|t| format!("{t:.2}")).unwrap_or_default();
    for part in [
        &i.checkpoint_id.to_string(),
        &at.to_string(),
        i.code.as_deref().unwrap_or(""),
        i.id_number.as_deref().unwrap_or(""),
        &temp,
        i.direction.as_str(),
    ] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    hex::encode(&h.finalize()[..16])
}

/// Read one item: the value's shape, then each field, naming the first problem.
/// The refusal is boxed: it is the rare path, and keeps the result small.
fn parse_item(
    index: usize,
    value: serde_json::Value,
    now: i64,
) -> Result<Parsed, Box<ScanItemResult>> {
    let event_hint = value
        .get("event_id")
        .and_then(|e| e.as_str())
        .map(str::to_owned);
    let input: ScanInput = serde_json::from_value(value).map_err(|e| {
        Box::new(reject(
            index,
            event_hint.clone(),
            "item",
            "malformed",
            &e.to_string(),
        ))
    })?;
    let eid = Some(input.event_id.clone());
    let bad =
        |field: &str, code: &str, msg: &str| Box::new(reject(index, eid.clone(), field, code, msg));
    parse_event_id(&input.event_id).map_err(|e| bad("event_id", e.code, &e.message))?;
    let at = DateTime::parse_from_rfc3339(input.at.trim())
        .map_err(|_| {
            bad(
                "at",
                "invalid",
                "give an RFC 3339 instant, e.g. 2020-03-27T08:15:00+08:00",
            )
        })?
        .timestamp_millis();
    if at > now + MAX_AHEAD_MS {
        return Err(bad(
            "at",
            "future",
            "the scan time is ahead of the server's clock",
        ));
    }
    if at < now - MAX_AGE_MS {
        return Err(bad(
            "at",
            "too_old",
            "the scan is older than 30 days; check the device clock",
        ));
    }
    let direction: ScanDirection = input
        .direction
        .parse()
        .map_err(|e: domain::ValueError| bad("direction", e.code, &e.message))?;
    let temperature = input
        .temperature
        .map(parse_temperature)
        .transpose()
        .map_err(|e| bad("temperature", e.code, &e.message))?;
    let id_number = input
        .id_number
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(ResidentId::parse)
        .transpose()
        .map_err(|e| bad("id_number", e.code, &e.message))?;
    let code = input
        .code
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let presented = match (code, id_number) {
        (Some(c), _) if c.chars().count() > MAX_CODE_CHARS => {
            return Err(bad(
                "code",
                "too_long",
                "the scanned text is too long to be a code",
            ));
        }
        (Some(c), id) => Presented::Code {
            text: c.to_owned(),
            id_number: id,
        },
        (None, Some(id)) => Presented::IdNumber(id),
        (None, None) => {
            return Err(bad(
                "code",
                "required",
                "give the scanned code or the ID number",
            ));
        }
    };
    Ok(Parsed {
        index,
        fingerprint: fingerprint(&input, at),
        event_id: input.event_id,
        checkpoint_id: input.checkpoint_id,
        at,
        presented,
        temperature,
        direction,
    })
}

fn check_code(text: &str, trust: &credential::TrustStore, at: i64) -> Checked {
    let at = DateTime::<Utc>::from_timestamp_millis(at).unwrap_or_default();
    let v = credential::verify(text, trust, at);
    if v.format.is_none() || !v.checks.prefix || v.checks.base45 == Some(false) {
        return Checked::Malformed(v.error.unwrap_or_else(|| "not a health code".into()));
    }
    if !v.valid {
        return if v.checks.expiry == Some(false) {
            Checked::Expired
        } else {
            Checked::Invalid
        };
    }
    match (v.format, v.claims.get("ref").and_then(|r| r.as_str())) {
        (Some(credential::Format::Zk1), Some(r)) => Checked::Ours {
            reference: r.to_owned(),
            claimed: v
                .claims
                .get("col")
                .and_then(|c| c.as_str())
                .and_then(|c| c.parse().ok()),
        },
        _ => Checked::Foreign,
    }
}

/// Verify every code of the batch; split over the machine's cores when there are many.
fn check_codes(items: &[Parsed], trust: &credential::TrustStore) -> Vec<Option<Checked>> {
    let one = |p: &Parsed| match &p.presented {
        Presented::Code { text, .. } => Some(check_code(text, trust, p.at)),
        Presented::IdNumber(_) => None,
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if items.len() < PARALLEL_FROM || threads < 2 {
        return items.iter().map(one).collect();
    }
    let per = items.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(per)
            .map(|chunk| s.spawn(move || chunk.iter().map(one).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                // A verifier thread cannot panic on any input (the pipeline returns errors);
                // should one die anyway, its codes count as invalid rather than lost.
                h.join().unwrap_or_default()
            })
            .collect()
    })
}

/// Take one batch from a device.
pub async fn ingest(app: &App, actor: &Actor, batch: ScanBatch) -> Result<ScanBatchReport> {
    actor.require(domain::Right::VerifyCodes)?;
    if batch.scans.len() > MAX_BATCH {
        return Err(AppError::invalid(
            "scans",
            "too_many",
            format!("at most {MAX_BATCH} scans per batch; split the upload"),
        ));
    }
    let now = domain::time::now_ms();
    let mut results: Vec<Option<ScanItemResult>> = vec![None; batch.scans.len()];
    let mut parsed = vec![];
    for (i, v) in batch.scans.into_iter().enumerate() {
        match parse_item(i, v, now) {
            Ok(p) => parsed.push(p),
            Err(r) => results[i] = Some(*r),
        }
    }

    // One trust store for the batch, as of its oldest scan: keys retired since then are
    // still in it, each with its own end, so a queued scan is judged as of its own time.
    let oldest = parsed.iter().map(|p| p.at).min().unwrap_or(now);
    let trust = app
        .keyring()?
        .trust_store(DateTime::<Utc>::from_timestamp_millis(oldest).unwrap_or_default());
    let checked = check_codes(&parsed, &trust);
    let fever_from = Ruleset::default_zhejiang().normal_below();

    let mut tx = app.store.write().await?;
    let checkpoint_ids: Vec<i64> = {
        let mut ids: Vec<i64> = parsed.iter().map(|p| p.checkpoint_id).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let checkpoints: HashMap<i64, store::CheckpointRecord> = tx
        .checkpoint_records_by_ids(&checkpoint_ids)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    // Event ids already stored, per checkpoint.
    let mut stored: HashMap<(i64, String), String> = HashMap::new();
    for &cp in &checkpoint_ids {
        let ids: Vec<&str> = parsed
            .iter()
            .filter(|p| p.checkpoint_id == cp)
            .map(|p| p.event_id.as_str())
            .collect();
        for k in tx.stored_scan_keys(cp, &ids).await? {
            stored.insert((k.checkpoint_id, k.event_id), k.fingerprint);
        }
    }
    let refs: Vec<&str> = checked
        .iter()
        .filter_map(|c| match c {
            Some(Checked::Ours { reference, .. }) => Some(reference.as_str()),
            _ => None,
        })
        .collect();
    let by_ref: HashMap<String, store::ScannedPerson> = tx
        .persons_by_code_ref(&refs)
        .await?
        .into_iter()
        .map(|p| (p.key.clone(), p))
        .collect();
    let numbers: Vec<String> = parsed
        .iter()
        .filter_map(|p| match &p.presented {
            Presented::IdNumber(id) => Some(id.as_str().to_owned()),
            Presented::Code { .. } => None,
        })
        .collect();
    let number_refs: Vec<&str> = numbers.iter().map(String::as_str).collect();
    let by_number: HashMap<String, store::ScannedPerson> = tx
        .persons_by_id_number(&number_refs)
        .await?
        .into_iter()
        .map(|p| (p.key.clone(), p))
        .collect();

    let mut rows: Vec<NewScan> = vec![];
    let mut pending: Vec<ScanItemResult> = vec![];
    let mut in_batch: HashMap<(i64, String), String> = HashMap::new();
    // Items stored by an earlier upload (same content): answered with that upload's verdict.
    let mut resent: Vec<(usize, (i64, String))> = vec![];
    for (p, check) in parsed.into_iter().zip(checked) {
        let eid = Some(p.event_id.clone());
        let key = (p.checkpoint_id, p.event_id.clone());
        let Some(cp) = checkpoints.get(&p.checkpoint_id) else {
            results[p.index] = Some(reject(
                p.index,
                eid,
                "checkpoint_id",
                "unknown",
                "no such checkpoint",
            ));
            continue;
        };
        if actor.require_in_scope(&cp.area_path).is_err() {
            results[p.index] = Some(reject(
                p.index,
                eid,
                "checkpoint_id",
                "out_of_scope",
                "the checkpoint lies outside your area",
            ));
            continue;
        }
        if let Some(first) = stored.get(&key).or_else(|| in_batch.get(&key)) {
            if *first == p.fingerprint && stored.contains_key(&key) {
                resent.push((p.index, key.clone()));
            }
            results[p.index] = Some(if *first == p.fingerprint {
                ScanItemResult {
                    status: ItemStatus::Duplicate,
                    ..reject(p.index, eid, "", "", "")
                }
                .without_error()
            } else {
                reject(
                    p.index,
                    eid,
                    "event_id",
                    "conflict",
                    "this event id was stored with different content; the first is kept",
                )
            });
            continue;
        }
        if cp.retired_at.is_some_and(|r| p.at >= r) {
            results[p.index] = Some(reject(
                p.index,
                eid,
                "checkpoint_id",
                "retired",
                "the checkpoint was retired before this scan",
            ));
            continue;
        }
        let (method, person, finding) = match (&p.presented, check) {
            (_, Some(Checked::Malformed(why))) => {
                results[p.index] = Some(reject(p.index, eid, "code", "malformed", &why));
                continue;
            }
            (Presented::Code { .. }, Some(Checked::Invalid)) => {
                (ScanMethod::Code, None, CodeFinding::Invalid)
            }
            (Presented::Code { .. }, Some(Checked::Expired)) => {
                (ScanMethod::Code, None, CodeFinding::Expired)
            }
            (Presented::Code { .. }, Some(Checked::Foreign)) => {
                (ScanMethod::Code, None, CodeFinding::NoColour)
            }
            (Presented::Code { id_number, .. }, Some(Checked::Ours { reference, claimed })) => {
                let holder = by_ref.get(&reference);
                let colour = holder
                    .and_then(|h| h.colour.as_deref())
                    .and_then(|c| c.parse().ok())
                    .or(claimed);
                let not_holder = matches!((id_number, holder), (Some(id), Some(h))
                    if h.id_number.as_deref() != Some(id.as_str()));
                let finding = match colour {
                    _ if not_holder => CodeFinding::NotHolder,
                    Some(c) => CodeFinding::Colour(c),
                    None => CodeFinding::NoColour,
                };
                (ScanMethod::Code, holder, finding)
            }
            (Presented::IdNumber(id), _) => match by_number.get(id.as_str()) {
                Some(h) => (
                    ScanMethod::IdNumber,
                    Some(h),
                    h.colour
                        .as_deref()
                        .and_then(|c| c.parse().ok())
                        .map_or(CodeFinding::NoColour, CodeFinding::Colour),
                ),
                None => (ScanMethod::IdNumber, None, CodeFinding::Unregistered),
            },
            (Presented::Code { .. }, None) => (ScanMethod::Code, None, CodeFinding::Invalid),
        };
        let (decision, reason) = decide(finding, p.temperature, fever_from);
        let colour = match finding {
            CodeFinding::Colour(c) => Some(c),
            _ => None,
        };
        in_batch.insert(key, p.fingerprint.clone());
        rows.push(NewScan {
            checkpoint_id: p.checkpoint_id,
            event_id: p.event_id.clone(),
            at: p.at,
            person_id: person.map(|h| h.person_id),
            method: method.as_str().to_owned(),
            direction: p.direction.as_str().to_owned(),
            temperature: p.temperature,
            colour: colour.map(|c| c.as_str().to_owned()),
            decision: decision.as_str().to_owned(),
            reason: reason.to_owned(),
            fingerprint: p.fingerprint,
        });
        pending.push(ScanItemResult {
            index: p.index,
            event_id: eid,
            status: ItemStatus::Accepted,
            decision: Some(decision),
            reason: Some(reason.to_owned()),
            colour,
            person_name: person.map(|h| domain::mask::mask_name(&h.name)),
            error: None,
        });
    }

    answer_resent(&mut tx, &resent, &mut results).await?;
    let inserted: std::collections::HashSet<(i64, String)> =
        tx.insert_scans(&rows, now).await?.into_iter().collect();
    for (row, mut item) in rows.iter().zip(pending) {
        // Stored by a concurrent resend between our check and our insert: a duplicate.
        if !inserted.contains(&(row.checkpoint_id, row.event_id.clone())) {
            item.status = ItemStatus::Duplicate;
        }
        let i = item.index;
        results[i] = Some(item);
    }
    let items: Vec<ScanItemResult> = results
        .into_iter()
        .enumerate()
        .map(|(i, r)| r.unwrap_or_else(|| reject(i, None, "item", "internal", "not processed")))
        .collect();
    let count = |s: ItemStatus| items.iter().filter(|i| i.status == s).count();
    let report = ScanBatchReport {
        accepted: count(ItemStatus::Accepted),
        duplicate: count(ItemStatus::Duplicate),
        rejected: count(ItemStatus::Rejected),
        items,
    };
    let mut entry = actor.audit(
        "scan.ingest",
        "scan_batch",
        checkpoint_ids.first().copied().unwrap_or(0),
    );
    entry.detail = format!(
        "accepted={} duplicate={} rejected={} checkpoints={:?}",
        report.accepted, report.duplicate, report.rejected, checkpoint_ids
    );
    tx.insert_audit(&entry, now).await?;
    tx.commit().await?;
    Ok(report)
}

/// A resend of stored scans (the device never got the first answer) learns what the first
/// upload decided: the stored decision, reason, colour and the holder's masked name.
async fn answer_resent(
    tx: &mut store::Tx,
    resent: &[(usize, (i64, String))],
    results: &mut [Option<ScanItemResult>],
) -> Result<()> {
    let mut by_checkpoint: HashMap<i64, Vec<&str>> = HashMap::new();
    for (_, (cp, event)) in resent {
        by_checkpoint.entry(*cp).or_default().push(event);
    }
    let mut verdicts = HashMap::new();
    for (cp, events) in by_checkpoint {
        for v in tx.stored_scan_verdicts(cp, &events).await? {
            verdicts.insert((v.checkpoint_id, v.event_id.clone()), v);
        }
    }
    for (index, key) in resent {
        let (Some(v), Some(Some(item))) = (verdicts.get(key), results.get_mut(*index)) else {
            continue;
        };
        item.decision = v.decision.parse().ok();
        item.reason = Some(v.reason.clone());
        item.colour = v.colour.as_deref().and_then(|c| c.parse().ok());
        item.person_name = v.person_name.as_deref().map(domain::mask::mask_name);
    }
    Ok(())
}

impl ScanItemResult {
    fn without_error(mut self) -> Self {
        self.error = None;
        self
    }
}
