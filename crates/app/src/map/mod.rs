//! The map component: area shapes from GeoJSON, drawn by the server as an SVG choropleth.
//! Any per-area measure can be drawn — population density now, risk levels and resumption
//! rates later — by giving each area a fill colour, a label and a link.

mod geometry;
mod svg;

pub use geometry::{Shape, parse_geometry};
pub use svg::{Legend, MapArea, render_svg};

/// One area's cell of a per-area measure: its fill, label, tooltip and link.
pub struct Cell {
    pub fill: String,
    pub label: String,
    pub title: String,
    pub href: Option<String>,
}

/// A drawn measure: the SVG, and the names of the areas that could not be drawn because they
/// have no boundary (or an unreadable one) — for a note under the map, never an error.
pub struct Drawn {
    pub svg: String,
    pub without_boundary: Vec<String>,
}

/// Draw any per-area measure: `cell` gives each area its cell (None leaves the area out, e.g.
/// no figure for it). Used by the risk map, the index map and the resumption map.
pub fn draw_measure(
    areas: &[store::AreaRow],
    cell: impl Fn(&store::AreaRow) -> Option<Cell>,
    legend: &Legend,
    empty_text: &str,
) -> Drawn {
    let mut without_boundary = vec![];
    let mut drawn = vec![];
    for a in areas {
        let shape = a
            .boundary
            .as_deref()
            .and_then(|b| serde_json::from_str(b).ok())
            .and_then(|g| parse_geometry(&g).ok());
        let Some(shape) = shape else {
            without_boundary.push(a.name.clone());
            continue;
        };
        if let Some(c) = cell(a) {
            drawn.push(MapArea {
                shape,
                fill: c.fill,
                label: c.label,
                title: c.title,
                href: c.href,
            });
        }
    }
    Drawn {
        svg: render_svg(&drawn, legend, empty_text),
        without_boundary,
    }
}

/// A sequential blue scale for counts and rates (light = low), colour-blind safe.
pub const SEQUENTIAL: [&str; 5] = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"];

/// Which of `SEQUENTIAL`'s five equal bins between `min` and `max` holds `value`: the range
/// of the values drawn, not zero to max, so that neighbours of similar size still differ.
pub fn bin(value: f64, min: f64, max: f64) -> usize {
    if max <= min || max.is_nan() || !value.is_finite() {
        return if max > 0.0 { 4 } else { 0 };
    }
    (((value - min) / (max - min) * 5.0).floor() as usize).min(4)
}

/// The lower bound of each of the five bins, for the legend.
pub fn bin_starts(min: f64, max: f64) -> [f64; 5] {
    let step = (max - min).max(0.0) / 5.0;
    std::array::from_fn(|i| min + step * i as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_span_the_range() {
        assert_eq!(bin(10.0, 10.0, 20.0), 0);
        assert_eq!(bin(20.0, 10.0, 20.0), 4);
        assert_eq!(bin(15.0, 10.0, 20.0), 2);
        assert_eq!(bin(5.0, 5.0, 5.0), 4);
        assert_eq!(bin(0.0, 0.0, 0.0), 0);
        assert_eq!(bin_starts(0.0, 10.0), [0.0, 2.0, 4.0, 6.0, 8.0]);
    }
}
