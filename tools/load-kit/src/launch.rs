//! How the server under test is started: the binary, the engine project's
//! credentials, a log filter (unless `RUST_LOG` is set) and any extra
//! environment a tool needs. The child runs in a fresh temporary data
//! directory — also its working directory, so no stray `.env` is read — on a
//! loopback port that was free a moment before.

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::Path;
use std::process::Stdio;

use tokio::process::Command;

use crate::error::ServerError;
use crate::process::ServerProcess;

/// The server's log filter unless `RUST_LOG` is set or a tool picks another.
const DEFAULT_LOG: &str = "warn";

/// A server start, built up and then [`started`](Launch::start).
/// `Debug` hides the API secret.
#[derive(Clone)]
pub struct Launch<'a> {
    binary: &'a Path,
    api_key: &'a str,
    api_secret: &'a str,
    log: &'a str,
    env: Vec<(&'a str, &'a str)>,
}

impl<'a> Launch<'a> {
    /// Starts `binary` with the engine project `api_key` / `api_secret`
    /// (`ENGINE_API_KEY`, `ENGINE_API_SECRET`) and the log filter `warn`.
    pub fn new(binary: &'a Path, api_key: &'a str, api_secret: &'a str) -> Self {
        Launch {
            binary,
            api_key,
            api_secret,
            log: DEFAULT_LOG,
            env: Vec::new(),
        }
    }

    /// The server's `RUST_LOG` when the tool itself runs without one.
    pub fn log_filter(mut self, filter: &'a str) -> Self {
        self.log = filter;
        self
    }

    /// One more environment variable for the server (not for secrets:
    /// `Debug` shows it).
    pub fn env(mut self, name: &'a str, value: &'a str) -> Self {
        self.env.push((name, value));
        self
    }

    /// Spawns the server and waits until it answers `/healthz`.
    pub async fn start(&self) -> Result<ServerProcess, ServerError> {
        let binary =
            std::path::absolute(self.binary).map_err(ServerError::io("resolving --server"))?;
        if !binary.is_file() {
            return Err(ServerError::MissingServer(binary));
        }
        let data = tempfile::tempdir().map_err(ServerError::io("creating the data directory"))?;
        let addr = free_port()?;
        let child = self
            .command(&binary, data.path(), addr)
            .spawn()
            .map_err(ServerError::io("spawning the server"))?;
        ServerProcess::ready(child, addr, data).await
    }

    /// The command for `binary` with data in `data` listening on `addr`.
    fn command(&self, binary: &Path, data: &Path, addr: SocketAddr) -> Command {
        let mut command = Command::new(binary);
        if std::env::var_os("RUST_LOG").is_none() {
            command.env("RUST_LOG", self.log);
        }
        command
            .current_dir(data)
            .env("DATA_DIR", data)
            .env("LEPTOS_SITE_ADDR", addr.to_string())
            .env("ENGINE_API_KEY", self.api_key)
            .env("ENGINE_API_SECRET", self.api_secret)
            .envs(self.env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .kill_on_drop(true);
        command
    }
}

impl fmt::Debug for Launch<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Launch")
            .field("binary", &self.binary)
            .field("api_key", &self.api_key)
            .field("api_secret", &"[redacted]")
            .field("log", &self.log)
            .field("env", &self.env)
            .finish()
    }
}

/// A loopback address whose port was free a moment ago.
fn free_port() -> Result<SocketAddr, ServerError> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .map_err(ServerError::io("finding a free port"))?;
    listener
        .local_addr()
        .map_err(ServerError::io("finding a free port"))
}

#[cfg(test)]
mod tests {
    use std::ffi::OsStr;

    use super::*;

    #[test]
    fn free_ports_are_on_loopback() {
        let addr = free_port().expect("a free port");
        assert!(addr.ip().is_loopback() && addr.port() != 0);
    }

    #[test]
    fn the_command_carries_data_dir_address_credentials_and_extra_env() {
        let launch = Launch::new(Path::new("/bin/server"), "key-1", "secret-1")
            .env("RTC_ANNOUNCED_IPS", "127.0.0.1");
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, 4321));
        let command = launch.command(Path::new("/bin/server"), Path::new("/tmp/d"), addr);
        let std = command.as_std();
        let env = |name: &str| {
            std.get_envs()
                .find(|(key, _)| *key == OsStr::new(name))
                .and_then(|(_, value)| value)
        };
        assert_eq!(std.get_current_dir(), Some(Path::new("/tmp/d")));
        assert_eq!(env("DATA_DIR"), Some(OsStr::new("/tmp/d")));
        assert_eq!(env("LEPTOS_SITE_ADDR"), Some(OsStr::new("127.0.0.1:4321")));
        assert_eq!(env("ENGINE_API_KEY"), Some(OsStr::new("key-1")));
        assert_eq!(env("ENGINE_API_SECRET"), Some(OsStr::new("secret-1")));
        assert_eq!(env("RTC_ANNOUNCED_IPS"), Some(OsStr::new("127.0.0.1")));
    }

    #[test]
    fn debug_output_hides_the_secret() {
        let launch = Launch::new(Path::new("server"), "key-1", "secret-1").log_filter("info");
        let shown = format!("{launch:?}");
        assert!(!shown.contains("secret-1"), "{shown}");
        assert!(shown.contains("key-1") && shown.contains("info"), "{shown}");
    }
}
