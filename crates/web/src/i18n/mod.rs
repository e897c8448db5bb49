//! Interface language: zh-CN by default, English on request (`/lang/en`, remembered in a
//! cookie). Texts live in tables, one per area of work; a missing translation is a test failure.

pub mod areas_admin;
mod checkpoints;
mod codes;
mod command;
mod economy;
mod enterprise;
mod jobs;
mod quarantine;
mod risk_areas;
mod shell;

use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub fn from_tag(tag: &str) -> Option<Lang> {
        match tag {
            "zh" | "zh-CN" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    pub fn html_lang(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The other language, for the switch in the header.
    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    /// Text for `key`; the key itself if the table lacks it (a test checks it never does).
    pub fn t(self, key: &str) -> &'static str {
        match all().find(|(k, _, _)| *k == key) {
            Some((_, zh, en)) => match self {
                Lang::Zh => zh,
                Lang::En => en,
            },
            None => leak_missing(key),
        }
    }
}

fn leak_missing(key: &str) -> &'static str {
    // Only reached for keys outside the table, which the test below forbids; the leak is
    // bounded by the number of distinct keys in the templates.
    Box::leak(key.to_owned().into_boxed_str())
}

/// One table per area of work, so that each can grow without touching the others.
pub const TABLES: &[&[Text]] = &[
    shell::TEXTS,
    codes::TEXTS,
    checkpoints::TEXTS,
    economy::TEXTS,
    risk_areas::TEXTS,
    enterprise::TEXTS,
    command::TEXTS,
    quarantine::TEXTS,
    jobs::TEXTS,
    areas_admin::TEXTS,
];

/// (key, zh-CN, en)
pub type Text = (&'static str, &'static str, &'static str);

fn all() -> impl Iterator<Item = &'static Text> {
    TABLES.iter().flat_map(|t| t.iter())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_used_in_templates_is_translated() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
        let mut missing = vec![];
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for part in text.split("t(\"").skip(1) {
                let key = &part[..part.find('"').unwrap()];
                if !all().any(|(k, _, _)| *k == key) {
                    missing.push(key.to_owned());
                }
            }
        }
        assert!(missing.is_empty(), "untranslated keys: {missing:?}");
    }

    #[test]
    fn keys_are_unique() {
        let mut keys: Vec<_> = all().map(|(k, _, _)| k).collect();
        keys.sort();
        let n = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), n);
    }
}
