//! Signal bodies (§5.4, §6.4): `{"type", "data"}` posted to a session or a
//! connection. The limits are checked on construction and on parsing, and
//! the error says which HTTP status the platform answers with.

use serde::{Deserialize, Serialize};

/// Longest signal type, in characters.
pub const MAX_TYPE_LEN: usize = 128;
/// Longest signal data, in bytes.
pub const MAX_DATA_LEN: usize = 8192;

/// Why a signal is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignalError {
    /// The type has characters outside `[A-Za-z0-9._~-]` (400).
    #[error("signal type may only contain letters, digits, '.', '_', '~' and '-'")]
    TypeCharacters,
    /// The type is longer than 128 characters (413).
    #[error("signal type is longer than 128 characters")]
    TypeTooLong,
    /// The data is longer than 8192 bytes (413).
    #[error("signal data is longer than 8192 bytes")]
    DataTooLong,
}

impl SignalError {
    /// The HTTP status the platform answers with.
    pub fn status(&self) -> u16 {
        match self {
            SignalError::TypeCharacters => 400,
            SignalError::TypeTooLong | SignalError::DataTooLong => 413,
        }
    }
}

/// A signal within the platform's limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "SignalWire")]
pub struct Signal {
    /// The signal type (may be empty).
    #[serde(rename = "type")]
    signal_type: String,
    /// The payload.
    data: String,
}

impl Signal {
    /// Checks the limits: type ≤ 128 of `[A-Za-z0-9._~-]`, data ≤ 8192 bytes.
    pub fn new(
        signal_type: impl Into<String>,
        data: impl Into<String>,
    ) -> Result<Signal, SignalError> {
        let (signal_type, data) = (signal_type.into(), data.into());
        let allowed = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'~' | b'-');
        if !signal_type.bytes().all(allowed) {
            return Err(SignalError::TypeCharacters);
        }
        if signal_type.len() > MAX_TYPE_LEN {
            return Err(SignalError::TypeTooLong);
        }
        if data.len() > MAX_DATA_LEN {
            return Err(SignalError::DataTooLong);
        }
        Ok(Signal { signal_type, data })
    }

    /// The signal type.
    pub fn signal_type(&self) -> &str {
        &self.signal_type
    }

    /// The payload.
    pub fn data(&self) -> &str {
        &self.data
    }
}

#[derive(Deserialize)]
struct SignalWire {
    #[serde(rename = "type", default)]
    signal_type: String,
    #[serde(default)]
    data: String,
}

impl TryFrom<SignalWire> for Signal {
    type Error = SignalError;
    fn try_from(wire: SignalWire) -> Result<Self, Self::Error> {
        Signal::new(wire.signal_type, wire.data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_the_ruby_body() {
        let signal: Signal = serde_json::from_str(r#"{"type":"chat","data":"Hello"}"#).unwrap();
        assert_eq!((signal.signal_type(), signal.data()), ("chat", "Hello"));
        assert_eq!(
            serde_json::to_string(&signal).unwrap(),
            r#"{"type":"chat","data":"Hello"}"#
        );
    }

    #[test]
    fn limits_carry_their_status() {
        assert!(Signal::new("a.b_c~d-E9", "x".repeat(MAX_DATA_LEN)).is_ok());
        assert!(Signal::new("t".repeat(MAX_TYPE_LEN), "").is_ok());
        let cases = [
            (
                Signal::new("chat room", ""),
                SignalError::TypeCharacters,
                400,
            ),
            (
                Signal::new("t".repeat(MAX_TYPE_LEN + 1), ""),
                SignalError::TypeTooLong,
                413,
            ),
            (
                Signal::new("chat", "x".repeat(MAX_DATA_LEN + 1)),
                SignalError::DataTooLong,
                413,
            ),
        ];
        for (result, error, status) in cases {
            assert_eq!(result.as_ref().unwrap_err(), &error);
            assert_eq!(error.status(), status);
        }
        assert!(serde_json::from_str::<Signal>(r#"{"type":"a/b","data":""}"#).is_err());
    }
}
