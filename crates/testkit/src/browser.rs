use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::task::Poll;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use tempfile::TempDir;

use crate::{artifacts_dir, find_in_path, free_port, missing};

const INSTALL: &str = "apt-get install chromium chromium-driver fonts-noto-cjk";

/// Headless Chromium behind a private chromedriver, driven with fantoccini.
///
/// Prefer [`Browser::close`] at the end of a test; dropping it (also on panic)
/// kills chromedriver and the Chromium it started.
pub struct Browser {
    client: Option<Client>,
    driver: Child,
    profile: TempDir,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium session, or returns `None`
    /// (after a loud warning) when either program is not installed. Panics
    /// instead when `ZHIKONG_REQUIRE_BROWSER=1`, and whenever the programs
    /// exist but do not start.
    pub async fn start() -> Option<Browser> {
        let chromedriver = find_program("chromedriver");
        let chromium = find_program("chromium");
        let (Some(chromedriver), Some(chromium)) = (chromedriver, chromium) else {
            missing(
                "Chromium/chromedriver",
                "need chromedriver and chromium in /usr/bin or PATH",
                "Browser (end-to-end)",
                INSTALL,
                "ZHIKONG_REQUIRE_BROWSER",
            );
            return None;
        };
        let profile = tempfile::Builder::new()
            .prefix("zhikong-chromium-")
            .tempdir()
            .expect("create Chromium profile dir");
        let (driver, port) = spawn_driver(&chromedriver, profile.path()).await;
        let mut browser = Browser {
            client: None,
            driver,
            profile,
        };

        let user_data_dir = browser.profile.path().join("profile");
        let args = [
            "--headless",
            "--no-sandbox", // Chromium's sandbox does not work as root.
            "--disable-gpu",
            // The machine has no network; without these Chromium keeps trying.
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--window-size=1280,900",
            &format!("--user-data-dir={}", user_data_dir.display()),
        ];
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({ "binary": chromium, "args": args }),
        );
        let connected = ClientBuilder::native()
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await;
        match connected {
            Ok(client) => browser.client = Some(client),
            Err(e) => panic!(
                "cannot start a Chromium session: {e}\n--- chromedriver log ---\n{}",
                browser.driver_log()
            ),
        }
        Some(browser)
    }

    pub fn client(&self) -> &Client {
        self.client.as_ref().expect("browser session is open")
    }

    /// Saves a PNG of the current viewport as
    /// `<artifacts>/screenshots/<name>.png` (see [`crate::artifacts_dir`]) and
    /// returns its path. Panics on failure.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        match self.try_screenshot(name).await {
            Ok(path) => path,
            Err(e) => panic!("screenshot {name:?} failed: {e}"),
        }
    }

    /// Runs one browser test step. When it returns `Err` or panics, a
    /// screenshot named `name` is saved first, then the error is returned or
    /// the panic resumed:
    ///
    /// ```ignore
    /// browser.run("login_page", async |c| {
    ///     c.goto(&url).await?;
    ///     assert_eq!(c.title().await?, "登录");
    ///     Ok::<_, fantoccini::error::CmdError>(())
    /// }).await?;
    /// ```
    pub async fn run<T, E>(
        &self,
        name: &str,
        step: impl AsyncFnOnce(&Client) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut fut = std::pin::pin!(step(self.client()));
        // A hand-rolled `catch_unwind` for futures, to stay on std.
        let outcome = std::future::poll_fn(|cx| {
            match catch_unwind(AssertUnwindSafe(|| fut.as_mut().poll(cx))) {
                Ok(Poll::Pending) => Poll::Pending,
                Ok(Poll::Ready(result)) => Poll::Ready(Ok(result)),
                Err(panic) => Poll::Ready(Err(panic)),
            }
        })
        .await;
        if !matches!(outcome, Ok(Ok(_))) {
            match self.try_screenshot(name).await {
                Ok(path) => eprintln!(
                    "browser step {name:?} failed; screenshot: {}",
                    path.display()
                ),
                Err(e) => eprintln!("browser step {name:?} failed; no screenshot: {e}"),
            }
        }
        outcome.unwrap_or_else(|panic| resume_unwind(panic))
    }

    /// Ends the WebDriver session (which quits Chromium), then stops
    /// chromedriver.
    pub async fn close(mut self) {
        if let Some(client) = self.client.take() {
            let _ = client.close().await;
        }
    }

    async fn try_screenshot(&self, name: &str) -> Result<PathBuf, Box<dyn std::error::Error>> {
        let png = self.client().screenshot().await?;
        let dir = artifacts_dir().join("screenshots");
        std::fs::create_dir_all(&dir)?;
        let file: String = name
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let path = dir.join(format!("{file}.png"));
        std::fs::write(&path, png)?;
        Ok(path)
    }

    fn driver_log(&self) -> String {
        std::fs::read_to_string(self.profile.path().join("chromedriver.log")).unwrap_or_default()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // chromedriver leads its own process group (see `spawn_driver`) and
        // Chromium inherits it, so one kill takes them all, even when the
        // session was never closed.
        // (The shell's builtin `kill`: procps may not be installed.)
        let _ = Command::new("sh")
            .args([
                "-c",
                "kill -KILL -\"$1\"",
                "sh",
                &self.driver.id().to_string(),
            ])
            .stderr(Stdio::null())
            .status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn find_program(name: &str) -> Option<PathBuf> {
    let usr_bin = Path::new("/usr/bin").join(name);
    if usr_bin.is_file() {
        Some(usr_bin)
    } else {
        find_in_path(name)
    }
}

/// Starts chromedriver on a free port and waits until it accepts connections.
async fn spawn_driver(chromedriver: &Path, dir: &Path) -> (Child, u16) {
    let log_path = dir.join("chromedriver.log");
    // The port was free a moment ago; another process may grab it first.
    for _attempt in 0..3 {
        let port = free_port();
        let log = std::fs::File::create(&log_path).expect("create chromedriver log");
        let mut driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("dup log file"))
            .stderr(log)
            .process_group(0)
            .spawn()
            .expect("spawn chromedriver");
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return (driver, port);
            }
            if driver.try_wait().ok().flatten().is_some() {
                break; // exited: most likely the port was taken; try another.
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let _ = driver.kill();
        let _ = driver.wait();
    }
    panic!(
        "chromedriver did not start:\n{}",
        std::fs::read_to_string(&log_path).unwrap_or_default()
    );
}
