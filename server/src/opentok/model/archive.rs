//! The archive object (§5.3) and archive lists. Emitted with every key the
//! SDKs dereference (§9.5: integer `partnerId` and `projectId`, numeric
//! `createdAt`, non-null modes); parsed leniently (unknown keys ignored,
//! ids as numbers or strings, `name` possibly null, most keys optional).

use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{ArchiveOptions, ProjectId, Resolution};
use crate::opentok::session_id::SessionId;

/// An archive's lifecycle state; exactly the eight values Java accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ArchiveStatus {
    /// Recording.
    Started,
    /// Recording, but nobody is publishing.
    Paused,
    /// Recording ended; the file is being produced.
    Stopped,
    /// Uploaded to the customer's storage.
    Uploaded,
    /// Hosted by the platform and downloadable from `url`.
    Available,
    /// No longer downloadable.
    Expired,
    /// Recording or processing failed.
    Failed,
    /// Deleted through the API.
    Deleted,
}

/// One file for all streams, or one per stream.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputMode {
    /// A single composed video.
    #[default]
    Composed,
    /// A zip with one file per stream.
    Individual,
}

/// Whether streams join the archive automatically.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StreamMode {
    /// Every published stream is recorded.
    #[default]
    Auto,
    /// Streams are added and removed through the API.
    Manual,
}

/// A stream included in a manual-stream-mode archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArchiveStream {
    /// The stream's id.
    pub stream_id: String,
    /// Whether its audio is recorded.
    #[serde(default = "yes")]
    pub has_audio: bool,
    /// Whether its video is recorded.
    #[serde(default = "yes")]
    pub has_video: bool,
}

impl ArchiveStatus {
    /// The wire name, e.g. `"started"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ArchiveStatus::Started => "started",
            ArchiveStatus::Paused => "paused",
            ArchiveStatus::Stopped => "stopped",
            ArchiveStatus::Uploaded => "uploaded",
            ArchiveStatus::Available => "available",
            ArchiveStatus::Expired => "expired",
            ArchiveStatus::Failed => "failed",
            ArchiveStatus::Deleted => "deleted",
        }
    }
}

impl OutputMode {
    /// The wire name, `"composed"` or `"individual"`.
    pub fn as_str(self) -> &'static str {
        match self {
            OutputMode::Composed => "composed",
            OutputMode::Individual => "individual",
        }
    }
}

impl StreamMode {
    /// The wire name, `"auto"` or `"manual"`.
    pub fn as_str(self) -> &'static str {
        match self {
            StreamMode::Auto => "auto",
            StreamMode::Manual => "manual",
        }
    }
}

fn yes() -> bool {
    true
}

/// An archive as the REST API describes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "ArchiveWire")]
pub struct Archive {
    /// Lowercase UUID.
    pub id: Uuid,
    /// Lifecycle state.
    pub status: ArchiveStatus,
    /// The name given at start (may be absent).
    pub name: Option<String>,
    /// The recorded session.
    pub session_id: SessionId,
    /// The owning project; emitted as both `partnerId` and `projectId`.
    pub project_id: ProjectId,
    /// Creation time, epoch milliseconds.
    pub created_at: u64,
    /// Last update, epoch milliseconds.
    pub updated_at: Option<u64>,
    /// Recorded length in seconds (0 while recording).
    pub duration: u64,
    /// File size in bytes (0 until produced).
    pub size: u64,
    /// Download URL, only while `available`.
    pub url: Option<String>,
    /// Why the archive stopped (`""`, `"user initiated"`, …).
    pub reason: String,
    /// Whether audio is recorded.
    pub has_audio: bool,
    /// Whether video is recorded.
    pub has_video: bool,
    /// Composed or individual.
    pub output_mode: OutputMode,
    /// Auto or manual stream selection.
    pub stream_mode: StreamMode,
    /// Resolution of composed archives.
    pub resolution: Option<Resolution>,
    /// Maximum bitrate (exclusive with `quantization_parameter`).
    pub max_bitrate: Option<u32>,
    /// Constant quantization parameter, 15–40.
    pub quantization_parameter: Option<u8>,
    /// Tag that allowed a concurrent archive of the same session.
    pub multi_archive_tag: Option<String>,
    /// Streams included in manual stream mode.
    pub streams: Vec<ArchiveStream>,
}

impl Archive {
    /// A freshly started archive for `options`, owned by `project_id` and
    /// created at `created_at` (epoch ms), as the platform reports it: a new
    /// id, nothing recorded yet, and composed archives at the requested
    /// resolution or SD. The layout is not part of the archive object.
    pub fn started(options: &ArchiveOptions, project_id: ProjectId, created_at: u64) -> Self {
        let resolution = match options.output_mode {
            OutputMode::Composed => Some(options.resolution.unwrap_or(Resolution::Sd)),
            OutputMode::Individual => None,
        };
        Archive {
            id: Uuid::new_v4(),
            status: ArchiveStatus::Started,
            name: options.name.clone(),
            session_id: options.session_id.clone(),
            project_id,
            created_at,
            updated_at: Some(created_at),
            duration: 0,
            size: 0,
            url: None,
            reason: String::new(),
            has_audio: options.has_audio,
            has_video: options.has_video,
            output_mode: options.output_mode,
            stream_mode: options.stream_mode,
            resolution,
            max_bitrate: options.max_bitrate,
            quantization_parameter: options.quantization_parameter,
            multi_archive_tag: options.multi_archive_tag.clone(),
            streams: Vec::new(),
        }
    }
}

impl Serialize for Archive {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Archive", 21)?;
        s.serialize_field("id", &self.id)?;
        s.serialize_field("status", &self.status)?;
        s.serialize_field("name", &self.name)?;
        s.serialize_field("sessionId", &self.session_id)?;
        s.serialize_field("partnerId", &self.project_id)?;
        s.serialize_field("projectId", &self.project_id)?;
        s.serialize_field("createdAt", &self.created_at)?;
        s.serialize_field("updatedAt", &self.updated_at.unwrap_or(self.created_at))?;
        s.serialize_field("duration", &self.duration)?;
        s.serialize_field("size", &self.size)?;
        s.serialize_field("url", &self.url)?;
        s.serialize_field("reason", &self.reason)?;
        s.serialize_field("hasAudio", &self.has_audio)?;
        s.serialize_field("hasVideo", &self.has_video)?;
        s.serialize_field("outputMode", &self.output_mode)?;
        s.serialize_field("streamMode", &self.stream_mode)?;
        s.serialize_field("resolution", &self.resolution)?;
        if let Some(max_bitrate) = self.max_bitrate {
            s.serialize_field("maxBitrate", &max_bitrate)?;
        }
        if let Some(qp) = self.quantization_parameter {
            s.serialize_field("quantizationParameter", &qp)?;
        }
        if let Some(tag) = &self.multi_archive_tag {
            s.serialize_field("multiArchiveTag", tag)?;
        }
        s.serialize_field("streams", &self.streams)?;
        s.end()
    }
}

/// What clients may receive: most keys optional, ids in either JSON type.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ArchiveWire {
    id: Uuid,
    status: ArchiveStatus,
    name: Option<String>,
    session_id: SessionId,
    partner_id: Option<ProjectId>,
    project_id: Option<ProjectId>,
    application_id: Option<ProjectId>,
    #[serde(default)]
    created_at: u64,
    updated_at: Option<u64>,
    #[serde(default)]
    duration: u64,
    #[serde(default)]
    size: u64,
    url: Option<String>,
    reason: Option<String>,
    has_audio: Option<bool>,
    has_video: Option<bool>,
    output_mode: Option<OutputMode>,
    stream_mode: Option<StreamMode>,
    resolution: Option<Resolution>,
    max_bitrate: Option<u32>,
    quantization_parameter: Option<u8>,
    multi_archive_tag: Option<String>,
    streams: Option<Vec<ArchiveStream>>,
}

impl TryFrom<ArchiveWire> for Archive {
    type Error = &'static str;
    fn try_from(wire: ArchiveWire) -> Result<Self, Self::Error> {
        let project_id = wire
            .partner_id
            .or(wire.project_id)
            .or(wire.application_id)
            .ok_or("archive has neither partnerId, projectId nor applicationId")?;
        Ok(Archive {
            id: wire.id,
            status: wire.status,
            name: wire.name,
            session_id: wire.session_id,
            project_id,
            created_at: wire.created_at,
            updated_at: wire.updated_at,
            duration: wire.duration,
            size: wire.size,
            url: wire.url,
            reason: wire.reason.unwrap_or_default(),
            has_audio: wire.has_audio.unwrap_or(true),
            has_video: wire.has_video.unwrap_or(true),
            output_mode: wire.output_mode.unwrap_or_default(),
            stream_mode: wire.stream_mode.unwrap_or_default(),
            resolution: wire.resolution,
            max_bitrate: wire.max_bitrate,
            quantization_parameter: wire.quantization_parameter,
            multi_archive_tag: wire.multi_archive_tag,
            streams: wire.streams.unwrap_or_default(),
        })
    }
}

/// A page of archives: `count` is the total number matching the query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchiveList {
    /// Total number of matching archives (not the page length).
    pub count: u64,
    /// This page, newest first.
    pub items: Vec<Archive>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const SESSION: &str = "1_MX4xMjM0NTZ-flNhdCBNYXIgMTUgMTQ6NDI6MjMgUERUIDIwMTR-MC40OTAxMzAyNX4";

    fn fixture(json: &str) -> String {
        json.replace("SESSIONID", SESSION)
    }

    #[test]
    fn parses_the_python_start_fixture() {
        let json = fixture(
            r#"{"createdAt":1395183243556,"duration":0,"id":"30b3ebf1-ba36-4f5b-8def-6f70d9986fe9","name":"","partnerId":123456,"reason":"","sessionId":"SESSIONID","size":0,"status":"started","hasAudio":true,"hasVideo":true,"outputMode":"composed","url":null,"maxBitrate":2000000}"#,
        );
        let archive: Archive = serde_json::from_str(&json).unwrap();
        assert_eq!(
            archive.id.to_string(),
            "30b3ebf1-ba36-4f5b-8def-6f70d9986fe9"
        );
        assert_eq!(archive.status, ArchiveStatus::Started);
        assert_eq!(archive.project_id.as_str(), "123456");
        assert_eq!(
            (archive.created_at, archive.max_bitrate),
            (1_395_183_243_556, Some(2_000_000))
        );
        assert_eq!(archive.session_id.as_str(), SESSION);
    }

    #[test]
    fn parses_sparse_and_odd_archives() {
        let manual = fixture(
            r#"{"createdAt":1395183243556,"duration":0,"id":"30b3ebf1-ba36-4f5b-8def-6f70d9986fe9","name":"","partnerId":123456,"reason":"","sessionId":"SESSIONID","size":0,"status":"started","url":null,"streamMode":"manual","notarealproperty":"not a real value"}"#,
        );
        let archive: Archive = serde_json::from_str(&manual).unwrap();
        assert_eq!(archive.stream_mode, StreamMode::Manual);
        assert!(archive.has_audio && archive.has_video);
        let node = r#"{"id":"e85741ce-d280-4efa-a3ba-93379a68be06","status":"started","name":null,"reason":"","sessionId":"1_MX4xMDB-MTI3LjAuMC4xflR1ZSBKYW4gMjggMTU6NDg6NDAgUFNUIDIwMTR-MC43NjAyOTYyfg","projectId":"APIKEY","createdAt":1480749999326,"size":0,"duration":0,"outputMode":"composed","hasAudio":true,"hasVideo":true,"sha256sum":"","password":"","updatedAt":1480749999476,"url":null,"partnerId":"APIKEY"}"#;
        let archive: Archive = serde_json::from_str(node).unwrap();
        assert_eq!(
            (archive.name, archive.project_id.as_str()),
            (None, "APIKEY")
        );
        let no_owner = r#"{"id":"e85741ce-d280-4efa-a3ba-93379a68be06","status":"started","sessionId":"1_MX4xMDB-MTI3LjAuMC4xflR1ZSBKYW4gMjggMTU6NDg6NDAgUFNUIDIwMTR-MC43NjAyOTYyfg"}"#;
        assert!(serde_json::from_str::<Archive>(no_owner).is_err());
        let bad_status = fixture(
            r#"{"id":"e85741ce-d280-4efa-a3ba-93379a68be06","status":"recording","partnerId":1,"sessionId":"SESSIONID"}"#,
        );
        assert!(serde_json::from_str::<Archive>(&bad_status).is_err());
    }

    #[test]
    fn emits_every_key_sdks_require() {
        let json = fixture(
            r#"{"createdAt":1395193762293,"duration":0,"id":"d7f4d2a3-da74-414d-868a-190532a835bc","name":"ARCHIVE NAME","partnerId":123456,"reason":"","sessionId":"SESSIONID","size":0,"status":"started","url":null,"hasAudio":true,"hasVideo":false,"outputMode":"individual"}"#,
        );
        let archive: Archive = serde_json::from_str(&json).unwrap();
        let value = serde_json::to_value(&archive).unwrap();
        assert_eq!(value["partnerId"], 123456);
        assert_eq!(value["projectId"], 123456);
        assert_eq!(value["createdAt"], 1_395_193_762_293u64);
        assert_eq!(value["outputMode"], "individual");
        assert_eq!(value["streamMode"], "auto");
        assert_eq!(value["hasVideo"], false);
        for key in [
            "size",
            "duration",
            "reason",
            "url",
            "name",
            "hasAudio",
            "resolution",
            "updatedAt",
        ] {
            assert!(value.get(key).is_some(), "{key} missing");
        }
        assert!(value.get("maxBitrate").is_none() && value.get("quantizationParameter").is_none());
        let again: Archive = serde_json::from_value(value).unwrap();
        assert_eq!(again.updated_at, Some(archive.created_at));
    }

    #[test]
    fn started_archives_carry_the_options_and_start_empty() {
        let mut options = ArchiveOptions::new(SessionId::parse(SESSION).unwrap());
        options.output_mode = OutputMode::Individual;
        options.multi_archive_tag = Some("tag".into());
        let archive = Archive::started(&options, ProjectId::new("123456"), 1_000);
        assert_eq!(archive.status, ArchiveStatus::Started);
        assert_eq!(
            (archive.output_mode, archive.resolution),
            (OutputMode::Individual, None)
        );
        assert_eq!(archive.multi_archive_tag.as_deref(), Some("tag"));
        assert_eq!(
            (archive.created_at, archive.updated_at),
            (1_000, Some(1_000))
        );
        assert_eq!((archive.duration, archive.size, archive.url), (0, 0, None));
        let other = Archive::started(&options, ProjectId::new("123456"), 1_000);
        assert_ne!(archive.id, other.id);
    }

    #[test]
    fn statuses_are_the_eight_lowercase_values() {
        let all = [
            "started",
            "paused",
            "stopped",
            "uploaded",
            "available",
            "expired",
            "failed",
            "deleted",
        ];
        for name in all {
            let status: ArchiveStatus = serde_json::from_str(&format!("\"{name}\"")).unwrap();
            assert_eq!(
                serde_json::to_string(&status).unwrap(),
                format!("\"{name}\"")
            );
            assert_eq!(status.as_str(), name);
        }
    }
}
