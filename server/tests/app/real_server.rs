//! The real `server` binary, started as a child process on a data
//! directory and an ephemeral port (no cloud credentials, no first
//! administrator), with the address it announces on standard error. The
//! child never outlives its test: dropping a [`RealServer`] that still runs
//! kills it.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::Duration;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_server");

/// A running `server` process.
pub struct RealServer {
    /// Where it serves (`http://…`).
    pub base: String,
    child: Child,
}

impl RealServer {
    /// Starts the binary on `data_dir` and waits until it says where it
    /// listens.
    pub fn start(data_dir: &Path) -> RealServer {
        let child = Command::new(BIN)
            .env("DATA_DIR", data_dir)
            .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            .env("RUST_LOG", "server=info")
            .env("NO_COLOR", "1")
            .env_remove("OPENTOK_API_KEY")
            .env_remove("VONAGE_APPLICATION_ID")
            .env_remove("ADMIN_USERNAME")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start server");
        // From here on, whatever happens, `Drop` stops the process.
        let mut server = RealServer {
            base: String::new(),
            child,
        };
        let stderr = server.child.stderr.take().expect("piped stderr");
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("listening on ").nth(1) {
                    let _ = addr_tx.send(rest.trim().to_owned());
                }
            }
        });
        server.base = addr_rx
            .recv_timeout(Duration::from_secs(30))
            .expect("server announced its address");
        server
    }

    /// The process id.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Kills the process (SIGKILL) and waits until it is gone.
    pub fn kill(&mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("the server died");
    }

    /// Waits for the process to exit.
    pub fn wait(&mut self) -> ExitStatus {
        self.child.wait().expect("server exits")
    }
}

impl Drop for RealServer {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
