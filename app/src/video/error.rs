//! Everything that can go wrong in the video client, in words a page can
//! show. One enum for both backends.

use thiserror::Error;

/// A failure of the video client.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VideoError {
    /// The person (or the browser's settings) refused camera / microphone access.
    #[error("camera and microphone access was denied")]
    PermissionDenied,
    /// The requested camera or microphone is missing or busy.
    #[error("no usable camera or microphone: {0}")]
    NoDevice(String),
    /// The platform refused a request (OpenTok.js's error codes: 400, 403, 404, 413, 429, …).
    #[error("{message} ({code})")]
    Refused {
        /// The platform's code.
        code: u16,
        /// The platform's message.
        message: String,
    },
    /// The link to the platform failed.
    #[error("connection failed: {0}")]
    Network(String),
    /// The session is not connected (never was, or already left).
    #[error("not connected")]
    NotConnected,
    /// The browser lacks something needed (WebRTC, media devices, OpenTok.js).
    #[error("this browser cannot do that: {0}")]
    Unsupported(String),
}
