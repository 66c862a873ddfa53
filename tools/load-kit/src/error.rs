//! Why a load run failed in a way every load tool shares: the server under
//! test could not be started, watched or measured, or a phase of the run
//! ran out of time. The load tools wrap these in their own error type
//! (transparently, so the messages stay these).

use std::path::PathBuf;
use std::time::Duration;

/// Why starting or measuring the server failed.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The server binary is missing.
    #[error("no server binary at {0} (build it with `cargo build --release -p server`)")]
    MissingServer(PathBuf),
    /// A local I/O operation around the server failed (temp dir, free port,
    /// open-files limit, spawning, /proc).
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: &'static str,
        /// The cause.
        source: std::io::Error,
    },
    /// The server exited or never answered `/healthz`, or `/proc` did not
    /// describe it.
    #[error("the server did not become ready: {0}")]
    NotReady(String),
}

/// A phase of a load run did not finish within the time it was given.
#[derive(Debug, thiserror::Error)]
#[error("{phase} did not finish within {limit:?}")]
pub struct Timeout {
    /// The phase.
    pub phase: &'static str,
    /// How long it was given.
    pub limit: Duration,
}

impl ServerError {
    /// Wraps an I/O error with what was being done.
    pub fn io(what: &'static str) -> impl FnOnce(std::io::Error) -> ServerError {
        move |source| ServerError::Io { what, source }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_say_what_was_being_done() {
        let err = ServerError::io("finding a free port")(std::io::Error::other("no ports"));
        assert_eq!(err.to_string(), "finding a free port: no ports");
    }

    #[test]
    fn timeouts_name_the_phase_and_its_limit() {
        let err = Timeout {
            phase: "settling",
            limit: Duration::from_secs(3),
        };
        assert_eq!(err.to_string(), "settling did not finish within 3s");
    }
}
