//! The load tool's one error type: everything that can stop a run, from
//! spawning the server to a participant that could not join or connect.

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
    /// The server exited or never answered `/healthz`.
    #[error("the server did not become ready: {0}")]
    NotReady(String),
    /// Creating the session or minting tokens failed.
    #[error("project set-up failed: {0}")]
    Project(String),
    /// A participant could not join, publish or negotiate.
    #[error("participant {index}: {reason}")]
    Participant {
        /// Which one.
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
}

impl LoadError {
    /// Wraps an I/O error with what was being done.
    pub fn io(what: &'static str) -> impl FnOnce(std::io::Error) -> LoadError {
        move |source| LoadError::Io { what, source }
    }

    /// A participant's failure.
    pub fn participant(index: usize, reason: impl ToString) -> LoadError {
        LoadError::Participant {
            index,
            reason: reason.to_string(),
        }
    }
}
