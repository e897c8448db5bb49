//! The demo is whole or absent (issue 14, item 9): `zhikong demo` killed at a random moment
//! leaves a database that is empty, holds the complete demo, or is marked as an interrupted
//! build that `stats` and `serve` refuse to use; running `demo` again finishes the job, with
//! exactly the counts of an uninterrupted run.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The database options of one trial: a data directory, and a PostgreSQL URL or not.
struct Place {
    data: tempfile::TempDir,
    database: Option<String>,
}

impl Place {
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_zhikong"));
        cmd.arg("--data").arg(self.data.path());
        if let Some(url) = &self.database {
            cmd.args(["--database", url]);
        }
        cmd.args(args).env("ZHIKONG_LOG", "warn");
        cmd
    }

    /// `demo --scale small` to the end; its wall time.
    fn demo(&self) -> Duration {
        let started = Instant::now();
        let out = self
            .command(&["demo", "--scale", "small"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "demo: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        started.elapsed()
    }

    /// `stats --json`: the counts, or the refusal's message.
    fn stats(&self) -> Result<serde_json::Value, String> {
        let out = self.command(&["stats", "--json"]).output().unwrap();
        if out.status.success() {
            Ok(serde_json::from_slice(&out.stdout).unwrap())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    }
}

/// A moment to kill at, spread over the run and varied from one test run to the next.
fn delays(run: Duration, trials: u32) -> Vec<Duration> {
    let noise = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    (0..trials)
        .map(|i| {
            // Trial i falls in the i-th slice of the run, at a position the clock chooses.
            let within = f64::from((noise >> (i * 4)) % 16) / 16.0;
            run.mul_f64((f64::from(i) + within) / f64::from(trials) * 0.95)
        })
        .collect()
}

fn kill_and_check(
    fresh: impl Fn(u32) -> Place,
    trials: u32,
    empty: &serde_json::Value,
    whole: &serde_json::Value,
    run: Duration,
) {
    for (i, delay) in delays(run, trials).into_iter().enumerate() {
        let place = fresh(i as u32 + 1);
        let mut child = place
            .command(&["demo", "--scale", "small"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL: no chance to clean up
        let status = child.wait().unwrap();
        match place.stats() {
            Ok(counts) => assert!(
                counts == *empty || counts == *whole,
                "killed after {delay:?} ({status}): neither empty nor whole: {counts}"
            ),
            Err(message) => assert!(
                message.contains("interrupted"),
                "killed after {delay:?}: stats failed otherwise: {message}"
            ),
        }
        // Started again, it finishes the job (or says the complete demo is there).
        let out = place
            .command(&["demo", "--scale", "small"])
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() || said.contains("already holds"),
            "demo again after a kill at {delay:?}: {said}"
        );
        assert_eq!(
            place.stats().as_ref(),
            Ok(whole),
            "after a kill at {delay:?} and a second run"
        );
        eprintln!("killed after {delay:?} ({status}): whole after the second run");
    }
}

fn sqlite_place(_: u32) -> Place {
    Place {
        data: tempfile::tempdir().unwrap(),
        database: None,
    }
}

#[test]
fn a_killed_demo_on_sqlite_is_empty_or_whole_and_finishes_when_run_again() {
    let reference = sqlite_place(0);
    let empty = reference.stats().unwrap();
    let run = reference.demo();
    let whole = reference.stats().unwrap();
    assert_ne!(empty, whole);
    kill_and_check(sqlite_place, 4, &empty, &whole, run);
}

#[test]
fn a_killed_demo_on_postgres_is_empty_or_whole_and_finishes_when_run_again() {
    let Some(pg) = testkit::PgCluster::shared() else {
        return;
    };
    let place = |i: u32| Place {
        data: tempfile::tempdir().unwrap(),
        database: Some(pg.create_database(&format!("demo_kill_{i}"))),
    };
    let reference = place(0);
    let empty = reference.stats().unwrap();
    let run = reference.demo();
    let whole = reference.stats().unwrap();
    kill_and_check(place, 2, &empty, &whole, run);
}
