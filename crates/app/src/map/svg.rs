//! SVG choropleth: polygons filled by measure, labels at label points, a legend, each area a
//! link to its detail. Equirectangular projection scaled by cos(latitude): true enough at the
//! size of a district, and needs no projection library.

use std::fmt::Write;

use super::Shape;

pub struct MapArea {
    pub shape: Shape,
    pub fill: String,
    pub label: String,
    /// Tooltip text (name and figure).
    pub title: String,
    pub href: Option<String>,
}

pub struct Legend {
    pub title: String,
    pub entries: Vec<(String, String)>,
}

const WIDTH: f64 = 720.0;
const PAD: f64 = 12.0;
const LEGEND_ROW: f64 = 20.0;

/// Draw `areas`; an empty list yields a small SVG that says so, never an error.
pub fn render_svg(areas: &[MapArea], legend: &Legend, empty_text: &str) -> String {
    if areas.is_empty() {
        return format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} 60" class="map" role="img"><text x="{}" y="35" text-anchor="middle" fill="#5f6b7a">{}</text></svg>"##,
            WIDTH / 2.0,
            esc(empty_text)
        );
    }
    let (min_x, min_y, max_x, max_y) = areas
        .iter()
        .map(|a| a.shape.bbox())
        .fold((f64::MAX, f64::MAX, f64::MIN, f64::MIN), |b, s| {
            (b.0.min(s.0), b.1.min(s.1), b.2.max(s.2), b.3.max(s.3))
        });
    let kx = ((min_y + max_y) / 2.0).to_radians().cos();
    let w = ((max_x - min_x) * kx).max(1e-9);
    let h = (max_y - min_y).max(1e-9);
    let scale = (WIDTH - 2.0 * PAD) / w;
    let map_h = h * scale + 2.0 * PAD;
    let project = |(x, y): (f64, f64)| (PAD + (x - min_x) * kx * scale, PAD + (max_y - y) * scale);
    let total_h = map_h + LEGEND_ROW * (legend.entries.len() as f64 + 1.0) + PAD;

    let mut out = String::with_capacity(areas.len() * 400);
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {total_h:.0}" class="map" role="img" aria-label="{}">"##,
        esc(&legend.title)
    );
    for a in areas {
        let mut d = String::new();
        for ring in a.shape.polygons.iter().flatten() {
            for (i, p) in ring.iter().enumerate() {
                let (x, y) = project(*p);
                let _ = write!(d, "{}{x:.1} {y:.1}", if i == 0 { "M" } else { "L" });
            }
            d.push('Z');
        }
        let path = format!(
            r##"<path d="{d}" fill="{}" fill-rule="evenodd" stroke="#ffffff" stroke-width="1.2"><title>{}</title></path>"##,
            esc(&a.fill),
            esc(&a.title)
        );
        match &a.href {
            Some(h) => {
                let _ = write!(out, r##"<a href="{}">{path}</a>"##, esc(h));
            }
            None => out.push_str(&path),
        }
    }
    for a in areas {
        let (x, y) = project(a.shape.label_point());
        let _ = write!(
            out,
            r##"<text x="{x:.1}" y="{y:.1}" text-anchor="middle" dominant-baseline="middle" font-size="12" fill="#1d2733" stroke="#ffffff" stroke-width="3" paint-order="stroke" pointer-events="none">{}</text>"##,
            esc(&a.label)
        );
    }
    let mut y = map_h + LEGEND_ROW;
    let _ = write!(
        out,
        r##"<text x="{PAD}" y="{y:.0}" font-size="12" font-weight="600" fill="#1d2733">{}</text>"##,
        esc(&legend.title)
    );
    for (colour, text) in &legend.entries {
        y += LEGEND_ROW;
        let _ = write!(
            out,
            r##"<rect x="{PAD}" y="{:.0}" width="18" height="12" fill="{}" stroke="#9aa5b1"/><text x="{:.0}" y="{y:.0}" font-size="12" fill="#1d2733">{}</text>"##,
            y - 10.0,
            esc(colour),
            PAD + 26.0,
            esc(text)
        );
    }
    out.push_str("</svg>");
    out
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::map::parse_geometry;

    #[test]
    fn draws_every_area_with_label_link_and_legend() {
        let sq = |x: f64| {
            parse_geometry(&serde_json::json!({"type": "Polygon", "coordinates": [[[x, 30.0], [x + 1.0, 30.0], [x + 1.0, 31.0], [x, 31.0], [x, 30.0]]]})).unwrap()
        };
        let areas = vec![
            MapArea {
                shape: sq(120.0),
                fill: "#08519c".into(),
                label: "城南".into(),
                title: "城南 1".into(),
                href: Some("/areas?id=2".into()),
            },
            MapArea {
                shape: sq(121.0),
                fill: "#eff3ff".into(),
                label: "A<B".into(),
                title: "t".into(),
                href: None,
            },
        ];
        let legend = Legend {
            title: "人口".into(),
            entries: vec![("#eff3ff".into(), "0–10".into())],
        };
        let svg = render_svg(&areas, &legend, "none");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert_eq!(svg.matches("<path").count(), 2);
        assert!(svg.contains(r##"<a href="/areas?id=2">"##));
        assert!(svg.contains("城南") && svg.contains("A&lt;B") && svg.contains("0–10"));
    }

    #[test]
    fn empty_map_says_so() {
        let legend = Legend {
            title: String::new(),
            entries: vec![],
        };
        assert!(render_svg(&[], &legend, "没有边界").contains("没有边界"));
    }
}
