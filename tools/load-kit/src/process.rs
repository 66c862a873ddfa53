//! The running server under test: its addresses, readiness (`GET /healthz`
//! answers while the child is still alive), and its CPU time and resident
//! memory as `/proc` reports them. The child is killed when dropped.

use std::net::SocketAddr;
use std::time::Duration;

use tempfile::TempDir;
use tokio::process::Child;
use url::Url;

use crate::error::ServerError;
use crate::procfs;

/// How long the server may take to answer `/healthz`.
const STARTUP: Duration = Duration::from_secs(60);
/// Pause between readiness probes.
const PROBE_INTERVAL: Duration = Duration::from_millis(50);

/// A running server child process.
#[derive(Debug)]
pub struct ServerProcess {
    child: Child,
    pid: u32,
    addr: SocketAddr,
    _data: TempDir,
}

impl ServerProcess {
    /// Takes over a just-spawned `child` listening on `addr` with its data
    /// in `data`, and waits until it is ready.
    pub(crate) async fn ready(
        child: Child,
        addr: SocketAddr,
        data: TempDir,
    ) -> Result<Self, ServerError> {
        let pid = child
            .id()
            .ok_or_else(|| ServerError::NotReady("exited at once".into()))?;
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
    pub fn rss_kib(&self) -> Result<u64, ServerError> {
        let path = format!("/proc/{}/status", self.pid);
        let status = std::fs::read_to_string(path)
            .map_err(ServerError::io("reading the server's status"))?;
        procfs::vm_rss_kib(&status)
            .ok_or_else(|| ServerError::NotReady("no VmRSS line in /proc/<pid>/status".into()))
    }

    /// CPU time the server used so far (user + system), in clock ticks.
    pub fn cpu_ticks(&self) -> Result<u64, ServerError> {
        let path = format!("/proc/{}/stat", self.pid);
        let stat =
            std::fs::read_to_string(path).map_err(ServerError::io("reading the server's stat"))?;
        procfs::cpu_ticks(&stat)
            .ok_or_else(|| ServerError::NotReady("an unreadable stat line".into()))
    }

    /// Kills the server and reaps it.
    pub async fn stop(mut self) {
        // It may already be gone; either way nothing is left to do.
        let _ = self.child.kill().await;
    }

    async fn wait_ready(&mut self) -> Result<(), ServerError> {
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
                .map_err(ServerError::io("polling the server"))?
            {
                return Err(ServerError::NotReady(format!("it exited with {status}")));
            }
            let answered = http.get(url.clone()).send().await;
            if answered.is_ok_and(|response| response.status().is_success()) {
                return Ok(());
            }
            tokio::time::sleep(PROBE_INTERVAL).await;
        }
        Err(ServerError::NotReady(format!(
            "no answer within {STARTUP:?}"
        )))
    }
}
