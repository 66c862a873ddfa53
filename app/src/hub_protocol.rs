//! The realtime hub's wire protocol, shared by the server's hub and the
//! browser's video client: JSON text frames, one message each, tagged by
//! `type` (camelCase). [`ClientMessage`] is what a browser sends,
//! [`ServerMessage`] what it receives; the value objects mirror OpenTok.js's
//! `Connection` and `Stream` (§6.2).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

/// The peer id of the server's media router in `rtc` messages: in routed
/// sessions every stream's WebRTC link is between a browser and the server
/// (publishers send to it, subscribers receive from it), and `rtc` messages
/// to and from it carry this id instead of another connection's.
pub const MEDIA_SERVER: Uuid = Uuid::nil();

/// What a stream carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VideoType {
    /// A camera.
    Camera,
    /// A shared screen.
    Screen,
    /// A custom video source (canvas, file, …).
    Custom,
}

impl VideoType {
    /// The wire name, e.g. `"camera"`.
    pub fn as_str(self) -> &'static str {
        match self {
            VideoType::Camera => "camera",
            VideoType::Screen => "screen",
            VideoType::Custom => "custom",
        }
    }
}

/// A client token as received in `connect`. `Debug` never shows it.
#[derive(Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ClientToken(String);

impl ClientToken {
    /// Wraps a token to send.
    pub fn new(token: impl Into<String>) -> Self {
        ClientToken(token.into())
    }

    /// The token text, for verification only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ClientToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClientToken(<redacted>)")
    }
}

/// A message from a client. `id`s are the client's own, echoed in `ack`/`error`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum ClientMessage {
    /// The first frame: join `session_id` with `token`.
    Connect {
        /// The session to join.
        session_id: String,
        /// The client token (T1 or JWT).
        token: ClientToken,
    },
    /// A signal to everyone in the session, or to the connection `to`.
    Signal {
        /// Echoed in the `ack` or `error`.
        id: String,
        /// The one recipient; everyone (sender included) when absent.
        to: Option<Uuid>,
        /// The signal type (may be absent: empty).
        signal_type: Option<String>,
        /// The payload.
        #[serde(default)]
        data: String,
    },
    /// Starts publishing a stream.
    Publish {
        /// Echoed in the `ack` or `error`.
        id: Option<String>,
        /// The client's id for the stream; the hub picks one when absent.
        stream_id: Option<Uuid>,
        /// The stream's display name.
        #[serde(default)]
        name: String,
        /// Whether audio is sent.
        has_audio: bool,
        /// Whether video is sent.
        has_video: bool,
        /// Camera, screen or custom; absent for audio-only.
        video_type: Option<VideoType>,
    },
    /// Stops publishing one of the sender's streams.
    Unpublish {
        /// Echoed in the `ack` or `error`.
        id: Option<String>,
        /// The stream.
        stream_id: Uuid,
    },
    /// Mutes or unmutes one of the sender's streams.
    StreamProperty {
        /// Echoed in the `ack` or `error`.
        id: Option<String>,
        /// The stream.
        stream_id: Uuid,
        /// What changes.
        property: StreamProperty,
        /// The new value.
        value: bool,
    },
    /// WebRTC negotiation (offer, answer, ICE) for `stream_id`, relayed to `to`.
    Rtc {
        /// Echoed in an `error`.
        id: Option<String>,
        /// The peer: the stream's publisher or one of its subscribers.
        to: Uuid,
        /// The stream being negotiated.
        stream_id: Uuid,
        /// Opaque to the hub.
        payload: Value,
    },
    /// Moderators only: disconnect another connection.
    ForceDisconnect {
        /// Echoed in the `ack` or `error`.
        id: Option<String>,
        /// The connection to disconnect.
        connection_id: Uuid,
    },
    /// A heartbeat from a browser, which cannot see WebSocket pings; the hub
    /// answers `pong`, so a client notices a dead link on its own.
    Ping,
    /// An application-level heartbeat answer (any frame counts as one).
    Pong,
}

/// A mutable stream property.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum StreamProperty {
    /// Audio on or off.
    HasAudio,
    /// Video on or off.
    HasVideo,
}

/// Why a connection or stream went away (OpenTok.js's reasons).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Reason {
    /// The client left (clean close, or unpublished).
    ClientDisconnected,
    /// A moderator or the REST API removed it.
    ForceDisconnected,
    /// Its socket died, stayed silent, or could not keep up.
    NetworkDisconnected,
}

/// OpenTok.js's `Connection`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionView {
    /// The connection id.
    pub connection_id: Uuid,
    /// When it connected, epoch milliseconds.
    pub creation_time: u64,
    /// The token's connection data ("" when none).
    pub data: String,
}

/// OpenTok.js's `Stream`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StreamView {
    /// The stream id.
    pub stream_id: Uuid,
    /// The publishing connection.
    pub connection_id: Uuid,
    /// The display name.
    pub name: String,
    /// Whether audio is sent.
    pub has_audio: bool,
    /// Whether video is sent.
    pub has_video: bool,
    /// Camera, screen or custom; `null` for audio-only.
    pub video_type: Option<VideoType>,
    /// When it was published, epoch milliseconds.
    pub creation_time: u64,
}

/// What this connection may do (OpenTok.js uses 1 for allowed, 0 otherwise).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Capabilities {
    /// May publish.
    pub publish: u8,
    /// May force others to disconnect.
    pub force_disconnect: u8,
}

/// A message to a client.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum ServerMessage {
    /// The handshake succeeded: who is already there.
    Connected {
        /// This connection's id.
        connection_id: Uuid,
        /// The other connections, oldest first.
        connections: Vec<ConnectionView>,
        /// The streams already published.
        streams: Vec<StreamView>,
        /// What this connection may do.
        capabilities: Capabilities,
        /// Whether the session is routed: streams go to and come from
        /// [`MEDIA_SERVER`] instead of directly between browsers.
        #[serde(default)]
        routed: bool,
    },
    /// More of the connections that were there before this one joined
    /// (after `connected`, which carries only the first page, so no single
    /// frame grows with the size of the session).
    MoreConnections {
        /// The next page, oldest first.
        connections: Vec<ConnectionView>,
    },
    /// Someone joined.
    ConnectionCreated {
        /// The newcomer.
        connection: ConnectionView,
    },
    /// Someone left.
    ConnectionDestroyed {
        /// Who left.
        connection: ConnectionView,
        /// Why.
        reason: Reason,
    },
    /// A signal; `from` is `null` when sent through the REST API.
    Signal {
        /// The signal type.
        signal_type: String,
        /// The payload.
        data: String,
        /// The sending connection.
        from: Option<Uuid>,
    },
    /// A request succeeded.
    Ack {
        /// The request's id.
        id: String,
    },
    /// A request (or the handshake) was refused.
    Error {
        /// The request's id, when it had one.
        #[serde(skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        /// 400, 403, 404, 413 or 429.
        code: u16,
        /// Why.
        message: String,
    },
    /// A stream was published.
    StreamCreated {
        /// The stream.
        stream: StreamView,
    },
    /// A stream went away.
    StreamDestroyed {
        /// The stream.
        stream: StreamView,
        /// Why.
        reason: Reason,
    },
    /// A stream was muted or unmuted.
    StreamPropertyChanged {
        /// The stream.
        stream_id: Uuid,
        /// What changed.
        property: StreamProperty,
        /// Before.
        old_value: bool,
        /// After.
        new_value: bool,
    },
    /// The answer to a client's `ping`.
    Pong,
    /// This connection is being closed by the platform (a moderator or the
    /// REST API forced it out): the client must not reconnect on its own.
    Disconnected {
        /// Why.
        reason: Reason,
    },
    /// WebRTC negotiation from a peer.
    Rtc {
        /// The sending connection.
        from: Uuid,
        /// The stream being negotiated.
        stream_id: Uuid,
        /// As the peer sent it.
        payload: Value,
    },
    /// The session is being recorded (sent to everyone when an archive
    /// starts, and to a newcomer right after `connected`).
    ArchiveStarted {
        /// The archive's id.
        id: Uuid,
        /// Its name, if it was given one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    },
    /// An archive of the session stopped recording.
    ArchiveStopped {
        /// The archive's id.
        id: Uuid,
    },
}

impl ServerMessage {
    /// The JSON text of the message.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("server messages have only string keys and serialise")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn client_messages_use_camel_case_tags_and_fields() {
        let msg: ClientMessage = serde_json::from_value(json!({
            "type": "streamProperty", "id": "7", "streamId": Uuid::nil(),
            "property": "hasAudio", "value": false
        }))
        .unwrap();
        assert!(matches!(
            msg,
            ClientMessage::StreamProperty {
                property: StreamProperty::HasAudio,
                value: false,
                ..
            }
        ));
        let msg: ClientMessage =
            serde_json::from_value(json!({"type": "signal", "id": "1", "data": "hi"})).unwrap();
        assert!(matches!(
            msg,
            ClientMessage::Signal {
                to: None,
                signal_type: None,
                ..
            }
        ));
        assert!(serde_json::from_value::<ClientMessage>(json!({"type": "nope"})).is_err());
    }

    #[test]
    fn tokens_are_redacted_in_debug_output() {
        let msg: ClientMessage = serde_json::from_value(
            json!({"type": "connect", "sessionId": "s", "token": "T1==secret"}),
        )
        .unwrap();
        let shown = format!("{msg:?}");
        assert!(
            !shown.contains("secret") && shown.contains("redacted"),
            "{shown}"
        );
    }

    #[test]
    fn server_messages_serialise_as_the_protocol_says() {
        let msg = ServerMessage::StreamPropertyChanged {
            stream_id: Uuid::nil(),
            property: StreamProperty::HasVideo,
            old_value: true,
            new_value: false,
        };
        let value: Value = serde_json::from_str(&msg.to_json()).unwrap();
        assert_eq!(
            value,
            json!({"type": "streamPropertyChanged", "streamId": Uuid::nil(),
                   "property": "hasVideo", "oldValue": true, "newValue": false})
        );
        let error = ServerMessage::Error {
            id: None,
            code: 404,
            message: "gone".into(),
        };
        assert_eq!(
            error.to_json(),
            r#"{"type":"error","code":404,"message":"gone"}"#
        );
        let signal = ServerMessage::Signal {
            signal_type: "t".into(),
            data: "d".into(),
            from: None,
        };
        assert_eq!(
            signal.to_json(),
            r#"{"type":"signal","signalType":"t","data":"d","from":null}"#
        );
    }
}
