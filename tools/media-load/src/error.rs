//! The load tool's one error type: everything that can stop a run, from
//! starting the server (see `load_kit::ServerError`) to a participant that
//! could not join or connect.

use load_kit::{ServerError, Timeout};

/// Why a load run failed.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// Starting, watching or measuring the server failed.
    #[error(transparent)]
    Server(#[from] ServerError),
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
    #[error(transparent)]
    Timeout(#[from] Timeout),
}

impl LoadError {
    /// A participant's failure.
    pub fn participant(index: usize, reason: impl ToString) -> LoadError {
        LoadError::Participant {
            index,
            reason: reason.to_string(),
        }
    }
}
