//! The server under test: a child process of the server binary with its own
//! temporary data directory (also its working directory, so no stray `.env`
//! is read), a free loopback port and the benchmark project's engine
//! credentials. Ready once `GET /healthz` answers; its resident memory is
//! read from `/proc/<pid>/status`. The child is killed when dropped.

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use tempfile::TempDir;
use tokio::process::{Child, Command};
use url::Url;

use crate::error::LoadError;
use crate::project::Project;

/// How long the server may take to answer `/healthz`.
const STARTUP: Duration = Duration::from_secs(60);
/// Pause between readiness probes.
const PROBE_INTERVAL: Duration = Duration::from_millis(50);
/// The server's log filter unless `RUST_LOG` is set: warnings, but not
/// sqlx's slow-pool-acquire warnings that thousands of joins provoke.
const QUIET_LOG: &str = "warn,sqlx=error";

/// A running server child process.
#[derive(Debug)]
pub struct ServerProcess {
    child: Child,
    pid: u32,
    addr: SocketAddr,
    _data: TempDir,
}

impl ServerProcess {
    /// Starts `binary` for `project` and waits until it is ready.
    pub async fn start(binary: &Path, project: &Project) -> Result<Self, LoadError> {
        let binary = std::path::absolute(binary).map_err(LoadError::io("resolving --server"))?;
        if !binary.is_file() {
            return Err(LoadError::MissingServer(binary));
        }
        let data = tempfile::tempdir().map_err(LoadError::io("creating the data directory"))?;
        let addr = free_port()?;
        let mut command = Command::new(&binary);
        if std::env::var_os("RUST_LOG").is_none() {
            command.env("RUST_LOG", QUIET_LOG);
        }
        let child = command
            .current_dir(data.path())
            .env("DATA_DIR", data.path())
            .env("LEPTOS_SITE_ADDR", addr.to_string())
            .env("ENGINE_API_KEY", project.api_key())
            .env("ENGINE_API_SECRET", project.api_secret())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .map_err(LoadError::io("spawning the server"))?;
        let pid = child
            .id()
            .ok_or_else(|| LoadError::NotReady("exited at once".into()))?;
        let mut server = ServerProcess {
            child,
            pid,
            addr,
            _data: data,
        };
        server.wait_ready().await?;
        Ok(server)
    }

    /// `http://127.0.0.1:<port>/`.
    pub fn base_url(&self) -> Url {
        Url::parse(&format!("http://{}/", self.addr)).expect("a socket address forms a URL")
    }

    /// `ws://127.0.0.1:<port>/rtc`.
    pub fn hub_url(&self) -> String {
        format!("ws://{}/rtc", self.addr)
    }

    /// The server's resident memory (VmRSS), in KiB.
    pub fn rss_kib(&self) -> Result<u64, LoadError> {
        let path = format!("/proc/{}/status", self.pid);
        let status =
            std::fs::read_to_string(path).map_err(LoadError::io("reading the server's status"))?;
        vm_rss_kib(&status)
            .ok_or_else(|| LoadError::NotReady("no VmRSS line in /proc/<pid>/status".into()))
    }

    /// Kills the server and reaps it.
    pub async fn stop(mut self) {
        // It may already be gone; either way nothing is left to do.
        let _ = self.child.kill().await;
    }

    async fn wait_ready(&mut self) -> Result<(), LoadError> {
        let url = self
            .base_url()
            .join("healthz")
            .expect("a fixed path joins any base URL");
        let http = reqwest::Client::new();
        let deadline = tokio::time::Instant::now() + STARTUP;
        while tokio::time::Instant::now() < deadline {
            if let Some(status) = self
                .child
                .try_wait()
                .map_err(LoadError::io("polling the server"))?
            {
                return Err(LoadError::NotReady(format!("it exited with {status}")));
            }
            let answered = http.get(url.clone()).send().await;
            if answered.is_ok_and(|response| response.status().is_success()) {
                return Ok(());
            }
            tokio::time::sleep(PROBE_INTERVAL).await;
        }
        Err(LoadError::NotReady(format!("no answer within {STARTUP:?}")))
    }
}

/// A loopback address whose port was free a moment ago.
fn free_port() -> Result<SocketAddr, LoadError> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .map_err(LoadError::io("finding a free port"))?;
    listener
        .local_addr()
        .map_err(LoadError::io("finding a free port"))
}

/// The `VmRSS:` value of a `/proc/<pid>/status` text, in KiB.
fn vm_rss_kib(status: &str) -> Option<u64> {
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    let mut words = line["VmRSS:".len()..].split_whitespace();
    let value = words.next()?.parse().ok()?;
    (words.next() == Some("kB")).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resident_memory_is_read_from_the_vmrss_line() {
        let status = "Name:\tserver\nVmPeak:\t  900 kB\nVmRSS:\t   12345 kB\nThreads:\t3\n";
        assert_eq!(vm_rss_kib(status), Some(12345));
        assert_eq!(vm_rss_kib("Name:\tserver\n"), None);
        assert_eq!(vm_rss_kib("VmRSS:\t12 MB\n"), None, "only kB is understood");
    }

    #[test]
    fn this_process_has_a_resident_size() {
        let status = std::fs::read_to_string("/proc/self/status").expect("Linux /proc");
        assert!(vm_rss_kib(&status).is_some_and(|kib| kib > 0));
    }

    #[test]
    fn free_ports_are_on_loopback() {
        let addr = free_port().expect("a free port");
        assert!(addr.ip().is_loopback() && addr.port() != 0);
    }
}
