//! The server under test: a child process of the server binary with its own
//! temporary data directory (also its working directory, so no stray `.env`
//! is read), a free loopback port, the benchmark project's engine
//! credentials and media announced on loopback only. Ready once
//! `GET /healthz` answers. Its CPU time (utime + stime) is read from
//! `/proc/<pid>/stat` and its resident memory from `/proc/<pid>/status`.
//! The child is killed when dropped.

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use tempfile::TempDir;
use tokio::process::{Child, Command};
use url::Url;

use crate::error::LoadError;

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
    /// Starts `binary` with the engine project `key` / `secret` and waits until it is ready.
    pub async fn start(binary: &Path, key: &str, secret: &str) -> Result<Self, LoadError> {
        let binary = std::path::absolute(binary).map_err(LoadError::io("resolving --server"))?;
        if !binary.is_file() {
            return Err(LoadError::MissingServer(binary));
        }
        let data = tempfile::tempdir().map_err(LoadError::io("creating the data directory"))?;
        let addr = free_port()?;
        let mut command = Command::new(&binary);
        if std::env::var_os("RUST_LOG").is_none() {
            command.env("RUST_LOG", "warn");
        }
        let child = command
            .current_dir(data.path())
            .env("DATA_DIR", data.path())
            .env("LEPTOS_SITE_ADDR", addr.to_string())
            .env("ENGINE_API_KEY", key)
            .env("ENGINE_API_SECRET", secret)
            .env("RTC_ANNOUNCED_IPS", "127.0.0.1")
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
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid))
            .map_err(LoadError::io("reading the server's status"))?;
        vm_rss_kib(&status).ok_or_else(|| LoadError::NotReady("no VmRSS in its status".into()))
    }

    /// CPU time the server used so far (user + system), in clock ticks.
    pub fn cpu_ticks(&self) -> Result<u64, LoadError> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid))
            .map_err(LoadError::io("reading the server's stat"))?;
        cpu_ticks(&stat).ok_or_else(|| LoadError::NotReady("an unreadable stat line".into()))
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

/// Clock ticks per second (`getconf CLK_TCK`; 100 on Linux when unknown).
pub fn clock_ticks_per_second() -> u64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|text| text.trim().parse().ok())
        .filter(|ticks| *ticks > 0)
        .unwrap_or(100)
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

/// utime + stime (fields 14 and 15) of a `/proc/<pid>/stat` line. The
/// command name (field 2) may hold spaces and parentheses, so fields are
/// counted from the last `)`.
fn cpu_ticks(stat: &str) -> Option<u64> {
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace().skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(utime + stime)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_time_is_utime_plus_stime_even_with_an_odd_command_name() {
        let stat = "4242 (ser ver) (x)) S 1 4242 4242 0 -1 4194560 500 0 0 0 1234 567 0 0 20 0 9 0";
        assert_eq!(cpu_ticks(stat), Some(1234 + 567));
        assert_eq!(cpu_ticks("4242 (server) S 1"), None);
    }

    #[test]
    fn this_process_has_cpu_time_and_a_resident_size() {
        let stat = std::fs::read_to_string("/proc/self/stat").expect("Linux /proc");
        assert!(cpu_ticks(&stat).is_some());
        let status = std::fs::read_to_string("/proc/self/status").expect("Linux /proc");
        assert!(vm_rss_kib(&status).is_some_and(|kib| kib > 0));
        assert_eq!(vm_rss_kib("VmRSS:\t12 MB\n"), None, "only kB is understood");
        assert!(clock_ticks_per_second() > 0);
    }
}
