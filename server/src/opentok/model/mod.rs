//! The REST wire types (§5), shared by the REST [`client`](super::client),
//! which parses the platform's responses, and the embedded engine, which
//! parses requests and emits responses. Types emit what every SDK can read
//! (§9) and parse leniently what the SDKs and the platform actually send.
//!
//! - [`session`]: session-create options.
//! - [`session_info`]: the session-create response (JSON or XML).
//! - [`archive`]: the archive object and list.
//! - [`archive_request`]: start-archive options and layouts.
//! - [`archive_query`]: archive list queries.
//! - [`stream`]: stream objects and lists.
//! - [`signal`]: signal bodies and their limits.

pub mod archive;
pub mod archive_query;
pub mod archive_request;
pub mod session;
pub mod session_info;
pub mod signal;
pub mod stream;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use archive::{Archive, ArchiveList, ArchiveStatus, ArchiveStream, OutputMode, StreamMode};
pub use archive_query::ArchiveQuery;
pub use archive_request::{ArchiveLayout, ArchiveOptions, ArchiveRequestError, LayoutType};
pub use session::{ArchiveMode, MediaMode, SessionOptions, SessionOptionsError};
pub use session_info::SessionInfo;
pub use signal::{Signal, SignalError};
pub use stream::{Stream, StreamList, VideoType};

/// A video resolution accepted for composed archives and archive-mode sessions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Resolution {
    /// 640×480 (SD landscape), the platform default.
    #[serde(rename = "640x480")]
    Sd,
    /// 480×640 (SD portrait).
    #[serde(rename = "480x640")]
    SdPortrait,
    /// 1280×720 (HD landscape).
    #[serde(rename = "1280x720")]
    Hd,
    /// 720×1280 (HD portrait).
    #[serde(rename = "720x1280")]
    HdPortrait,
    /// 1920×1080 (full HD landscape).
    #[serde(rename = "1920x1080")]
    FullHd,
    /// 1080×1920 (full HD portrait).
    #[serde(rename = "1080x1920")]
    FullHdPortrait,
}

impl Resolution {
    /// All six values, in the order above.
    pub const ALL: [Resolution; 6] = [
        Resolution::Sd,
        Resolution::SdPortrait,
        Resolution::Hd,
        Resolution::HdPortrait,
        Resolution::FullHd,
        Resolution::FullHdPortrait,
    ];

    /// The wire form, e.g. `"1280x720"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Resolution::Sd => "640x480",
            Resolution::SdPortrait => "480x640",
            Resolution::Hd => "1280x720",
            Resolution::HdPortrait => "720x1280",
            Resolution::FullHd => "1920x1080",
            Resolution::FullHdPortrait => "1080x1920",
        }
    }

    /// Parses the wire form.
    pub fn parse(text: &str) -> Option<Resolution> {
        Resolution::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

impl fmt::Display for Resolution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The JSON error body the platform answers 4xx/5xx with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiErrorBody {
    /// Numeric code (`-1` in most recordings).
    pub code: i64,
    /// Human-readable message; SDKs surface this one.
    pub message: String,
    /// Longer description (usually equal to `message`).
    pub description: String,
}

impl ApiErrorBody {
    /// A body whose description repeats the message, as the platform sends.
    pub fn new(code: i64, message: impl Into<String>) -> Self {
        let message = message.into();
        ApiErrorBody {
            code,
            description: message.clone(),
            message,
        }
    }
}

/// A project id as it appears in archive objects: the API key, emitted as a
/// JSON integer when numeric (PHP and Java require that) and accepted as a
/// number or a string (Node fixtures and Vonage responses use strings).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ProjectId(String);

impl ProjectId {
    /// Wraps an API key or application id.
    pub fn new(id: impl Into<String>) -> Self {
        ProjectId(id.into())
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ProjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for ProjectId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let numeric = !self.0.starts_with('0') || self.0 == "0";
        match self.0.parse::<u64>() {
            Ok(value) if numeric => serializer.serialize_u64(value),
            _ => serializer.serialize_str(&self.0),
        }
    }
}

impl<'de> Deserialize<'de> for ProjectId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum NumberOrText {
            Number(u64),
            Text(String),
        }
        Ok(match NumberOrText::deserialize(deserializer)? {
            NumberOrText::Number(value) => ProjectId(value.to_string()),
            NumberOrText::Text(text) => ProjectId(text),
        })
    }
}

/// A boolean as SDKs send it: `true`, `"true"`, or (Ruby) the string forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LenientBool(pub bool);

impl<'de> Deserialize<'de> for LenientBool {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum BoolOrText {
            Bool(bool),
            Text(String),
        }
        match BoolOrText::deserialize(deserializer)? {
            BoolOrText::Bool(value) => Ok(LenientBool(value)),
            BoolOrText::Text(text) if text.eq_ignore_ascii_case("true") => Ok(LenientBool(true)),
            BoolOrText::Text(text) if text.eq_ignore_ascii_case("false") => Ok(LenientBool(false)),
            BoolOrText::Text(text) => Err(serde::de::Error::custom(format!(
                "expected a boolean, got {text:?}"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolutions_use_their_wire_names() {
        for resolution in Resolution::ALL {
            let json = serde_json::to_string(&resolution).unwrap();
            assert_eq!(json, format!("\"{resolution}\""));
            assert_eq!(
                serde_json::from_str::<Resolution>(&json).unwrap(),
                resolution
            );
            assert_eq!(Resolution::parse(resolution.as_str()), Some(resolution));
        }
        assert_eq!(Resolution::parse("800x600"), None);
    }

    #[test]
    fn project_ids_are_emitted_as_integers_when_numeric() {
        assert_eq!(
            serde_json::to_string(&ProjectId::new("123456")).unwrap(),
            "123456"
        );
        assert_eq!(
            serde_json::to_string(&ProjectId::new("APIKEY")).unwrap(),
            "\"APIKEY\""
        );
        assert_eq!(
            serde_json::to_string(&ProjectId::new("0123")).unwrap(),
            "\"0123\""
        );
        assert_eq!(
            serde_json::from_str::<ProjectId>("123456")
                .unwrap()
                .as_str(),
            "123456"
        );
        assert_eq!(
            serde_json::from_str::<ProjectId>("\"123456\"")
                .unwrap()
                .as_str(),
            "123456"
        );
    }

    #[test]
    fn lenient_bools_accept_strings() {
        let parse = |json: &str| serde_json::from_str::<LenientBool>(json).map(|b| b.0);
        assert!(parse("true").unwrap() && parse("\"true\"").unwrap());
        assert!(!parse("false").unwrap() && !parse("\"FALSE\"").unwrap());
        assert!(parse("\"yes\"").is_err() && parse("1").is_err());
    }

    #[test]
    fn error_bodies_match_the_platform_shape() {
        let body = ApiErrorBody::new(-1, "Issuer not found");
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"code":-1,"message":"Issuer not found","description":"Issuer not found"}"#
        );
    }
}
