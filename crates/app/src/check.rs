//! `zhikong check`: the database's own integrity check, then every count the writers keep
//! beside the rows compared with the rows themselves — scans per checkpoint and day
//! (`scan_day_counts`), each person's first scan (`screened_persons`) and code colours per
//! street and day (`code_colour_days`). Each difference is named; none means consistent.

use crate::{App, Result};

/// Every problem found, each as a sentence naming what differs; empty when all is well.
pub async fn check(app: &App) -> Result<Vec<String>> {
    let mut tx = app.store.read().await?;
    let mut problems = tx.integrity_problems().await?;

    let kept = tx.scans_per_day(i64::MIN, i64::MAX).await?;
    let rows = tx.scans_per_day_reference(i64::MIN, i64::MAX).await?;
    if kept != rows {
        for r in &rows {
            let k = kept
                .iter()
                .find(|k| (k.checkpoint_id, k.day_number) == (r.checkpoint_id, r.day_number));
            if k.map(|k| k.counts) != Some(r.counts) {
                problems.push(format!(
                    "scan_day_counts: checkpoint {} day {}: kept {:?}, the scans give {:?}",
                    r.checkpoint_id,
                    r.day_number,
                    k.map(|k| k.counts),
                    r.counts
                ));
            }
        }
        for k in &kept {
            if !rows
                .iter()
                .any(|r| (r.checkpoint_id, r.day_number) == (k.checkpoint_id, k.day_number))
            {
                problems.push(format!(
                    "scan_day_counts: checkpoint {} day {}: kept {:?}, but there are no such scans",
                    k.checkpoint_id, k.day_number, k.counts
                ));
            }
        }
    }

    let screened = tx.screened_before(i64::MAX).await?;
    let screened_rows = tx.screened_before_reference(i64::MAX).await?;
    if screened != screened_rows {
        problems.push(format!(
            "screened_persons: {screened} persons kept as screened, the scans give {screened_rows}"
        ));
    }

    let persons = tx.persons_by_street().await?;
    for day in tx.code_change_days().await? {
        let kept = tx.code_colours_by_street_of(&persons, &day).await?;
        let mut rows = tx.code_colours_by_street_reference(&day).await?;
        rows.retain(|(_, _, n)| *n != 0);
        rows.sort();
        if kept != rows {
            problems.push(format!(
                "code_colour_days: the colours per street at the end of {day} differ from the \
                 code changes: kept {kept:?}, the changes give {rows:?}"
            ));
            // The first day that differs says it; the later ones would repeat it.
            break;
        }
    }
    tx.rollback().await?;
    Ok(problems)
}
