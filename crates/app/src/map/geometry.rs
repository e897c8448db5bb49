//! Polygons and multipolygons in WGS84 longitude/latitude, checked on the way in so that the
//! renderer never meets an open ring or a coordinate off the globe.

use serde_json::Value;

/// One area's outline: polygons, each an outer ring followed by its holes; (lon, lat) pairs.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    pub polygons: Vec<Vec<Vec<(f64, f64)>>>,
}

impl Shape {
    /// (min_lon, min_lat, max_lon, max_lat)
    pub fn bbox(&self) -> (f64, f64, f64, f64) {
        let mut b = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for (x, y) in self.polygons.iter().flatten().flatten() {
            b = (b.0.min(*x), b.1.min(*y), b.2.max(*x), b.3.max(*y));
        }
        b
    }

    /// Where to put the label: the area-weighted centroid of the largest polygon's outer ring
    /// (the mean of a tiny ring's points if its area is zero).
    pub fn label_point(&self) -> (f64, f64) {
        let mut best = (0.0f64, (0.0, 0.0));
        for polygon in &self.polygons {
            let Some(ring) = polygon.first() else {
                continue;
            };
            let (area, c) = ring_centroid(ring);
            if area.abs() >= best.0 {
                best = (area.abs(), c);
            }
        }
        best.1
    }
}

fn ring_centroid(ring: &[(f64, f64)]) -> (f64, (f64, f64)) {
    let (mut a, mut cx, mut cy) = (0.0, 0.0, 0.0);
    for w in ring.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        let cross = x0 * y1 - x1 * y0;
        a += cross;
        cx += (x0 + x1) * cross;
        cy += (y0 + y1) * cross;
    }
    if a.abs() < 1e-15 {
        let n = ring.len().max(1) as f64;
        let (sx, sy) = ring.iter().fold((0.0, 0.0), |s, p| (s.0 + p.0, s.1 + p.1));
        return (0.0, (sx / n, sy / n));
    }
    (a / 2.0, (cx / (3.0 * a), cy / (3.0 * a)))
}

/// Parse a GeoJSON geometry (Polygon or MultiPolygon). The error says what is wrong and where.
pub fn parse_geometry(value: &Value) -> Result<Shape, String> {
    let kind = value
        .get("type")
        .and_then(Value::as_str)
        .ok_or("geometry has no \"type\"")?;
    let coords = value
        .get("coordinates")
        .ok_or("geometry has no \"coordinates\"")?;
    let polygons = match kind {
        "Polygon" => vec![polygon(coords, "")?],
        "MultiPolygon" => coords
            .as_array()
            .ok_or("MultiPolygon coordinates must be an array")?
            .iter()
            .enumerate()
            .map(|(i, p)| polygon(p, &format!("polygon {i}: ")))
            .collect::<Result<_, _>>()?,
        other => {
            return Err(format!(
                "geometry type {other} is not a Polygon or MultiPolygon"
            ));
        }
    };
    if polygons.is_empty() {
        return Err("MultiPolygon has no polygons".into());
    }
    Ok(Shape { polygons })
}

fn polygon(v: &Value, at: &str) -> Result<Vec<Vec<(f64, f64)>>, String> {
    let rings = v
        .as_array()
        .ok_or_else(|| format!("{at}a polygon must be an array of rings"))?;
    if rings.is_empty() {
        return Err(format!("{at}a polygon needs an outer ring"));
    }
    rings
        .iter()
        .enumerate()
        .map(|(r, ring)| {
            let at = format!("{at}ring {r}: ");
            let points = ring
                .as_array()
                .ok_or_else(|| format!("{at}must be an array of positions"))?;
            if points.len() < 4 {
                return Err(format!(
                    "{at}needs at least 4 positions, has {}",
                    points.len()
                ));
            }
            let ring: Vec<(f64, f64)> = points
                .iter()
                .enumerate()
                .map(|(i, p)| position(p).map_err(|e| format!("{at}position {i}: {e}")))
                .collect::<Result<_, _>>()?;
            if ring.first() != ring.last() {
                return Err(format!(
                    "{at}is not closed (first and last positions differ)"
                ));
            }
            Ok(ring)
        })
        .collect()
}

fn position(p: &Value) -> Result<(f64, f64), String> {
    let a = p
        .as_array()
        .filter(|a| a.len() >= 2)
        .ok_or("must be [longitude, latitude]")?;
    let lon = a[0].as_f64().ok_or("longitude is not a number")?;
    let lat = a[1].as_f64().ok_or("latitude is not a number")?;
    if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
        return Err(format!("({lon}, {lat}) is not a WGS84 longitude/latitude"));
    }
    Ok((lon, lat))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn square() -> Value {
        json!({"type": "Polygon", "coordinates": [[[120.0, 30.0], [121.0, 30.0], [121.0, 31.0], [120.0, 31.0], [120.0, 30.0]]]})
    }

    #[test]
    fn centroid_of_a_square_is_its_middle() {
        let s = parse_geometry(&square()).unwrap();
        let (x, y) = s.label_point();
        assert!((x - 120.5).abs() < 1e-9 && (y - 30.5).abs() < 1e-9);
        assert_eq!(s.bbox(), (120.0, 30.0, 121.0, 31.0));
    }

    #[test]
    fn refuses_open_rings_and_points_off_the_globe() {
        let open = json!({"type": "Polygon", "coordinates": [[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]]});
        assert!(parse_geometry(&open).unwrap_err().contains("not closed"));
        let far = json!({"type": "Polygon", "coordinates": [[[0.0, 0.0], [200.0, 0.0], [1.0, 1.0], [0.0, 0.0]]]});
        assert!(parse_geometry(&far).unwrap_err().contains("position 1"));
        let point = json!({"type": "Point", "coordinates": [0.0, 0.0]});
        assert!(parse_geometry(&point).unwrap_err().contains("Point"));
    }

    #[test]
    fn multipolygon_errors_name_the_polygon() {
        let mp = json!({"type": "MultiPolygon", "coordinates": [square()["coordinates"].clone(), [[[0, 0], [1, 0], [0, 0]]]]});
        assert!(
            parse_geometry(&mp)
                .unwrap_err()
                .starts_with("polygon 1: ring 0")
        );
    }
}
