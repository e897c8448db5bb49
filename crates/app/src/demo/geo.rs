//! Schematic boundaries: axis-aligned boxes around Jiaxing, split into tiles.
//!
//! Coordinates are whole micro-degrees (6 decimals, about 0.1 m) held as integers, and every
//! split line is computed from its index alone, so two neighbouring tiles share their edge
//! exactly and the children of an area cover it with neither gap nor overlap.

use super::dice::Dice;

/// A box in micro-degrees (WGS84): `west..east` longitude, `south..north` latitude.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Rect {
    pub west: i64,
    pub south: i64,
    pub east: i64,
    pub north: i64,
}

impl Rect {
    /// The development zone, south-east of Jiaxing's centre.
    pub(super) const ZONE: Rect = Rect {
        west: 120_700_000,
        south: 30_680_000,
        east: 120_860_000,
        north: 30_800_000,
    };

    /// Tiles in rows from north to south, `row_counts[r]` tiles in row `r` from west to east.
    /// Rows of different lengths give a brick pattern, which reads less like a spreadsheet.
    pub(super) fn tiles(&self, row_counts: &[i64]) -> Vec<Rect> {
        let rows = row_counts.len() as i64;
        let mut out = Vec::new();
        for (r, &cols) in row_counts.iter().enumerate() {
            let r = r as i64;
            // Row 0 is the northernmost.
            let north = split(self.north, self.south, rows, r);
            let south = split(self.north, self.south, rows, r + 1);
            for c in 0..cols {
                out.push(Rect {
                    west: split(self.west, self.east, cols, c),
                    east: split(self.west, self.east, cols, c + 1),
                    south,
                    north,
                });
            }
        }
        out
    }

    /// A GeoJSON Polygon geometry: one closed, counter-clockwise ring (RFC 7946 §3.1.6).
    pub(super) fn geojson(&self) -> String {
        let (w, s, e, n) = (
            deg(self.west),
            deg(self.south),
            deg(self.east),
            deg(self.north),
        );
        format!(
            r#"{{"type":"Polygon","coordinates":[[[{w},{s}],[{e},{s}],[{e},{n}],[{w},{n}],[{w},{s}]]]}}"#
        )
    }

    /// A point inside the box, kept `margin_pct` percent away from each edge so a marker on the
    /// map sits visibly inside its area. Returns `(lat, lon)` in degrees.
    pub(super) fn point(&self, dice: &mut Dice, margin_pct: i64) -> (f64, f64) {
        let pad_x = (self.east - self.west) * margin_pct / 100;
        let pad_y = (self.north - self.south) * margin_pct / 100;
        let lon = dice.between(self.west + pad_x, self.east - pad_x);
        let lat = dice.between(self.south + pad_y, self.north - pad_y);
        (lat as f64 / 1e6, lon as f64 / 1e6)
    }

    #[cfg(test)]
    pub(super) fn contains(&self, lat: f64, lon: f64) -> bool {
        let (lat, lon) = ((lat * 1e6).round() as i64, (lon * 1e6).round() as i64);
        (self.south..=self.north).contains(&lat) && (self.west..=self.east).contains(&lon)
    }
}

/// The `i`-th of `n` equal steps from `from` to `to` (either direction).
fn split(from: i64, to: i64, n: i64, i: i64) -> i64 {
    from + (to - from) * i / n
}

/// `120700000` → `120.700000`. The zone lies in positive longitudes and latitudes.
fn deg(micro: i64) -> String {
    format!("{}.{:06}", micro / 1_000_000, micro % 1_000_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(r: &Rect) -> i64 {
        (r.east - r.west) * (r.north - r.south)
    }

    #[test]
    fn tiles_cover_the_parent_exactly() {
        for rows in [&[2, 2][..], &[4, 3], &[4, 4], &[3]] {
            let tiles = Rect::ZONE.tiles(rows);
            assert_eq!(tiles.len() as i64, rows.iter().sum::<i64>());
            assert_eq!(tiles.iter().map(area).sum::<i64>(), area(&Rect::ZONE));
            for t in &tiles {
                assert!(t.west >= Rect::ZONE.west && t.east <= Rect::ZONE.east);
                assert!(t.south >= Rect::ZONE.south && t.north <= Rect::ZONE.north);
                assert!(t.west < t.east && t.south < t.north);
            }
        }
    }

    #[test]
    fn geojson_has_six_decimals() {
        assert_eq!(
            Rect::ZONE.geojson(),
            r#"{"type":"Polygon","coordinates":[[[120.700000,30.680000],[120.860000,30.680000],[120.860000,30.800000],[120.700000,30.800000],[120.700000,30.680000]]]}"#
        );
    }
}
