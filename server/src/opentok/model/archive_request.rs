//! Archive requests (§5.2): start options (whose serde form is the JSON body
//! of `POST /archive`) and layouts (`PUT /archive/{id}/layout`); list queries
//! are in [`archive_query`](super::archive_query) and share this module's
//! error. Deserializing accepts what SDKs send — explicit nulls, booleans as
//! strings — and then enforces the platform's rules.

use serde::{Deserialize, Serialize};

use super::{LenientBool, OutputMode, Resolution, StreamMode};
use crate::opentok::session_id::SessionId;

/// Why an archive request is refused (the engine answers 400).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArchiveRequestError {
    /// Both `hasAudio` and `hasVideo` are false.
    #[error("an archive must record audio, video or both")]
    NothingToRecord,
    /// `resolution` was given for an individual-output archive.
    #[error("resolution is only allowed for composed archives")]
    ResolutionWithIndividual,
    /// Both `maxBitrate` and `quantizationParameter` were given.
    #[error("maxBitrate and quantizationParameter are mutually exclusive")]
    BitrateAndQuantization,
    /// `quantizationParameter` outside 15–40.
    #[error("quantizationParameter must be between 15 and 40")]
    Quantization,
    /// `stylesheet` without the `custom` layout, or `custom` without one.
    #[error("a stylesheet is required with, and only allowed with, the custom layout")]
    Stylesheet,
    /// `screenshareType` with a layout other than `bestFit`.
    #[error("screenshareType is only allowed with the bestFit layout")]
    ScreenshareType,
    /// `count` above 1000.
    #[error("count must be at most 1000")]
    Count,
    /// A query parameter is not a number.
    #[error("{0} must be a non-negative integer")]
    NotANumber(&'static str),
}

/// Layout of a composed archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum LayoutType {
    /// Tiles sized to fit (default).
    BestFit,
    /// Picture in picture.
    Pip,
    /// One large stream with a column of small ones.
    VerticalPresentation,
    /// One large stream with a row of small ones.
    HorizontalPresentation,
    /// A caller-supplied stylesheet.
    Custom,
    /// Focus on streams with the `focus` class.
    Focus,
}

impl LayoutType {
    /// The wire name, e.g. `"bestFit"`.
    pub fn as_str(self) -> &'static str {
        match self {
            LayoutType::BestFit => "bestFit",
            LayoutType::Pip => "pip",
            LayoutType::VerticalPresentation => "verticalPresentation",
            LayoutType::HorizontalPresentation => "horizontalPresentation",
            LayoutType::Custom => "custom",
            LayoutType::Focus => "focus",
        }
    }
}

/// A composed-archive layout: `{"type", "stylesheet"?, "screenshareType"?}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", try_from = "LayoutWire")]
pub struct ArchiveLayout {
    /// The layout.
    #[serde(rename = "type")]
    pub layout_type: LayoutType,
    /// CSS for the `custom` layout.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stylesheet: Option<String>,
    /// Layout while a screen is shared (`bestFit` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub screenshare_type: Option<LayoutType>,
}

impl ArchiveLayout {
    /// A layout of `layout_type` with no extras.
    pub fn new(layout_type: LayoutType) -> Self {
        ArchiveLayout {
            layout_type,
            stylesheet: None,
            screenshare_type: None,
        }
    }

    /// Checks the stylesheet / screenshare rules.
    pub fn validate(&self) -> Result<(), ArchiveRequestError> {
        let custom = self.layout_type == LayoutType::Custom;
        if custom != self.stylesheet.is_some() {
            return Err(ArchiveRequestError::Stylesheet);
        }
        if self.screenshare_type.is_some() && self.layout_type != LayoutType::BestFit {
            return Err(ArchiveRequestError::ScreenshareType);
        }
        Ok(())
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LayoutWire {
    #[serde(rename = "type")]
    layout_type: LayoutType,
    stylesheet: Option<String>,
    screenshare_type: Option<LayoutType>,
}

impl TryFrom<LayoutWire> for ArchiveLayout {
    type Error = ArchiveRequestError;
    fn try_from(wire: LayoutWire) -> Result<Self, Self::Error> {
        let layout = ArchiveLayout {
            layout_type: wire.layout_type,
            stylesheet: wire.stylesheet,
            screenshare_type: wire.screenshare_type,
        };
        layout.validate()?;
        Ok(layout)
    }
}

/// Options for starting an archive; the serde form is the request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", try_from = "ArchiveOptionsWire")]
pub struct ArchiveOptions {
    /// The session to record.
    pub session_id: SessionId,
    /// A name for the archive.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Record audio (default true).
    pub has_audio: bool,
    /// Record video (default true).
    pub has_video: bool,
    /// Composed (default) or individual.
    pub output_mode: OutputMode,
    /// Resolution (composed only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolution: Option<Resolution>,
    /// Auto (default) or manual stream selection.
    pub stream_mode: StreamMode,
    /// Layout of a composed archive.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layout: Option<ArchiveLayout>,
    /// Tag allowing several concurrent archives of one session.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multi_archive_tag: Option<String>,
    /// Maximum bitrate in bits per second.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_bitrate: Option<u32>,
    /// Constant quantization parameter, 15–40.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantization_parameter: Option<u8>,
}

impl ArchiveOptions {
    /// Platform defaults: audio and video, composed, auto stream mode.
    pub fn new(session_id: SessionId) -> Self {
        ArchiveOptions {
            session_id,
            name: None,
            has_audio: true,
            has_video: true,
            output_mode: OutputMode::Composed,
            resolution: None,
            stream_mode: StreamMode::Auto,
            layout: None,
            multi_archive_tag: None,
            max_bitrate: None,
            quantization_parameter: None,
        }
    }

    /// Checks the §5.2 rules.
    pub fn validate(&self) -> Result<(), ArchiveRequestError> {
        if !self.has_audio && !self.has_video {
            return Err(ArchiveRequestError::NothingToRecord);
        }
        if self.resolution.is_some() && self.output_mode == OutputMode::Individual {
            return Err(ArchiveRequestError::ResolutionWithIndividual);
        }
        if self.max_bitrate.is_some() && self.quantization_parameter.is_some() {
            return Err(ArchiveRequestError::BitrateAndQuantization);
        }
        if self
            .quantization_parameter
            .is_some_and(|qp| !(15..=40).contains(&qp))
        {
            return Err(ArchiveRequestError::Quantization);
        }
        self.layout.as_ref().map_or(Ok(()), ArchiveLayout::validate)
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ArchiveOptionsWire {
    session_id: SessionId,
    name: Option<String>,
    has_audio: Option<LenientBool>,
    has_video: Option<LenientBool>,
    output_mode: Option<OutputMode>,
    resolution: Option<Resolution>,
    stream_mode: Option<StreamMode>,
    layout: Option<ArchiveLayout>,
    multi_archive_tag: Option<String>,
    max_bitrate: Option<u32>,
    quantization_parameter: Option<u8>,
}

impl TryFrom<ArchiveOptionsWire> for ArchiveOptions {
    type Error = ArchiveRequestError;
    fn try_from(wire: ArchiveOptionsWire) -> Result<Self, Self::Error> {
        let options = ArchiveOptions {
            session_id: wire.session_id,
            name: wire.name,
            has_audio: wire.has_audio.is_none_or(|b| b.0),
            has_video: wire.has_video.is_none_or(|b| b.0),
            output_mode: wire.output_mode.unwrap_or_default(),
            resolution: wire.resolution,
            stream_mode: wire.stream_mode.unwrap_or_default(),
            layout: wire.layout,
            multi_archive_tag: wire.multi_archive_tag,
            max_bitrate: wire.max_bitrate,
            quantization_parameter: wire.quantization_parameter,
        };
        options.validate()?;
        Ok(options)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SESSION: &str = "1_MX4xMjM0NTZ-flNhdCBNYXIgMTUgMTQ6NDI6MjMgUERUIDIwMTR-MC40OTAxMzAyNX4";

    fn session() -> SessionId {
        SessionId::parse(SESSION).unwrap()
    }

    fn parse(json: &str) -> Result<ArchiveOptions, String> {
        serde_json::from_str(&json.replace("SID", SESSION)).map_err(|e| e.to_string())
    }

    #[test]
    fn default_body_is_minimal_camel_case() {
        let body = serde_json::to_value(ArchiveOptions::new(session())).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"sessionId": SESSION, "hasAudio": true, "hasVideo": true,
                               "outputMode": "composed", "streamMode": "auto"})
        );
    }

    #[test]
    fn accepts_python_nulls_and_ruby_string_booleans() {
        let python = parse(r#"{"sessionId":"SID","name":null,"hasAudio":true,"hasVideo":true,"outputMode":"composed","resolution":null,"streamMode":"auto","multiArchiveTag":null,"maxBitrate":null,"hasTranscription":false}"#).unwrap();
        assert_eq!(python, ArchiveOptions::new(session()));
        let ruby =
            parse(r#"{"sessionId":"SID","hasVideo":"false","outputMode":"individual"}"#).unwrap();
        assert!(ruby.has_audio && !ruby.has_video);
        assert_eq!(ruby.output_mode, OutputMode::Individual);
        let layout =
            parse(r#"{"sessionId":"SID","layout":{"type":"bestFit","screenshareType":"pip"}}"#)
                .unwrap();
        assert_eq!(
            layout.layout.unwrap().screenshare_type,
            Some(LayoutType::Pip)
        );
    }

    #[test]
    fn enforces_the_start_rules() {
        let cases = [
            (
                r#"{"sessionId":"SID","hasAudio":false,"hasVideo":false}"#,
                "audio, video or both",
            ),
            (
                r#"{"sessionId":"SID","outputMode":"individual","resolution":"640x480"}"#,
                "composed archives",
            ),
            (
                r#"{"sessionId":"SID","maxBitrate":100000,"quantizationParameter":20}"#,
                "mutually exclusive",
            ),
            (
                r#"{"sessionId":"SID","quantizationParameter":41}"#,
                "between 15 and 40",
            ),
            (
                r#"{"sessionId":"SID","quantizationParameter":14}"#,
                "between 15 and 40",
            ),
            (
                r#"{"sessionId":"SID","layout":{"type":"pip","stylesheet":"x"}}"#,
                "stylesheet",
            ),
            (
                r#"{"sessionId":"SID","layout":{"type":"custom"}}"#,
                "stylesheet",
            ),
            (
                r#"{"sessionId":"SID","layout":{"type":"pip","screenshareType":"pip"}}"#,
                "bestFit",
            ),
            (r#"{"sessionId":"SESSIONID"}"#, "session id"),
            (
                r#"{"sessionId":"SID","resolution":"800x600"}"#,
                "unknown variant",
            ),
        ];
        for (json, message) in cases {
            let err = parse(json).unwrap_err();
            assert!(err.contains(message), "{json}: {err}");
        }
        assert!(parse(r#"{"sessionId":"SID","quantizationParameter":40}"#).is_ok());
        assert!(
            parse(r#"{"sessionId":"SID","layout":{"type":"custom","stylesheet":"s"}}"#).is_ok()
        );
    }
}
