//! OpenTok.js failures in the video client's words: an `OTError` (`name`,
//! `code`, `message`) or any other thrown value is read once into
//! [`OtError`], then mapped to a [`VideoError`] according to what was being
//! attempted ([`Operation`]).

use js_sys::Reflect;
use wasm_bindgen::JsValue;

use crate::video::VideoError;

/// What the backend was doing when OpenTok.js failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Operation {
    /// Loading OpenTok.js or `session.connect`.
    Connect,
    /// `OT.initPublisher` / `session.publish`.
    Publish,
    /// `session.subscribe`.
    Subscribe,
    /// `session.signal`.
    Signal,
}

/// An error as OpenTok.js reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct OtError {
    /// `error.name`, e.g. `OT_USER_MEDIA_ACCESS_DENIED` (empty when absent).
    pub name: String,
    /// `error.code`, e.g. 1500 or a signal's 413, when it is one.
    pub code: Option<u16>,
    /// `error.message`, or the value itself when it is a string.
    pub message: String,
}

/// `OT_*` names that mean a camera or microphone could not be used.
const DEVICE_ERRORS: &[&str] = &[
    "OT_HARDWARE_UNAVAILABLE",
    "OT_NO_DEVICES_FOUND",
    "OT_CONSTRAINTS_NOT_SATISFIED",
    "OT_NO_VALID_CONSTRAINTS",
    "OT_CHROME_MICROPHONE_ACQUISITION_ERROR",
    "OT_UNABLE_TO_CAPTURE_MEDIA",
    "OT_INVALID_VIDEO_SOURCE",
];

/// `OT_*` names that mean the link to the platform failed.
const NETWORK_ERRORS: &[&str] = &[
    "OT_CONNECT_FAILED",
    "OT_TIMEOUT",
    "OT_ICE_WORKFLOW_FAILED",
    "OT_CREATE_PEER_CONNECTION_FAILED",
    "OT_SET_REMOTE_DESCRIPTION_FAILED",
    "OT_XDOMAIN_OR_PARSING_ERROR",
    "OT_INVALID_HTTP_STATUS",
    "OT_UNEXPECTED_HTTP_STATUS",
    "OT_UNKNOWN_HTTP_ERROR",
    "OT_EMPTY_RESPONSE_BODY",
    "OT_BADLY_FORMED_RESPONSE",
];

/// `OT_*` names with which the platform refuses to let a client in; every
/// other failure of `connect` is a network failure.
const CONNECT_REFUSALS: &[&str] = &[
    "OT_AUTHENTICATION_ERROR",
    "OT_INVALID_SESSION_ID",
    "OT_INVALID_PARAMETER",
    "OT_TERMS_OF_SERVICE_FAILURE",
    "OT_CONNECTION_LIMIT_EXCEEDED",
    "OT_API_KEY_DISABLED",
    "OT_INVALID_ENCRYPTION_SECRET",
];

/// OpenTok.js's code for "Unable to Publish" (most often: access denied).
const UNABLE_TO_PUBLISH: u16 = 1500;
/// The code of a refusal because of the token's role.
const PERMISSION_DENIED: u16 = 403;
/// OpenTok.js's code for "Not Connected".
const NOT_CONNECTED: u16 = 1010;

impl OtError {
    /// Reads `name`, `code` and `message` of whatever OpenTok.js rejected
    /// or threw with.
    pub(super) fn from_js(error: &JsValue) -> OtError {
        let text = |key: &str| {
            Reflect::get(error, &JsValue::from_str(key))
                .ok()
                .and_then(|value| value.as_string())
        };
        let code = Reflect::get(error, &JsValue::from_str("code"))
            .ok()
            .and_then(|value| value.as_f64())
            .and_then(code_from_number);
        let name = text("name").unwrap_or_default();
        let message = text("message")
            .or_else(|| error.as_string())
            .unwrap_or_default();
        let message = describe(&name, code, &message);
        OtError {
            name,
            code,
            message,
        }
    }

    /// The [`VideoError`] a page shows for this failure during `operation`.
    pub(super) fn into_video_error(self, operation: Operation) -> VideoError {
        let name = self.name.as_str();
        if name == "OT_USER_MEDIA_ACCESS_DENIED" || name == "OT_REQUESTED_DEVICE_PERMISSION_DENIED"
        {
            return VideoError::PermissionDenied;
        }
        if DEVICE_ERRORS.contains(&name) {
            return VideoError::NoDevice(self.message);
        }
        if matches!(name, "OT_NOT_CONNECTED" | "OT_DISCONNECTED")
            || self.code == Some(NOT_CONNECTED)
        {
            return VideoError::NotConnected;
        }
        if matches!(
            name,
            "OT_NOT_SUPPORTED" | "OT_UNSUPPORTED_BROWSER" | "OT_SCREEN_SHARING_NOT_SUPPORTED"
        ) {
            return VideoError::Unsupported(self.message);
        }
        if NETWORK_ERRORS.contains(&name) || name.starts_with("OT_SOCKET_") {
            return VideoError::Network(self.message);
        }
        if name == "OT_PERMISSION_DENIED" {
            // The token's role forbids it: the same 403 the local backend gives.
            return VideoError::Refused {
                code: PERMISSION_DENIED,
                message: self.message,
            };
        }
        if operation == Operation::Connect && !CONNECT_REFUSALS.contains(&name) {
            return VideoError::Network(self.message);
        }
        if operation == Operation::Publish
            && self.code == Some(UNABLE_TO_PUBLISH)
            && !name.starts_with("OT_")
        {
            return VideoError::PermissionDenied;
        }
        VideoError::Refused {
            code: self.code.unwrap_or(0),
            message: self.message,
        }
    }
}

/// A readable message: OpenTok.js's own, unless it is blank or only
/// repeats the code (`OT_CONNECT_FAILED` comes as " (1006)"); then the
/// error's name and code.
fn describe(name: &str, code: Option<u16>, message: &str) -> String {
    let message = message.trim();
    let bare_code = code.is_some_and(|code| message == format!("({code})"));
    if !message.is_empty() && !bare_code {
        return message.to_owned();
    }
    match (name.is_empty(), code) {
        (false, Some(code)) => format!("{name} ({code})"),
        (false, None) => name.to_owned(),
        (true, Some(code)) => format!("error {code}"),
        (true, None) => "unknown error".to_owned(),
    }
}

/// A JavaScript number that is an integral code in `u16` range.
fn code_from_number(number: f64) -> Option<u16> {
    let in_range = number.fract() == 0.0 && (0.0..=f64::from(u16::MAX)).contains(&number);
    // Exact: the value is integral and within u16.
    in_range.then_some(number as u16)
}

/// Maps any rejection / exception of OpenTok.js during `operation`.
pub(super) fn video_error(error: &JsValue, operation: Operation) -> VideoError {
    OtError::from_js(error).into_video_error(operation)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(name: &str, code: Option<u16>, message: &str) -> OtError {
        OtError {
            name: name.into(),
            code,
            message: message.into(),
        }
    }

    #[test]
    fn access_denied_is_permission_denied_by_name_or_bare_code() {
        let denied = error("OT_USER_MEDIA_ACCESS_DENIED", Some(1500), "denied");
        assert_eq!(
            denied.into_video_error(Operation::Publish),
            VideoError::PermissionDenied
        );
        let bare = error("", Some(1500), "Unable to Publish");
        assert_eq!(
            bare.into_video_error(Operation::Publish),
            VideoError::PermissionDenied
        );
        // A token without the publish role is a refusal, not a browser permission.
        let role = error("OT_PERMISSION_DENIED", Some(1500), "role must be publisher");
        assert_eq!(
            role.into_video_error(Operation::Publish),
            VideoError::Refused {
                code: 403,
                message: "role must be publisher".into()
            }
        );
    }

    #[test]
    fn missing_or_busy_devices_are_no_device() {
        for name in ["OT_HARDWARE_UNAVAILABLE", "OT_NO_DEVICES_FOUND"] {
            let busy = error(name, Some(1500), "camera busy");
            assert_eq!(
                busy.into_video_error(Operation::Publish),
                VideoError::NoDevice("camera busy".into())
            );
        }
    }

    #[test]
    fn connect_failures_are_network_errors_but_bad_credentials_are_refusals() {
        let failed = error("OT_CONNECT_FAILED", Some(1006), "Anvil error");
        assert_eq!(
            failed.into_video_error(Operation::Connect),
            VideoError::Network("Anvil error".into())
        );
        let thrown = error("TypeError", None, "Failed to fetch");
        assert_eq!(
            thrown.into_video_error(Operation::Connect),
            VideoError::Network("Failed to fetch".into())
        );
        let auth = error("OT_AUTHENTICATION_ERROR", Some(1004), "Invalid token");
        assert_eq!(
            auth.into_video_error(Operation::Connect),
            VideoError::Refused {
                code: 1004,
                message: "Invalid token".into()
            }
        );
        let socket = error("OT_SOCKET_CLOSE_TIMEOUT", Some(1006), "timed out");
        assert_eq!(
            socket.into_video_error(Operation::Subscribe),
            VideoError::Network("timed out".into())
        );
    }

    #[test]
    fn signal_errors_keep_their_code() {
        let too_long = error("OT_INVALID_PARAMETER", Some(413), "data too long");
        assert_eq!(
            too_long.into_video_error(Operation::Signal),
            VideoError::Refused {
                code: 413,
                message: "data too long".into()
            }
        );
        let limited = error("OT_RATE_LIMIT_EXCEEDED", Some(429), "slow down");
        assert_eq!(
            limited.into_video_error(Operation::Signal),
            VideoError::Refused {
                code: 429,
                message: "slow down".into()
            }
        );
        let offline = error("OT_NOT_CONNECTED", Some(500), "not connected");
        assert_eq!(
            offline.into_video_error(Operation::Signal),
            VideoError::NotConnected
        );
        let unknown = error("", None, "odd");
        assert_eq!(
            unknown.into_video_error(Operation::Subscribe),
            VideoError::Refused {
                code: 0,
                message: "odd".into()
            }
        );
    }

    #[test]
    fn unsupported_browsers_are_reported_as_such() {
        let old = error("OT_NOT_SUPPORTED", None, "no WebRTC");
        assert_eq!(
            old.into_video_error(Operation::Publish),
            VideoError::Unsupported("no WebRTC".into())
        );
    }

    #[test]
    fn blank_messages_fall_back_to_name_and_code() {
        assert_eq!(
            describe("OT_CONNECT_FAILED", Some(1006), " (1006)"),
            "OT_CONNECT_FAILED (1006)"
        );
        assert_eq!(
            describe("OT_CONNECT_FAILED", Some(1006), ""),
            "OT_CONNECT_FAILED (1006)"
        );
        assert_eq!(describe("OT_TIMEOUT", None, "  "), "OT_TIMEOUT");
        assert_eq!(describe("", Some(413), ""), "error 413");
        assert_eq!(describe("", None, ""), "unknown error");
        assert_eq!(
            describe("OT_X", Some(400), " Type is invalid "),
            "Type is invalid"
        );
    }

    #[test]
    fn only_integral_codes_in_range_are_codes() {
        assert_eq!(code_from_number(413.0), Some(413));
        assert_eq!(code_from_number(1500.0), Some(1500));
        assert_eq!(code_from_number(65535.0), Some(65535));
        assert_eq!(code_from_number(65536.0), None);
        assert_eq!(code_from_number(-1.0), None);
        assert_eq!(code_from_number(1.5), None);
        assert_eq!(code_from_number(f64::NAN), None);
    }
}
