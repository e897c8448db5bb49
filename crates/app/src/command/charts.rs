//! The dashboard's charts as server-drawn SVG: new confirmed cases per day (columns) and the
//! index of every street over the days (lines).

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::index::IndexRanking;
use crate::economy::charts::esc;

/// A line colour per street (Tableau 10, colour-blind friendlier than random).
const LINES: [&str; 10] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac",
];

/// Columns of new cases per day; the day's label every 7 days.
pub fn new_cases_chart(per_day: &[(NaiveDate, i64)], title: &str) -> String {
    let max = per_day.iter().map(|p| p.1).max().unwrap_or(0).max(1);
    let (col, h) = (14i64, 120i64);
    let width = col * per_day.len() as i64 + 40;
    let mut s = format!(
        r#"<svg class="chart" id="new-cases-chart" role="img" aria-label="{}" width="{width}" height="{}" viewBox="0 0 {width} {}" xmlns="http://www.w3.org/2000/svg">"#,
        esc(title),
        h + 30,
        h + 30
    );
    let _ = write!(
        s,
        r##"<text x="0" y="10" font-size="10" fill="#5f6b7a">{max}</text><line x1="30" y1="{h}" x2="{width}" y2="{h}" stroke="#9aa5b1"/>"##
    );
    for (i, (d, n)) in per_day.iter().enumerate() {
        let x = 30 + col * i as i64;
        let bar = n * (h - 14) / max;
        if *n > 0 {
            let _ = write!(
                s,
                r##"<rect x="{x}" y="{}" width="{}" height="{bar}" fill="#d7191c"><title>{d} {n}</title></rect>"##,
                h - bar,
                col - 2
            );
        }
        if i % 7 == 0 {
            let _ = write!(
                s,
                r##"<text x="{x}" y="{}" font-size="10" fill="#1d2733">{}</text>"##,
                h + 14,
                d.format("%m-%d")
            );
        }
    }
    s.push_str("</svg>");
    s
}

/// One line per street of its index (0–100) over the days; gaps where it had none.
pub fn trend_chart(days: &[IndexRanking], title: &str) -> String {
    let (w, h, left, top) = (640.0f64, 200.0f64, 34.0f64, 10.0f64);
    let legend_rows = days.last().map_or(0, |d| d.streets.len().div_ceil(4));
    let total_h = h + 30.0 + 18.0 * legend_rows as f64;
    let mut s = format!(
        r#"<svg class="chart" id="index-trend" role="img" aria-label="{}" width="{w}" height="{total_h}" viewBox="0 0 {w} {total_h}" xmlns="http://www.w3.org/2000/svg">"#,
        esc(title)
    );
    for v in [0, 50, 100] {
        let y = top + (h - top) * (1.0 - f64::from(v) / 100.0);
        let _ = write!(
            s,
            r##"<line x1="{left}" y1="{y:.1}" x2="{w}" y2="{y:.1}" stroke="#e3e7ec"/><text x="0" y="{:.1}" font-size="10" fill="#5f6b7a">{v}</text>"##,
            y + 3.0
        );
    }
    let Some(last) = days.last() else {
        s.push_str("</svg>");
        return s;
    };
    let step = if days.len() > 1 {
        (w - left - 10.0) / (days.len() - 1) as f64
    } else {
        0.0
    };
    for (k, street) in last.streets.iter().enumerate() {
        let colour = LINES[k % LINES.len()];
        let mut d = String::new();
        let mut pen_up = true;
        for (i, day) in days.iter().enumerate() {
            let v = day
                .streets
                .iter()
                .find(|x| x.area_id == street.area_id)
                .and_then(|x| x.score.index);
            match v {
                Some(v) => {
                    let x = left + step * i as f64;
                    let y = top + (h - top) * (1.0 - v / 100.0);
                    let _ = write!(d, "{}{x:.1} {y:.1}", if pen_up { "M" } else { "L" });
                    pen_up = false;
                }
                None => pen_up = true,
            }
        }
        if !d.is_empty() {
            let _ = write!(
                s,
                r##"<path d="{d}" fill="none" stroke="{colour}" stroke-width="1.6"><title>{}</title></path>"##,
                esc(&street.name)
            );
        }
        let (lx, ly) = (
            left + 150.0 * (k % 4) as f64,
            h + 30.0 + 18.0 * (k / 4) as f64,
        );
        let _ = write!(
            s,
            r##"<rect x="{lx}" y="{:.0}" width="12" height="4" fill="{colour}"/><text x="{:.0}" y="{ly:.0}" font-size="11">{}</text>"##,
            ly - 6.0,
            lx + 16.0,
            esc(&street.name)
        );
    }
    if let Some(first) = days.first() {
        let _ = write!(
            s,
            r##"<text x="{left}" y="{:.0}" font-size="10">{}</text><text x="{w}" y="{:.0}" font-size="10" text-anchor="end">{}</text>"##,
            h + 14.0,
            first.day,
            h + 14.0,
            last.day
        );
    }
    s.push_str("</svg>");
    s
}
