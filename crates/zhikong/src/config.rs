//! Configuration: command-line flags win over `ZHIKONG_*` environment variables (both handled
//! by clap), which win over the TOML file (`--config FILE`, else `DATA/zhikong.toml` if it
//! exists), which wins over the defaults.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

/// The TOML file; every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub data: Option<PathBuf>,
    pub database: Option<String>,
    pub listen: Option<String>,
    pub session_minutes: Option<i64>,
    pub login_max_failures_per_user: Option<i64>,
    pub login_max_failures_per_addr: Option<i64>,
    pub login_window_minutes: Option<i64>,
    /// The day to treat as today (YYYY-MM-DD), for drills; a replayed demo sets its own.
    pub as_of: Option<String>,
    /// How long an issued health-code credential lives, in seconds (default 300).
    pub code_ttl_seconds: Option<i64>,
    /// Where the daily backup job writes its archives (default DATA/backups).
    pub backup_dir: Option<PathBuf>,
    /// How many daily backups to keep (default 14).
    pub backup_keep: Option<usize>,
}

impl FileConfig {
    /// Read `explicit` (an error if missing) or `DATA/zhikong.toml` (skipped if missing).
    pub fn load(explicit: Option<&Path>, data: &Path) -> anyhow::Result<FileConfig> {
        let (path, required) = match explicit {
            Some(p) => (p.to_path_buf(), true),
            None => (data.join("zhikong.toml"), false),
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                toml::from_str(&text).with_context(|| format!("config file {}", path.display()))
            }
            Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => {
                Ok(FileConfig::default())
            }
            Err(e) => Err(e).with_context(|| format!("cannot read config file {}", path.display())),
        }
    }

    pub fn settings(&self) -> anyhow::Result<app::Settings> {
        let d = app::Settings::default();
        let s = app::Settings {
            session_minutes: self.session_minutes.unwrap_or(d.session_minutes),
            login_max_failures_per_user: self
                .login_max_failures_per_user
                .unwrap_or(d.login_max_failures_per_user),
            login_max_failures_per_addr: self
                .login_max_failures_per_addr
                .unwrap_or(d.login_max_failures_per_addr),
            login_window_minutes: self.login_window_minutes.unwrap_or(d.login_window_minutes),
            as_of: self
                .as_of
                .as_deref()
                .map(|s| {
                    s.parse()
                        .with_context(|| format!("config: as_of {s:?} is not a date (YYYY-MM-DD)"))
                })
                .transpose()?,
        };
        for (name, v) in [
            ("session_minutes", s.session_minutes),
            ("login_max_failures_per_user", s.login_max_failures_per_user),
            ("login_max_failures_per_addr", s.login_max_failures_per_addr),
            ("login_window_minutes", s.login_window_minutes),
        ] {
            anyhow::ensure!(v > 0, "config: {name} must be a positive number, got {v}");
        }
        Ok(s)
    }
}

impl FileConfig {
    pub fn code_ttl(&self) -> anyhow::Result<credential::chrono::TimeDelta> {
        match self.code_ttl_seconds {
            None => Ok(app::codes::default_ttl()),
            Some(s) if (30..=86_400).contains(&s) => Ok(credential::chrono::TimeDelta::seconds(s)),
            Some(s) => anyhow::bail!("config: code_ttl_seconds must be 30 to 86400, got {s}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("z.toml");
        std::fs::write(&f, "listen = \"127.0.0.1:9\"\nbogus = 1\n").unwrap();
        let err = FileConfig::load(Some(&f), dir.path()).unwrap_err();
        assert!(format!("{err:#}").contains("bogus"), "{err:#}");
    }

    #[test]
    fn missing_default_file_is_fine_but_explicit_is_not() {
        let dir = tempfile::tempdir().unwrap();
        assert!(FileConfig::load(None, dir.path()).is_ok());
        assert!(FileConfig::load(Some(&dir.path().join("nope.toml")), dir.path()).is_err());
    }

    #[test]
    fn settings_must_be_positive() {
        let c = FileConfig {
            session_minutes: Some(0),
            ..Default::default()
        };
        assert!(c.settings().is_err());
    }
}
