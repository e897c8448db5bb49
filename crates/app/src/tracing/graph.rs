//! The chain of a case drawn on the server as SVG: the case in the middle, close contacts on a
//! ring around it, secondary contacts on an outer ring next to the close contact they met.
//! Names are masked; a graph with more contacts than fit draws the first ones and says how
//! many it left out (the list and the CSV have them all).

use std::collections::HashMap;
use std::f64::consts::TAU;
use std::fmt::Write;

use crate::cases::ContactView;

/// Most nodes drawn per ring; beyond this the labels would overlap into noise.
const MAX_CLOSE: usize = 48;
const MAX_SECONDARY: usize = 144;
const SIZE: f64 = 640.0;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One node: a circle with a tooltip, and a label for close contacts and the case.
fn node(svg: &mut String, x: f64, y: f64, r: f64, class: &str, title: &str, label: Option<&str>) {
    let _ = write!(
        svg,
        r#"<g class="{class}"><circle cx="{x:.1}" cy="{y:.1}" r="{r}"><title>{}</title></circle>"#,
        escape(title)
    );
    if let Some(l) = label {
        let _ = write!(
            svg,
            r#"<text x="{x:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            y + r + 11.0,
            escape(l)
        );
    }
    svg.push_str("</g>");
}

/// The graph for a case whose person's masked name is `case_name`.
pub fn svg(case_name: &str, contacts: &[ContactView]) -> String {
    let c = SIZE / 2.0;
    let (r1, r2) = (SIZE * 0.24, SIZE * 0.43);
    // One node per person and degree (hand-added and traced relationships may repeat one).
    let mut close: Vec<&ContactView> = vec![];
    let mut seen = std::collections::HashSet::new();
    for x in contacts.iter().filter(|x| x.degree == "close") {
        if seen.insert(x.person_id) {
            close.push(x);
        }
    }
    let mut secondary: Vec<&ContactView> = vec![];
    for x in contacts.iter().filter(|x| x.degree == "secondary") {
        if seen.insert(x.person_id) {
            secondary.push(x);
        }
    }
    let drawn_close = close.len().min(MAX_CLOSE);
    let mut angle: HashMap<i64, f64> = HashMap::new();
    let mut edges = String::new();
    let mut nodes = String::new();
    for (i, x) in close.iter().take(drawn_close).enumerate() {
        let a = TAU * i as f64 / drawn_close.max(1) as f64;
        angle.insert(x.person_id, a);
        let (px, py) = (c + r1 * a.cos(), c + r1 * a.sin());
        let _ = write!(
            edges,
            r#"<line x1="{c}" y1="{c}" x2="{px:.1}" y2="{py:.1}"/>"#
        );
        let title = format!(
            "{} · {} · {}",
            x.person_name,
            x.place.as_deref().unwrap_or(&x.setting),
            x.last_exposure_on
        );
        node(
            &mut nodes,
            px,
            py,
            7.0,
            "close",
            &title,
            Some(&x.person_name),
        );
    }
    // Secondary contacts fan out around their source's angle.
    let mut per_source: HashMap<i64, usize> = HashMap::new();
    let mut drawn_secondary = 0;
    for x in &secondary {
        if drawn_secondary == MAX_SECONDARY {
            break;
        }
        let Some(&a0) = angle.get(&x.source_person_id) else {
            continue;
        };
        let k = per_source.entry(x.source_person_id).or_insert(0);
        let spread = TAU / drawn_close.max(1) as f64 * 0.8;
        let offset = if *k == 0 {
            0.0
        } else {
            let step = (*k).div_ceil(2) as f64 * spread / 8.0;
            if *k % 2 == 1 { step } else { -step }
        };
        *k += 1;
        let a = a0 + offset;
        let (sx, sy) = (c + r1 * a0.cos(), c + r1 * a0.sin());
        let (px, py) = (c + r2 * a.cos(), c + r2 * a.sin());
        let _ = write!(
            edges,
            r#"<line class="second" x1="{sx:.1}" y1="{sy:.1}" x2="{px:.1}" y2="{py:.1}"/>"#
        );
        let title = format!("{} ← {}", x.person_name, x.source_name);
        node(&mut nodes, px, py, 4.5, "secondary", &title, None);
        drawn_secondary += 1;
    }
    let left_out = close.len() - drawn_close + secondary.len() - drawn_secondary;
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="trace-graph" viewBox="0 0 {SIZE} {SIZE}" role="img" aria-label="{}">"#,
        escape(&format!(
            "{case_name}: {} close, {} secondary",
            close.len(),
            secondary.len()
        ))
    );
    let _ = write!(svg, r#"<g class="edges">{edges}</g>{nodes}"#);
    node(&mut svg, c, c, 12.0, "case", case_name, Some(case_name));
    if left_out > 0 {
        let _ = write!(
            svg,
            r#"<text class="note" x="8" y="{:.0}">+{left_out} not drawn</text>"#,
            SIZE - 8.0
        );
    }
    svg.push_str("</svg>");
    svg
}
