//! The hub's one error type: every refusal a client can receive, carrying
//! the numeric code OpenTok.js reports for it (§6.4) so it goes on the wire
//! unchanged as `{"type":"error","code",…}`.

use crate::opentok::model::SignalError;

/// A refusal of a hub request (or of the handshake).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HubError {
    /// Malformed message or invalid parameter (400).
    #[error("{0}")]
    Invalid(String),
    /// The token or the role does not allow this (403).
    #[error("{0}")]
    Forbidden(String),
    /// The session, connection or stream does not exist (404).
    #[error("{0}")]
    NotFound(String),
    /// A limit was exceeded, e.g. signal data over 8 KB (413).
    #[error("{0}")]
    TooLarge(String),
    /// The per-connection signal rate limit was exceeded (429).
    #[error("rate limit exceeded")]
    RateLimited,
}

impl HubError {
    /// The code OpenTok.js reports for this refusal.
    pub fn code(&self) -> u16 {
        match self {
            HubError::Invalid(_) => 400,
            HubError::Forbidden(_) => 403,
            HubError::NotFound(_) => 404,
            HubError::TooLarge(_) => 413,
            HubError::RateLimited => 429,
        }
    }

    /// A 403 saying what the role may not do.
    pub(super) fn forbidden(message: impl Into<String>) -> Self {
        HubError::Forbidden(message.into())
    }

    /// A 404 naming what was not found.
    pub(super) fn not_found(message: impl Into<String>) -> Self {
        HubError::NotFound(message.into())
    }
}

impl From<SignalError> for HubError {
    fn from(err: SignalError) -> Self {
        match err.status() {
            413 => HubError::TooLarge(err.to_string()),
            _ => HubError::Invalid(err.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opentok::model::Signal;

    #[test]
    fn signal_limits_keep_their_platform_codes() {
        let bad_type = Signal::new("no spaces", "").unwrap_err();
        assert_eq!(HubError::from(bad_type).code(), 400);
        let long_data = Signal::new("t", "d".repeat(8193)).unwrap_err();
        assert_eq!(HubError::from(long_data).code(), 413);
        let long_type = Signal::new("t".repeat(129), "").unwrap_err();
        assert_eq!(HubError::from(long_type).code(), 413);
    }

    #[test]
    fn every_refusal_has_its_code() {
        assert_eq!(HubError::forbidden("x").code(), 403);
        assert_eq!(HubError::not_found("x").code(), 404);
        assert_eq!(HubError::RateLimited.code(), 429);
    }
}
