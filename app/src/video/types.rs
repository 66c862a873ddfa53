//! The vocabulary of the video client, the same for both backends: who is in
//! a session ([`Connection`]), what they publish ([`StreamInfo`]), what
//! happens ([`SessionEvent`]) and how to publish ([`PublishOptions`]).
//! These types compile on the server too, so pages can hold them in signals.

use serde::{Deserialize, Serialize};

pub use crate::hub_protocol::{Reason, StreamProperty, VideoType};

/// Which media platform a page talks to; the server decides (see
/// [`PlatformInfo`](crate::PlatformInfo)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Backend {
    /// Our embedded engine: the hub at `/rtc` and browser-to-browser WebRTC.
    Local {
        /// `RTCIceServer` entries for the peer connections (none on localhost).
        ice_servers: Vec<IceServer>,
    },
    /// Vonage / OpenTok cloud through OpenTok.js, served by our server.
    OpenTok {
        /// The project's API key (`OT.initSession(apiKey, sessionId)`).
        api_key: String,
    },
}

/// One `RTCIceServer`: STUN or TURN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IceServer {
    /// `stun:` / `turn:` / `turns:` URLs.
    pub urls: Vec<String>,
    /// TURN user name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// TURN credential. Not a server secret: every browser receives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
}

/// What joining a session needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionConfig {
    /// Where media goes.
    pub backend: Backend,
    /// The session to join.
    pub session_id: String,
    /// A client token for it.
    pub token: String,
}

/// Someone connected to the session (OpenTok.js's `Connection`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    /// The connection id.
    pub id: String,
    /// The token's connection data ("" when none).
    pub data: String,
    /// When it connected, epoch milliseconds.
    pub creation_time: u64,
}

/// A published stream (OpenTok.js's `Stream`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamInfo {
    /// The stream id.
    pub id: String,
    /// The publishing connection.
    pub connection_id: String,
    /// The display name.
    pub name: String,
    /// Whether audio is on.
    pub has_audio: bool,
    /// Whether video is on.
    pub has_video: bool,
    /// Camera, screen or custom; `None` for audio-only.
    pub video_type: Option<VideoType>,
}

/// What a session reports, in OpenTok.js's terms. Connections and streams
/// already in the session are reported as created right after connecting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionEvent {
    /// Someone else joined.
    ConnectionCreated(Connection),
    /// Someone else left.
    ConnectionDestroyed {
        /// Who.
        connection: Connection,
        /// Why.
        reason: Reason,
    },
    /// Someone else published a stream.
    StreamCreated(StreamInfo),
    /// A stream of someone else went away.
    StreamDestroyed {
        /// The stream.
        stream: StreamInfo,
        /// Why.
        reason: Reason,
    },
    /// A stream was muted or unmuted (its audio or video turned off or on).
    StreamPropertyChanged {
        /// The stream.
        stream_id: String,
        /// What changed.
        property: StreamProperty,
        /// The new value.
        value: bool,
    },
    /// A signal; `from` is `None` when the server sent it.
    Signal {
        /// The signal type.
        kind: String,
        /// The payload.
        data: String,
        /// The sending connection.
        from: Option<String>,
    },
    /// The link to the platform dropped; reconnecting automatically.
    Reconnecting,
    /// Back after [`SessionEvent::Reconnecting`]; own streams are published again.
    Reconnected,
    /// An archive of the session started recording (OpenTok.js's
    /// `archiveStarted`); also told to a newcomer while one records.
    ArchiveStarted {
        /// The archive's id.
        id: String,
        /// Its name, if it has one.
        name: Option<String>,
    },
    /// An archive of the session stopped recording (`archiveStopped`).
    ArchiveStopped {
        /// The archive's id.
        id: String,
    },
    /// The session is over (left, forced out, or reconnection gave up).
    Disconnected {
        /// Why.
        reason: Reason,
    },
}

impl SessionEvent {
    /// The data of a signal of type `kind` that the server sent (`from:
    /// None`); `None` for any other event. Only the server speaks for what
    /// it decides (the help queue, presence): a client's signal of the same
    /// type is ignored.
    pub fn server_signal(&self, kind: &str) -> Option<&str> {
        match self {
            SessionEvent::Signal {
                kind: signal,
                data,
                from: None,
            } if signal == kind => Some(data),
            _ => None,
        }
    }
}

/// How to publish: which devices, what to send at first, under which name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PublishOptions {
    /// The stream's display name.
    pub name: String,
    /// Send audio at all (`false`: no microphone is opened).
    pub audio: bool,
    /// Send video at all (`false`: no camera is opened).
    pub video: bool,
    /// The microphone's `deviceId`; the default one when `None`.
    pub audio_device: Option<String>,
    /// The camera's `deviceId`; the default one when `None`.
    pub video_device: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signal(kind: &str, from: Option<&str>) -> SessionEvent {
        SessionEvent::Signal {
            kind: kind.into(),
            data: "{}".into(),
            from: from.map(str::to_owned),
        }
    }

    #[test]
    fn only_the_servers_signals_of_the_type_are_server_signals() {
        assert_eq!(signal("help", None).server_signal("help"), Some("{}"));
        assert_eq!(signal("help", Some("c1")).server_signal("help"), None);
        assert_eq!(signal("presence", None).server_signal("help"), None);
        assert_eq!(SessionEvent::Reconnected.server_signal("help"), None);
    }
}
