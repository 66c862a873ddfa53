//! The load tool's one error type: everything that can stop a run, from
//! spawning the server to a client that could not join.

use std::path::PathBuf;
use std::time::Duration;

/// Why a load run failed.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The server binary is missing.
    #[error("no server binary at {0} (build it with `cargo build --release -p server`)")]
    MissingServer(PathBuf),
    /// A local I/O operation failed (temp dir, free port, spawning, /proc).
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: &'static str,
        /// The cause.
        source: std::io::Error,
    },
    /// The open-files limit cannot hold the requested clients.
    #[error(
        "the open-files limit is {limit}, too low for {clients} clients (raise the hard limit)"
    )]
    FileLimit {
        /// The limit in force after raising it as far as allowed.
        limit: u64,
        /// Clients requested.
        clients: usize,
    },
    /// The server exited or never answered `/healthz`.
    #[error("the server did not become ready: {0}")]
    NotReady(String),
    /// Creating the session or minting tokens failed.
    #[error("project set-up failed: {0}")]
    Project(String),
    /// A client could not open its socket or join the session.
    #[error("client {index} could not join: {reason}")]
    Join {
        /// Which client.
        index: usize,
        /// What went wrong.
        reason: String,
    },
    /// A phase did not finish within the allowed time.
    #[error("{phase} did not finish within {limit:?}")]
    Timeout {
        /// The phase.
        phase: &'static str,
        /// How long it was given.
        limit: Duration,
    },
    /// Some clients never got what a phase waits for.
    #[error("{phase}: {waiting} open clients still waiting after {limit:?}")]
    Stuck {
        /// The phase.
        phase: &'static str,
        /// How long it was given.
        limit: Duration,
        /// Open clients that were still waiting.
        waiting: usize,
    },
    /// A presence HTTP call failed or answered unexpectedly.
    #[error("presence: {0}")]
    Presence(String),
    /// The sender's socket failed.
    #[error("the sender's socket failed: {0}")]
    Send(String),
}

impl LoadError {
    /// Wraps an I/O error with what was being done.
    pub fn io(what: &'static str) -> impl FnOnce(std::io::Error) -> LoadError {
        move |source| LoadError::Io { what, source }
    }
}
