//! The load tool's one error type: everything that can stop a run, from
//! starting the server (see `load_kit::ServerError`) to a client that could
//! not join.

use std::time::Duration;

use load_kit::{ServerError, Timeout};

/// Why a load run failed.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// Starting, watching or measuring the server failed, or raising the
    /// open-files limit it inherits.
    #[error(transparent)]
    Server(#[from] ServerError),
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
    #[error(transparent)]
    Timeout(#[from] Timeout),
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
