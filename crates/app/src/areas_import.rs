//! `zhikong import areas FILE.geojson`: attach GeoJSON boundaries to areas, matching features
//! by area code or by name. A file with any broken geometry writes nothing and lists every
//! broken feature by its name; features that match no area (or several) are reported and
//! skipped. The files Chinese GIS portals publish (DataV's `330402_full.json` and the like)
//! are read as they are: a FeatureCollection whose features carry a numeric `adcode`, `parent`
//! as an object, `center` and `centroid` arrays, and MultiPolygons; other properties are
//! ignored.

use std::collections::HashMap;
use std::str::FromStr;

use serde::Serialize;

use crate::map::parse_geometry;
use crate::{Actor, App, AppError, FieldError, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchBy {
    /// By the code properties (`code`, `adcode`, `区划代码`), else by the exact name.
    Auto,
    Code,
    Name,
}

/// The properties that may hold an area's code, in the order tried.
pub const CODE_PROPERTIES: [&str; 3] = ["code", "adcode", "区划代码"];

impl FromStr for MatchBy {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "auto" => Ok(MatchBy::Auto),
            "code" => Ok(MatchBy::Code),
            "name" => Ok(MatchBy::Name),
            other => Err(format!("--match must be auto, code or name, not {other:?}")),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Matched {
    pub feature: usize,
    pub code: String,
    pub name: String,
}

#[derive(Debug, Serialize)]
pub struct Unmatched {
    pub feature: usize,
    pub value: Option<String>,
    pub reason: String,
}

#[derive(Debug, Serialize)]
pub struct ImportReport {
    pub features: usize,
    pub matched: Vec<Matched>,
    pub unmatched_features: Vec<Unmatched>,
    /// Codes of areas that still have no boundary after the import.
    pub areas_without_boundary: Vec<String>,
}

/// A property's value as text: strings as they are, whole numbers without a fraction
/// (DataV writes `adcode` as a number).
fn property_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        serde_json::Value::Number(n) => Some(match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i.to_string(),
            (None, Some(f)) if f.fract() == 0.0 && f.abs() < 1e17 => format!("{f:.0}"),
            _ => n.to_string(),
        }),
        _ => None,
    }
}

pub async fn import_boundaries(
    app: &App,
    actor: &Actor,
    text: &str,
    by: MatchBy,
    property: Option<&str>,
) -> Result<ImportReport> {
    actor.require(domain::Right::ManageAccounts)?;
    // The properties tried for the code and for the name.
    let code_props: Vec<&str> = match (by, property) {
        (MatchBy::Name, _) => vec![],
        (_, Some(p)) => vec![p],
        (_, None) => CODE_PROPERTIES.to_vec(),
    };
    let name_props: Vec<&str> = match (by, property) {
        (MatchBy::Code, _) => vec![],
        (MatchBy::Name, Some(p)) => vec![p],
        _ => vec!["name", "名称"],
    };
    let fc = match geojson::GeoJson::from_str(text) {
        Ok(geojson::GeoJson::FeatureCollection(fc)) => fc,
        Ok(_) => {
            return Err(AppError::invalid(
                "file",
                "type",
                "the file must be a GeoJSON FeatureCollection",
            ));
        }
        Err(e) => {
            return Err(AppError::invalid(
                "file",
                "format",
                format!("not valid GeoJSON: {e}"),
            ));
        }
    };

    let mut tx = app.store.write().await?;
    let areas: Vec<store::AreaRow> = tx
        .all_areas()
        .await?
        .into_iter()
        .filter(|a| domain::area::path_contains(&actor.scope_path, &a.path))
        .collect();
    let mut by_code: HashMap<&str, Vec<&store::AreaRow>> = HashMap::new();
    let mut by_name: HashMap<&str, Vec<&store::AreaRow>> = HashMap::new();
    for a in &areas {
        by_code.entry(a.code.as_str()).or_default().push(a);
        by_name.entry(a.name.as_str()).or_default().push(a);
    }

    let mut broken = vec![];
    let mut matched = vec![];
    let mut unmatched = vec![];
    let mut updates: Vec<(i64, String)> = vec![];
    for (i, f) in fc.features.iter().enumerate() {
        let first = |props: &[&str]| {
            props
                .iter()
                .find_map(|p| f.property(p).and_then(property_text))
        };
        let code = first(&code_props);
        let name = first(&name_props).or_else(|| first(&["name", "名称"]));
        // The feature as a person would name it: its name, else its code, else its place.
        let label = match (&name, &code) {
            (Some(n), Some(c)) => format!("feature {i} ({n}, {c})"),
            (Some(v), None) | (None, Some(v)) => format!("feature {i} ({v})"),
            (None, None) => format!("feature {i}"),
        };
        let Some(geometry) = &f.geometry else {
            broken.push(FieldError::new(&label, "geometry", "has no geometry"));
            continue;
        };
        let json = serde_json::to_value(geometry).map_err(|e| AppError::Internal(e.to_string()))?;
        if let Err(e) = parse_geometry(&json) {
            broken.push(FieldError::new(&label, "geometry", e));
            continue;
        }
        // By code first; by exact name only when the feature has no code that matches.
        let by_code_hit = code.as_deref().and_then(|c| by_code.get(c));
        let by_name_hit = if by_code_hit.is_none() && by != MatchBy::Code {
            name.as_deref().and_then(|n| by_name.get(n))
        } else {
            None
        };
        match (
            by_code_hit.or(by_name_hit).map(Vec::as_slice),
            by_code_hit.is_some(),
        ) {
            (Some([area]), _) => {
                matched.push(Matched {
                    feature: i,
                    code: area.code.clone(),
                    name: area.name.clone(),
                });
                updates.push((area.id, json.to_string()));
            }
            (Some(many), _) => unmatched.push(Unmatched {
                feature: i,
                value: name.clone(),
                reason: format!(
                    "{} areas have this name; give the feature its code (code or adcode)",
                    many.len()
                ),
            }),
            (None, _) => unmatched.push(Unmatched {
                feature: i,
                value: code.clone().or_else(|| name.clone()),
                reason: match (&code, name.as_ref().filter(|_| by != MatchBy::Code)) {
                    (None, None) => format!(
                        "no property {}",
                        code_props
                            .iter()
                            .chain(&name_props)
                            .map(|p| format!("{p:?}"))
                            .collect::<Vec<_>>()
                            .join(" or ")
                    ),
                    (Some(c), None) => format!("no area has the code {c}"),
                    (None, Some(n)) => format!("no area has the name {n}"),
                    (Some(c), Some(n)) => {
                        if by == MatchBy::Code {
                            format!("no area has the code {c}")
                        } else {
                            format!("no area has the code {c} or the name {n}")
                        }
                    }
                },
            }),
        }
    }
    if !broken.is_empty() {
        return Err(AppError::Invalid(broken));
    }
    for (id, boundary) in &updates {
        tx.set_area_boundary(*id, Some(boundary)).await?;
    }
    let now = domain::time::now_ms();
    let mut entry = actor.audit("area.import_boundaries", "area", "*");
    entry.detail = format!("{} matched, {} unmatched", matched.len(), unmatched.len());
    tx.insert_audit(&entry, now).await?;
    let updated: std::collections::HashSet<i64> = updates.iter().map(|u| u.0).collect();
    let with_boundary = tx.area_ids_with_boundary().await?;
    let areas_without_boundary = areas
        .iter()
        .filter(|a| !updated.contains(&a.id) && !with_boundary.contains(&a.id))
        .map(|a| a.code.clone())
        .collect();
    tx.commit().await?;
    Ok(ImportReport {
        features: fc.features.len(),
        matched,
        unmatched_features: unmatched,
        areas_without_boundary,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    async fn demo_app() -> (App, Actor, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let store = store::Store::open_sqlite(dir.path()).await.unwrap();
        crate::demo::generate(&store, crate::demo::Scale::Small, 1)
            .await
            .unwrap();
        let root = store
            .read()
            .await
            .unwrap()
            .area_children(None)
            .await
            .unwrap()
            .remove(0);
        let actor = Actor::command_line(root.id, &root.path);
        (App::new(store, crate::Settings::default()), actor, dir)
    }

    fn square(code: Option<&str>, name: &str, closed: bool) -> serde_json::Value {
        let mut ring = vec![
            json!([120.7, 30.7]),
            json!([120.8, 30.7]),
            json!([120.8, 30.8]),
            json!([120.7, 30.8]),
        ];
        if closed {
            ring.push(json!([120.7, 30.7]));
        } else {
            ring.push(json!([120.75, 30.75]));
        }
        let mut props = json!({"name": name});
        if let Some(c) = code {
            props["code"] = json!(c);
        }
        json!({"type": "Feature", "properties": props, "geometry": {"type": "Polygon", "coordinates": [ring]}})
    }

    #[tokio::test]
    async fn matches_by_code_and_reports_the_rest() {
        let (app, actor, _dir) = demo_app().await;
        let file = json!({"type": "FeatureCollection", "features": [
            square(Some("330402001001"), "金穗社区", true),
            square(Some("999"), "nowhere", true),
            square(None, "no code", true),
        ]});
        let r = import_boundaries(&app, &actor, &file.to_string(), MatchBy::Code, None)
            .await
            .unwrap();
        assert_eq!(r.features, 3);
        assert_eq!(r.matched.len(), 1);
        assert_eq!(r.matched[0].name, "金穗社区");
        assert_eq!(r.unmatched_features.len(), 2);
        assert!(r.unmatched_features[1].reason.contains("no property"));
        let mut tx = app.store.read().await.unwrap();
        let a = tx.area_by_code("330402001001").await.unwrap().unwrap();
        assert!(a.boundary.unwrap().contains("120.8"));
    }

    #[tokio::test]
    async fn ambiguous_names_are_not_guessed() {
        let (app, actor, _dir) = demo_app().await;
        let file = json!({"type": "FeatureCollection", "features": [square(None, "第1微网格", true), square(None, "金穗社区", true)]});
        let r = import_boundaries(&app, &actor, &file.to_string(), MatchBy::Name, None)
            .await
            .unwrap();
        assert_eq!(r.matched.len(), 1);
        assert!(
            r.unmatched_features[0].reason.contains("28 areas"),
            "{:?}",
            r.unmatched_features
        );
    }

    #[tokio::test]
    async fn a_broken_feature_writes_nothing() {
        let (app, actor, _dir) = demo_app().await;
        let before = app
            .store
            .read()
            .await
            .unwrap()
            .area_by_code("330402001001")
            .await
            .unwrap()
            .unwrap()
            .boundary;
        let file = json!({"type": "FeatureCollection", "features": [
            square(Some("330402001001"), "金穗社区", true),
            square(Some("330402001002"), "锦绣社区", false),
        ]});
        let err = import_boundaries(&app, &actor, &file.to_string(), MatchBy::Code, None)
            .await
            .unwrap_err();
        let AppError::Invalid(fields) = err else {
            panic!("{err:?}")
        };
        assert_eq!(fields[0].field, "feature 1 (锦绣社区, 330402001002)");
        assert!(fields[0].message.contains("not closed"));
        let after = app
            .store
            .read()
            .await
            .unwrap()
            .area_by_code("330402001001")
            .await
            .unwrap()
            .unwrap()
            .boundary;
        assert_eq!(before, after);
        let bad =
            import_boundaries(&app, &actor, "{\"type\": \"Point\"", MatchBy::Code, None).await;
        assert!(matches!(bad, Err(AppError::Invalid(f)) if f[0].field == "file"));
    }
}
