//! `zhikong import areas FILE.geojson`: attach GeoJSON boundaries to areas, matching features
//! by area code or by name. A file with any broken geometry writes nothing and lists every
//! broken feature; features that match no area (or several) are reported and skipped.

use std::collections::HashMap;
use std::str::FromStr;

use serde::Serialize;

use crate::map::parse_geometry;
use crate::{Actor, App, AppError, FieldError, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchBy {
    Code,
    Name,
}

impl FromStr for MatchBy {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "code" => Ok(MatchBy::Code),
            "name" => Ok(MatchBy::Name),
            other => Err(format!("--match must be code or name, not {other:?}")),
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

pub async fn import_boundaries(
    app: &App,
    actor: &Actor,
    text: &str,
    by: MatchBy,
    property: Option<&str>,
) -> Result<ImportReport> {
    actor.require(domain::Right::ManageAccounts)?;
    let property = property.unwrap_or(match by {
        MatchBy::Code => "code",
        MatchBy::Name => "name",
    });
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
    let areas = tx.all_areas().await?;
    let mut index: HashMap<&str, Vec<&store::AreaRow>> = HashMap::new();
    for a in &areas {
        let key = match by {
            MatchBy::Code => a.code.as_str(),
            MatchBy::Name => a.name.as_str(),
        };
        index.entry(key).or_default().push(a);
    }

    let mut broken = vec![];
    let mut matched = vec![];
    let mut unmatched = vec![];
    let mut updates: Vec<(i64, String)> = vec![];
    for (i, f) in fc.features.iter().enumerate() {
        let value = f.property(property).map(|v| match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        });
        let label = format!(
            "feature {i}{}",
            value
                .as_deref()
                .map(|v| format!(" ({v})"))
                .unwrap_or_default()
        );
        let Some(geometry) = &f.geometry else {
            broken.push(FieldError::new(&label, "geometry", "has no geometry"));
            continue;
        };
        let json = serde_json::to_value(geometry).map_err(|e| AppError::Internal(e.to_string()))?;
        if let Err(e) = parse_geometry(&json) {
            broken.push(FieldError::new(&label, "geometry", e));
            continue;
        }
        let Some(value) = value else {
            unmatched.push(Unmatched {
                feature: i,
                value: None,
                reason: format!("no property {property:?}"),
            });
            continue;
        };
        match index.get(value.as_str()).map(Vec::as_slice) {
            Some([area]) => {
                matched.push(Matched {
                    feature: i,
                    code: area.code.clone(),
                    name: area.name.clone(),
                });
                updates.push((area.id, json.to_string()));
            }
            Some(many) => unmatched.push(Unmatched {
                feature: i,
                value: Some(value.clone()),
                reason: format!(
                    "{} areas have this {property}; match by code instead",
                    many.len()
                ),
            }),
            None => unmatched.push(Unmatched {
                feature: i,
                value: Some(value.clone()),
                reason: format!(
                    "no area has this {}",
                    if by == MatchBy::Code { "code" } else { "name" }
                ),
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
        assert_eq!(fields[0].field, "feature 1 (330402001002)");
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
