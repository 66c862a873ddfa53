//! OpenTok.js session events in the video client's vocabulary: which
//! events the backend listens to ([`OtEventName`]), and how each event
//! object becomes a [`SessionEvent`] — reasons, changed properties, video
//! types, signal types and archive names parsed from OpenTok.js's strings.

use thiserror::Error;

use super::ffi;
use crate::video::{Connection, Reason, SessionEvent, StreamInfo, StreamProperty, VideoType};

/// An event object that lacks what its kind promises; it is skipped.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub(super) enum EventError {
    /// A field every event of this kind carries is missing.
    #[error("{event} event without `{field}`")]
    MissingField {
        /// The event.
        event: &'static str,
        /// The field.
        field: &'static str,
    },
}

/// The `Session` events the backend listens to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum OtEventName {
    /// Someone (this client too) joined.
    ConnectionCreated,
    /// Someone left.
    ConnectionDestroyed,
    /// Someone else published.
    StreamCreated,
    /// A stream of someone else ended.
    StreamDestroyed,
    /// A stream's audio, video (or other property) changed.
    StreamPropertyChanged,
    /// Any signal (the type is in the event).
    Signal,
    /// The link dropped; OpenTok.js is reconnecting.
    SessionReconnecting,
    /// The link is back.
    SessionReconnected,
    /// The session is over.
    SessionDisconnected,
    /// An archive of the session started recording.
    ArchiveStarted,
    /// An archive of the session stopped recording.
    ArchiveStopped,
}

impl OtEventName {
    /// Every event listened to.
    pub(super) const ALL: [OtEventName; 11] = [
        OtEventName::ConnectionCreated,
        OtEventName::ConnectionDestroyed,
        OtEventName::StreamCreated,
        OtEventName::StreamDestroyed,
        OtEventName::StreamPropertyChanged,
        OtEventName::Signal,
        OtEventName::SessionReconnecting,
        OtEventName::SessionReconnected,
        OtEventName::SessionDisconnected,
        OtEventName::ArchiveStarted,
        OtEventName::ArchiveStopped,
    ];

    /// The name OpenTok.js dispatches it under.
    pub(super) fn as_str(self) -> &'static str {
        match self {
            OtEventName::ConnectionCreated => "connectionCreated",
            OtEventName::ConnectionDestroyed => "connectionDestroyed",
            OtEventName::StreamCreated => "streamCreated",
            OtEventName::StreamDestroyed => "streamDestroyed",
            OtEventName::StreamPropertyChanged => "streamPropertyChanged",
            OtEventName::Signal => "signal",
            OtEventName::SessionReconnecting => "sessionReconnecting",
            OtEventName::SessionReconnected => "sessionReconnected",
            OtEventName::SessionDisconnected => "sessionDisconnected",
            OtEventName::ArchiveStarted => "archiveStarted",
            OtEventName::ArchiveStopped => "archiveStopped",
        }
    }
}

/// OpenTok.js's reason strings; anything unknown counts as a network loss.
pub(super) fn parse_reason(reason: Option<&str>) -> Reason {
    match reason {
        // `mediaStopped`: the publisher's own camera / screen capture ended.
        Some("clientDisconnected" | "mediaStopped" | "unpublished") => Reason::ClientDisconnected,
        Some("forceDisconnected" | "forceUnpublished") => Reason::ForceDisconnected,
        _ => Reason::NetworkDisconnected,
    }
}

/// `changedProperty` values the client reports (not `videoDimensions` etc.).
pub(super) fn parse_property(property: &str) -> Option<StreamProperty> {
    match property {
        "hasAudio" => Some(StreamProperty::HasAudio),
        "hasVideo" => Some(StreamProperty::HasVideo),
        _ => None,
    }
}

/// `stream.videoType`; `None` for audio-only streams or unknown kinds.
pub(super) fn parse_video_type(video_type: Option<&str>) -> Option<VideoType> {
    match video_type? {
        "camera" => Some(VideoType::Camera),
        "screen" => Some(VideoType::Screen),
        "custom" => Some(VideoType::Custom),
        _ => None,
    }
}

/// The signal's own type from the event type OpenTok.js gives the generic
/// `signal` handler: `signal:chat` → `chat`, bare `signal` → "".
pub(super) fn signal_kind(event_type: &str) -> String {
    event_type
        .strip_prefix("signal")
        .map(|rest| rest.strip_prefix(':').unwrap_or(rest))
        .unwrap_or(event_type)
        .to_owned()
}

/// An archive's name as OpenTok.js gives it: absent, or empty when the
/// archive was started without one.
pub(super) fn archive_name(name: Option<String>) -> Option<String> {
    name.filter(|name| !name.trim().is_empty())
}

/// A JavaScript epoch-milliseconds number as `u64` (0 when absent or negative).
pub(super) fn epoch_millis(value: Option<f64>) -> u64 {
    // Saturating float-to-int cast: NaN and negatives become 0.
    value.map_or(0, |millis| millis.max(0.0) as u64)
}

/// An `OT.Connection` as a [`Connection`].
pub(super) fn connection(connection: &ffi::Connection) -> Connection {
    Connection {
        id: connection.connection_id(),
        data: connection.data().unwrap_or_default(),
        creation_time: epoch_millis(connection.creation_time()),
    }
}

/// An `OT.Stream` as a [`StreamInfo`].
pub(super) fn stream_info(stream: &ffi::Stream) -> StreamInfo {
    StreamInfo {
        id: stream.stream_id(),
        connection_id: stream
            .connection()
            .map(|connection| connection.connection_id())
            .unwrap_or_default(),
        name: stream.name().unwrap_or_default(),
        has_audio: stream.has_audio().unwrap_or(false),
        has_video: stream.has_video().unwrap_or(false),
        video_type: parse_video_type(stream.video_type().as_deref()),
    }
}

/// The [`SessionEvent`] for `event` (dispatched as `name`), or `None` when
/// it is not reported: this client's own connection, a property the client
/// does not track.
pub(super) fn session_event(
    name: OtEventName,
    event: &ffi::Event,
    own_connection: Option<&str>,
) -> Result<Option<SessionEvent>, EventError> {
    let missing = |field| EventError::MissingField {
        event: name.as_str(),
        field,
    };
    let reason = || parse_reason(event.reason().as_deref());
    let translated = match name {
        OtEventName::ConnectionCreated | OtEventName::ConnectionDestroyed => {
            let connection = connection(&event.connection().ok_or_else(|| missing("connection"))?);
            if own_connection == Some(connection.id.as_str()) {
                return Ok(None);
            }
            if name == OtEventName::ConnectionCreated {
                SessionEvent::ConnectionCreated(connection)
            } else {
                SessionEvent::ConnectionDestroyed {
                    connection,
                    reason: reason(),
                }
            }
        }
        OtEventName::StreamCreated => SessionEvent::StreamCreated(stream_info(
            &event.stream().ok_or_else(|| missing("stream"))?,
        )),
        OtEventName::StreamDestroyed => SessionEvent::StreamDestroyed {
            stream: stream_info(&event.stream().ok_or_else(|| missing("stream"))?),
            reason: reason(),
        },
        OtEventName::StreamPropertyChanged => {
            let stream = event.stream().ok_or_else(|| missing("stream"))?;
            let changed = event
                .changed_property()
                .ok_or_else(|| missing("changedProperty"))?;
            let Some(property) = parse_property(&changed) else {
                return Ok(None);
            };
            let value = event
                .new_value()
                .as_bool()
                .ok_or_else(|| missing("newValue"))?;
            SessionEvent::StreamPropertyChanged {
                stream_id: stream.stream_id(),
                property,
                value,
            }
        }
        OtEventName::Signal => SessionEvent::Signal {
            kind: signal_kind(&event.kind().unwrap_or_default()),
            data: event.data().as_string().unwrap_or_default(),
            from: event.from().map(|from| from.connection_id()),
        },
        OtEventName::SessionReconnecting => SessionEvent::Reconnecting,
        OtEventName::SessionReconnected => SessionEvent::Reconnected,
        OtEventName::SessionDisconnected => SessionEvent::Disconnected { reason: reason() },
        OtEventName::ArchiveStarted => SessionEvent::ArchiveStarted {
            id: event.id().ok_or_else(|| missing("id"))?,
            name: archive_name(event.name()),
        },
        OtEventName::ArchiveStopped => SessionEvent::ArchiveStopped {
            id: event.id().ok_or_else(|| missing("id"))?,
        },
    };
    Ok(Some(translated))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons() {
        assert_eq!(
            parse_reason(Some("clientDisconnected")),
            Reason::ClientDisconnected
        );
        assert_eq!(
            parse_reason(Some("mediaStopped")),
            Reason::ClientDisconnected
        );
        assert_eq!(
            parse_reason(Some("forceDisconnected")),
            Reason::ForceDisconnected
        );
        assert_eq!(
            parse_reason(Some("forceUnpublished")),
            Reason::ForceDisconnected
        );
        assert_eq!(
            parse_reason(Some("networkDisconnected")),
            Reason::NetworkDisconnected
        );
        assert_eq!(
            parse_reason(Some("somethingNew")),
            Reason::NetworkDisconnected
        );
        assert_eq!(parse_reason(None), Reason::NetworkDisconnected);
    }

    #[test]
    fn only_audio_and_video_changes_are_tracked() {
        assert_eq!(parse_property("hasAudio"), Some(StreamProperty::HasAudio));
        assert_eq!(parse_property("hasVideo"), Some(StreamProperty::HasVideo));
        assert_eq!(parse_property("videoDimensions"), None);
        assert_eq!(parse_property("hasCaptions"), None);
    }

    #[test]
    fn video_types() {
        assert_eq!(parse_video_type(Some("camera")), Some(VideoType::Camera));
        assert_eq!(parse_video_type(Some("screen")), Some(VideoType::Screen));
        assert_eq!(parse_video_type(Some("custom")), Some(VideoType::Custom));
        assert_eq!(parse_video_type(Some("hologram")), None);
        assert_eq!(parse_video_type(None), None);
    }

    #[test]
    fn signal_kinds_lose_the_prefix() {
        assert_eq!(signal_kind("signal:chat"), "chat");
        assert_eq!(signal_kind("signal:a.b~c"), "a.b~c");
        assert_eq!(signal_kind("signal"), "");
        assert_eq!(signal_kind("other"), "other");
    }

    #[test]
    fn archive_names_are_optional() {
        assert_eq!(archive_name(Some("demo".into())).as_deref(), Some("demo"));
        assert_eq!(archive_name(Some(" ".into())), None);
        assert_eq!(archive_name(None), None);
    }

    #[test]
    fn creation_times() {
        assert_eq!(epoch_millis(Some(1_700_000_000_250.0)), 1_700_000_000_250);
        assert_eq!(epoch_millis(Some(-5.0)), 0);
        assert_eq!(epoch_millis(Some(f64::NAN)), 0);
        assert_eq!(epoch_millis(None), 0);
    }

    #[test]
    fn event_names_are_opentok_js_names() {
        let names: Vec<_> = OtEventName::ALL.iter().map(|name| name.as_str()).collect();
        assert_eq!(names[0], "connectionCreated");
        assert_eq!(names[5], "signal");
        assert_eq!(names[8], "sessionDisconnected");
        assert_eq!(names[9], "archiveStarted");
        assert_eq!(names[10], "archiveStopped");
        let mut unique = names.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), names.len());
    }

    #[test]
    fn missing_fields_name_the_event() {
        let error = EventError::MissingField {
            event: "streamCreated",
            field: "stream",
        };
        assert_eq!(error.to_string(), "streamCreated event without `stream`");
    }
}
