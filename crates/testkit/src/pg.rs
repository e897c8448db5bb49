use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;

use tempfile::TempDir;

use crate::{free_port, missing, shell_quote};

/// A throwaway PostgreSQL cluster in a temporary directory, listening on
/// 127.0.0.1 on a free port, with `trust` authentication for user `postgres`.
///
/// Dropping it stops the server (`pg_ctl stop -m immediate`) and removes the
/// directory; that also happens when a test panics, since `Drop` runs while
/// unwinding. Each cluster also has a watchdog process that does the same once
/// the test process is gone, for the cases where `Drop` never runs
/// ([`PgCluster::shared`], a test killed by a signal).
pub struct PgCluster {
    bin: PathBuf,
    port: u16,
    runner: Runner,
    watchdog: Option<Child>,
    // Last field: removed after `Drop::drop` has stopped the server.
    dir: TempDir,
}

/// How the server-side programs are run. PostgreSQL refuses to run as root,
/// so as root they run as the `postgres` user.
#[derive(Clone, Copy)]
enum Runner {
    Direct,
    Runuser,
    Su,
}

impl PgCluster {
    /// Starts a fresh cluster, or returns `None` (after a loud warning) when no
    /// PostgreSQL binaries are installed. Panics instead when
    /// `ZHIKONG_REQUIRE_POSTGRES=1`, and whenever the binaries exist but the
    /// cluster cannot be started.
    ///
    /// Binaries come from `$ZHIKONG_PG_BIN`, else the highest version in
    /// `/usr/lib/postgresql/*/bin`.
    pub fn start() -> Option<PgCluster> {
        match find_bin() {
            Ok(bin) => Some(Self::start_in(bin)),
            Err(detail) => {
                missing(
                    "PostgreSQL binaries",
                    &detail,
                    "PostgreSQL conformance",
                    "apt-get install postgresql-15",
                    "ZHIKONG_REQUIRE_POSTGRES",
                );
                None
            }
        }
    }

    /// One cluster per test process, started on first use. Give each test its
    /// own database with [`PgCluster::create_database`].
    ///
    /// Statics are never dropped, so this cluster is stopped and its directory
    /// removed by its watchdog process once the test process has exited.
    pub fn shared() -> Option<&'static PgCluster> {
        static SHARED: OnceLock<Option<PgCluster>> = OnceLock::new();
        SHARED.get_or_init(PgCluster::start).as_ref()
    }

    fn start_in(bin: PathBuf) -> PgCluster {
        let runner = if !is_root() {
            Runner::Direct
        } else if succeeds(Command::new("runuser").arg("--version")) {
            Runner::Runuser
        } else {
            Runner::Su
        };
        // Under /tmp, which the postgres user can traverse; the directory
        // itself is 0700 and, as root, handed to postgres.
        let dir = tempfile::Builder::new()
            .prefix("zhikong-pg-")
            .tempdir()
            .expect("create temp dir for PostgreSQL");
        if !matches!(runner, Runner::Direct) {
            let out = Command::new("chown")
                .arg("postgres:")
                .arg(dir.path())
                .output()
                .expect("run chown");
            check(
                &out,
                "chown postgres: <tempdir> (is there a `postgres` user?)",
            );
        }
        let mut cluster = PgCluster {
            bin,
            port: 0,
            runner,
            watchdog: None,
            dir,
        };
        let data = cluster.data_dir();
        let mut initdb = vec!["-D", &data];
        initdb.extend("-A trust -U postgres --no-sync -E UTF8 --locale=C".split(' '));
        let out = cluster
            .server_cmd("initdb", &initdb)
            .output()
            .expect("run initdb");
        check(&out, "initdb");

        // The port was free a moment ago; another process may grab it first.
        for attempt in 1..=3 {
            cluster.port = free_port();
            let out = cluster.pg_ctl_start();
            if out.status.success() {
                break;
            }
            if attempt == 3 {
                let log = std::fs::read_to_string(cluster.log_file()).unwrap_or_default();
                check(&out, &format!("pg_ctl start\n--- server log ---\n{log}"));
            }
        }
        cluster.watchdog = Some(cluster.spawn_watchdog());
        cluster
    }

    fn log_file(&self) -> PathBuf {
        self.dir.path().join("log")
    }

    fn pg_ctl_start(&self) -> Output {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off \
             -c synchronous_commit=off -c full_page_writes=off",
            self.port,
            self.dir.path().display(),
        );
        let log = self.log_file();
        let log = log.to_str().expect("utf-8 temp path");
        self.server_cmd(
            "pg_ctl",
            &[
                "start",
                "-w",
                "-D",
                &self.data_dir(),
                "-l",
                log,
                "-o",
                &options,
            ],
        )
        .output()
        .expect("run pg_ctl start")
    }

    /// Stops the server as an outage would (`pg_ctl stop -m fast`: open connections are cut),
    /// keeping its data; [`PgCluster::start_again`] brings it back on the same port.
    pub fn stop(&self) {
        let out = self
            .server_cmd(
                "pg_ctl",
                &["stop", "-w", "-m", "fast", "-D", &self.data_dir()],
            )
            .output()
            .expect("run pg_ctl stop");
        check(&out, "pg_ctl stop");
    }

    /// Starts a server stopped by [`PgCluster::stop`] again, on the same port and data.
    pub fn start_again(&self) {
        let out = self.pg_ctl_start();
        let log = std::fs::read_to_string(self.log_file()).unwrap_or_default();
        check(&out, &format!("pg_ctl start\n--- server log ---\n{log}"));
    }

    /// `postgres://postgres@127.0.0.1:PORT/postgres`
    pub fn url(&self) -> String {
        self.database_url("postgres")
    }

    /// Creates database `name` (letters, digits, `_`) and returns its URL.
    pub fn create_database(&self, name: &str) -> String {
        assert!(
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "database name must be [A-Za-z0-9_]+, got {name:?}"
        );
        let out = Command::new(self.bin.join("createdb"))
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                "postgres",
                name,
            ])
            .output()
            .expect("run createdb");
        check(&out, &format!("createdb {name}"));
        self.database_url(name)
    }

    /// Runs `sql` with `psql` in `database` and returns its unaligned,
    /// tuples-only output, trimmed. Panics when psql fails.
    pub fn psql(&self, database: &str, sql: &str) -> String {
        let out = Command::new(self.bin.join("psql"))
            .args([
                "-X",
                "-A",
                "-t",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                "127.0.0.1",
                "-U",
            ])
            .args([
                "postgres",
                "-p",
                &self.port.to_string(),
                "-d",
                database,
                "-c",
                sql,
            ])
            .output()
            .expect("run psql");
        check(&out, &format!("psql -c {sql:?}"));
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The directory holding the PostgreSQL programs (psql, pg_dump, …).
    pub fn bin_dir(&self) -> &Path {
        &self.bin
    }

    /// The cluster's temporary directory (data directory, socket, server log).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    fn database_url(&self, name: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    fn data_dir(&self) -> String {
        let data = self.dir.path().join("data");
        data.to_str().expect("utf-8 temp path").to_owned()
    }

    /// argv for a server-side program, run as `postgres` when we are root.
    fn server_argv(&self, program: &str, args: &[&str]) -> Vec<String> {
        let program = self.bin.join(program).to_string_lossy().into_owned();
        let direct = std::iter::once(program).chain(args.iter().map(|a| a.to_string()));
        match self.runner {
            Runner::Direct => direct.collect(),
            Runner::Runuser => ["runuser", "-u", "postgres", "--"]
                .into_iter()
                .map(String::from)
                .chain(direct)
                .collect(),
            Runner::Su => {
                let line = direct
                    .map(|a| shell_quote(&a))
                    .collect::<Vec<_>>()
                    .join(" ");
                ["su", "postgres", "-s", "/bin/sh", "-c", &line]
                    .into_iter()
                    .map(String::from)
                    .collect()
            }
        }
    }

    fn server_cmd(&self, program: &str, args: &[&str]) -> Command {
        let argv = self.server_argv(program, args);
        let mut cmd = Command::new(&argv[0]);
        // The test's working directory may not be readable by postgres.
        cmd.args(&argv[1..]).current_dir(self.dir.path());
        cmd
    }

    fn stop_argv(&self) -> Vec<String> {
        self.server_argv(
            "pg_ctl",
            &["stop", "-m", "immediate", "-D", &self.data_dir()],
        )
    }

    /// A detached `sh` that polls this process and, once it is gone, stops the
    /// server and removes the directory. Without libc there is no
    /// prctl(PR_SET_PDEATHSIG), and a static's `Drop` never runs, so this is
    /// the simplest way to never leak a postmaster. It gets its own process
    /// group so a Ctrl-C on the test run does not kill it before it cleans up.
    fn spawn_watchdog(&self) -> Child {
        let stop = self
            .stop_argv()
            .iter()
            .map(|a| shell_quote(a))
            .collect::<Vec<_>>();
        let script = format!(
            "while kill -0 \"$1\" 2>/dev/null; do sleep 1; done; {}; rm -rf {}",
            stop.join(" "),
            shell_quote(&self.dir.path().to_string_lossy()),
        );
        std::os::unix::process::CommandExt::process_group(
            Command::new("sh")
                .args(["-c", &script, "sh", &std::process::id().to_string()])
                .current_dir("/")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
            0,
        )
        .spawn()
        .expect("spawn PostgreSQL watchdog")
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        if let Some(mut watchdog) = self.watchdog.take() {
            let _ = watchdog.kill();
            let _ = watchdog.wait();
        }
        let argv = self.stop_argv();
        let _ = Command::new(&argv[0])
            .args(&argv[1..])
            .current_dir(self.dir.path())
            .output();
        // `self.dir` (TempDir) removes the directory when it drops next.
    }
}

fn find_bin() -> Result<PathBuf, String> {
    if let Some(bin) = std::env::var_os("ZHIKONG_PG_BIN") {
        let bin = PathBuf::from(bin);
        return if bin.join("initdb").is_file() {
            Ok(bin)
        } else {
            Err(format!("no initdb in ZHIKONG_PG_BIN={}", bin.display()))
        };
    }
    let root = Path::new("/usr/lib/postgresql");
    let version = |p: &Path| -> Vec<u32> {
        let name = p.file_name().unwrap_or_default().to_string_lossy();
        name.split('.').map(|n| n.parse().unwrap_or(0)).collect()
    };
    std::fs::read_dir(root)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|p| p.join("bin/initdb").is_file())
        .max_by_key(|p| version(p))
        .map(|p| p.join("bin"))
        .ok_or_else(|| "no /usr/lib/postgresql/*/bin/initdb, ZHIKONG_PG_BIN unset".to_owned())
}

fn is_root() -> bool {
    // The first `Uid:` field is the real uid.
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    match status.lines().find_map(|l| l.strip_prefix("Uid:")) {
        Some(uids) => uids.split_whitespace().next() == Some("0"),
        None => Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0"),
    }
}

fn succeeds(cmd: &mut Command) -> bool {
    cmd.stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn check(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
}
