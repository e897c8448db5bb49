//! The map component: area shapes from GeoJSON, drawn by the server as an SVG choropleth.
//! Any per-area measure can be drawn — population density now, risk levels and resumption
//! rates later — by giving each area a fill colour, a label and a link.

mod geometry;
mod svg;

pub use geometry::{Shape, parse_geometry};
pub use svg::{Legend, MapArea, render_svg};

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
