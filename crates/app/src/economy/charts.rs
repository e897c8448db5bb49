//! The economy's charts as SVG drawn on the server (no script, no chart library): the growth
//! of every district, the zone's value in every year on record, and January-to-month this year
//! against last. Shared by the annual report (Chinese) and the web dashboard (either language).

use std::fmt::Write as _;

use domain::economy::DisplayUnit;

use super::report::{HeadlineRow, Ranking, RankingRow};

/// The language of a chart's labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartLang {
    Zh,
    En,
}

impl ChartLang {
    fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            ChartLang::Zh => zh,
            ChartLang::En => en,
        }
    }
}

/// The zone's colour and everyone else's.
const HOME: &str = "#c0392b";
const OTHER: &str = "#7f8c8d";

/// HTML escaping for text and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// A horizontal bar chart of the growth of every region (the zone highlighted).
pub fn growth_chart(r: &Ranking, lang: ChartLang) -> String {
    let rows: Vec<&RankingRow> = r.rows.iter().filter(|x| x.growth_bp.is_some()).collect();
    if rows.is_empty() {
        return String::new();
    }
    let max = rows
        .iter()
        .filter_map(|x| x.growth_bp)
        .map(i64::abs)
        .max()
        .unwrap_or(1)
        .max(1);
    let (label_w, bar_w, row_h) = (140i64, 260i64, 22i64);
    let has_negative = rows.iter().any(|x| x.growth_bp.unwrap_or(0) < 0);
    let zero_x = label_w + if has_negative { bar_w / 2 } else { 0 };
    let scale = if has_negative { bar_w / 2 } else { bar_w };
    let height = row_h * rows.len() as i64 + 8;
    let width = label_w + bar_w + 70;
    let title = match lang {
        ChartLang::Zh => format!("{}增幅", r.name_zh),
        ChartLang::En => format!("{}: growth", r.name_en),
    };
    let mut s = format!(
        r#"<svg class="chart" role="img" aria-label="{}" width="{width}" height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">"#,
        esc(&title),
    );
    for (i, x) in rows.iter().enumerate() {
        let g = x.growth_bp.unwrap_or(0);
        let len = g.abs() * scale / max;
        let y = 4 + row_h * i as i64;
        let bar_x = if g < 0 { zero_x - len } else { zero_x };
        let fill = if x.home { HOME } else { OTHER };
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" text-anchor="end" font-size="12">{}</text><rect x="{bar_x}" y="{}" width="{}" height="{}" fill="{fill}"/><text x="{}" y="{}" font-size="11">{}</text>"#,
            label_w - 6,
            y + 14,
            esc(lang.pick(&x.region_name, &x.region_name_en)),
            y + 3,
            len.max(1),
            row_h - 8,
            zero_x.max(bar_x + len) + 4,
            y + 14,
            esc(x.growth_text.as_deref().unwrap_or(""))
        );
    }
    let _ = write!(
        s,
        r##"<line x1="{zero_x}" y1="0" x2="{zero_x}" y2="{height}" stroke="#333"/></svg>"##
    );
    s
}

/// Columns of the zone's value in every year on record, this year's red.
pub fn history_chart(i: &HeadlineRow, lang: ChartLang) -> String {
    let max = i.history.iter().map(|p| p.value).max().unwrap_or(1).max(1);
    let (w, h, col) = (60i64, 140i64, 44i64);
    let width = w * i.history.len() as i64 + 10;
    let title = match lang {
        ChartLang::Zh => format!("{}历年", i.name_zh),
        ChartLang::En => format!("{} by year", i.name_en),
    };
    let mut s = format!(
        r#"<svg class="chart" role="img" aria-label="{}" width="{width}" height="{}" viewBox="0 0 {width} {}" xmlns="http://www.w3.org/2000/svg">"#,
        esc(&title),
        h + 36,
        h + 36
    );
    let last = i.history.len().saturating_sub(1);
    for (k, p) in i.history.iter().enumerate() {
        let bar = (p.value.max(0) * h / max).max(1);
        let x = 5 + w * k as i64;
        let fill = if k == last { HOME } else { OTHER };
        let label = format_value_short(i, p.value);
        let _ = write!(
            s,
            r#"<rect x="{x}" y="{}" width="{col}" height="{bar}" fill="{fill}"/><text x="{}" y="{}" font-size="10" text-anchor="middle">{}</text><text x="{}" y="{}" font-size="11" text-anchor="middle">{}</text>"#,
            h + 14 - bar,
            x + col / 2,
            h + 10 - bar,
            esc(&label),
            x + col / 2,
            h + 30,
            p.year
        );
    }
    s.push_str("</svg>");
    s
}

/// A value in the report unit without the unit, for chart labels.
fn format_value_short(i: &HeadlineRow, v: i64) -> String {
    DisplayUnit::parse(i.unit)
        .map(|u| u.format(v, 2))
        .unwrap_or_else(|_| v.to_string())
}

/// January-to-month values, this year (red) and last year (grey), as two lines.
pub fn months_chart(i: &HeadlineRow, year: i32, lang: ChartLang) -> String {
    let max = i
        .months
        .iter()
        .flat_map(|m| [m.value, m.previous])
        .flatten()
        .max()
        .unwrap_or(1)
        .max(1);
    let (step, h) = (40i64, 140i64);
    let width = step * 12 + 40;
    let (title, this_year, last_year) = match lang {
        ChartLang::Zh => (
            format!("{}累计走势", i.name_zh),
            format!("{year}年累计"),
            format!("{}年累计", year - 1),
        ),
        ChartLang::En => (
            format!("{}, year to date", i.name_en),
            format!("{year} to date"),
            format!("{} to date", year - 1),
        ),
    };
    let mut s = format!(
        r#"<svg class="chart" role="img" aria-label="{}" width="{width}" height="{}" viewBox="0 0 {width} {}" xmlns="http://www.w3.org/2000/svg">"#,
        esc(&title),
        h + 30,
        h + 30
    );
    for (pick, colour) in [(false, OTHER), (true, HOME)] {
        let points: Vec<String> = i
            .months
            .iter()
            .filter_map(|m| {
                let v = if pick { m.value } else { m.previous }?;
                Some(format!(
                    "{},{}",
                    20 + step * (i64::from(m.month) - 1),
                    10 + h - v.max(0) * h / max
                ))
            })
            .collect();
        if !points.is_empty() {
            let _ = write!(
                s,
                r#"<polyline fill="none" stroke="{colour}" stroke-width="2" points="{}"/>"#,
                points.join(" ")
            );
        }
    }
    let _ = write!(
        s,
        r#"<text x="20" y="12" font-size="11" fill="{HOME}">{}</text><text x="130" y="12" font-size="11" fill="{OTHER}">{}</text>"#,
        esc(&this_year),
        esc(&last_year)
    );
    let month_suffix = lang.pick("月", "");
    for m in 1..=12i64 {
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" font-size="10" text-anchor="middle">{m}{month_suffix}</text>"#,
            20 + step * (m - 1),
            h + 26
        );
    }
    s.push_str("</svg>");
    s
}
