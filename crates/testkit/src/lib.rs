//! Test harness pieces shared by the workspace's tests:
//!
//! - [`PgCluster`]: a throwaway PostgreSQL cluster built from the local binaries,
//! - [`Browser`]: headless Chromium driven through chromedriver with fantoccini.
//!
//! Both *skip* (return `None` after a loud warning on stderr) when their
//! programs are not installed, unless `ZHIKONG_REQUIRE_POSTGRES=1` /
//! `ZHIKONG_REQUIRE_BROWSER=1` is set, in which case they panic. CI sets both.
//! When the programs are there but fail to start, they always panic.

mod browser;
mod pg;

pub use browser::Browser;
pub use fantoccini;
pub use pg::PgCluster;

use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A TCP port that was free a moment ago. There is a small race between
/// dropping the listener and the server binding it; callers retry on failure.
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local_addr").port()
}

fn env_flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| v == "1" || v.eq_ignore_ascii_case("true"))
}

/// Either panics (when `require_var` is set) or prints, once per process and
/// kind, a banner that is hard to miss, so the caller can skip.
fn missing(what: &str, detail: &str, skipped: &str, install: &str, require_var: &str) {
    if env_flag(require_var) {
        panic!("{what} not found ({detail}) but {require_var}=1 is set; install with: {install}");
    }
    static WARNED: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let mut warned = WARNED.lock().unwrap_or_else(|e| e.into_inner());
    if warned.iter().any(|w| w == what) {
        return;
    }
    warned.push(what.to_owned());
    let bar = "!".repeat(78);
    let banner = format!(
        "\n{bar}\n!! {what} not found ({detail}).\n!! {skipped} tests SKIPPED.\n\
         !! Install with: {install}\n!! Set {require_var}=1 to make this an error.\n{bar}\n\n"
    );
    // Straight to the stderr handle: `eprintln!` output is captured by the
    // test harness and only shown for failing tests.
    let _ = std::io::stderr().write_all(banner.as_bytes());
}

/// First executable named `name` in `$PATH`.
fn find_in_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// Directory for test artifacts (screenshots, …): `$ZHIKONG_ARTIFACTS`, or
/// `<workspace root>/test-artifacts`.
pub fn artifacts_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("ZHIKONG_ARTIFACTS") {
        return PathBuf::from(dir);
    }
    // Cargo sets CARGO_MANIFEST_DIR at run time for the crate under test; fall
    // back to this crate's own directory (compile time), which is in the same
    // workspace.
    let start = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    let root = start
        .ancestors()
        .find(|dir| is_workspace_root(dir))
        .unwrap_or(&start);
    root.join("test-artifacts")
}

fn is_workspace_root(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("Cargo.toml")).is_ok_and(|s| s.contains("[workspace]"))
}

/// Quote `s` for a POSIX shell.
fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}
