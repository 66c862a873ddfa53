//! What the load clients make of the hub's frames. Only `signal` and
//! `error` frames are parsed (as the shared `ServerMessage`); the thousands
//! of `connectionCreated` frames a join flood brings are recognised by
//! their first bytes, so the clients spend their time reading, not parsing.

use app::hub_protocol::ServerMessage;

/// The `signalType` of the benchmark's broadcasts.
pub const SIGNAL_TYPE: &str = "load";

/// What one frame is to the benchmark.
#[derive(Debug, PartialEq, Eq)]
pub enum Frame {
    /// `connected`: the handshake succeeded.
    Connected,
    /// `connectionCreated`: someone joined after this client.
    Created,
    /// A benchmark broadcast, with its round.
    Signal(u32),
    /// `error`: the hub refused something (code and message).
    Refused(String),
    /// Anything else.
    Other,
}

/// Sorts a frame, fully parsing only the few that matter. The hub
/// serialises `ServerMessage` with its `type` tag first, so the flood of
/// `connectionCreated` frames is recognised without parsing.
pub fn classify(text: &str) -> Frame {
    const CONNECTED: &str = r#"{"type":"connected""#;
    const CREATED: &str = r#"{"type":"connectionCreated""#;
    const SIGNAL: &str = r#"{"type":"signal""#;
    const ERROR: &str = r#"{"type":"error""#;
    if text.starts_with(CREATED) {
        return Frame::Created;
    }
    if text.starts_with(CONNECTED) {
        return Frame::Connected;
    }
    if !text.starts_with(SIGNAL) && !text.starts_with(ERROR) {
        return Frame::Other;
    }
    match serde_json::from_str::<ServerMessage>(text) {
        Ok(ServerMessage::Signal {
            signal_type, data, ..
        }) if signal_type == SIGNAL_TYPE => data.parse().map_or(Frame::Other, Frame::Signal),
        Ok(ServerMessage::Error { code, message, .. }) => {
            Frame::Refused(format!("{code} {message}"))
        }
        _ => Frame::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::hub_protocol::{Capabilities, ConnectionView};
    use uuid::Uuid;

    fn view() -> ConnectionView {
        ConnectionView {
            connection_id: Uuid::new_v4(),
            creation_time: 1,
            data: "c=1".into(),
        }
    }

    fn signal(signal_type: &str, data: &str) -> String {
        ServerMessage::Signal {
            signal_type: signal_type.into(),
            data: data.into(),
            from: Some(Uuid::new_v4()),
        }
        .to_json()
    }

    #[test]
    fn frames_are_sorted_by_the_hubs_own_serialisation() {
        let created = ServerMessage::ConnectionCreated { connection: view() };
        assert_eq!(classify(&created.to_json()), Frame::Created);
        let connected = ServerMessage::Connected {
            connection_id: Uuid::new_v4(),
            connections: vec![view()],
            streams: vec![],
            capabilities: Capabilities {
                publish: 1,
                force_disconnect: 0,
            },
        };
        assert_eq!(classify(&connected.to_json()), Frame::Connected);
        assert_eq!(classify(&signal(SIGNAL_TYPE, "7")), Frame::Signal(7));
        assert_eq!(classify(&signal("chat", "7")), Frame::Other);
        assert_eq!(classify(&signal(SIGNAL_TYPE, "x")), Frame::Other);
        let refused = ServerMessage::Error {
            id: Some("r1".into()),
            code: 429,
            message: "slow down".into(),
        };
        assert_eq!(
            classify(&refused.to_json()),
            Frame::Refused("429 slow down".into())
        );
        assert_eq!(classify(&ServerMessage::Pong.to_json()), Frame::Other);
    }
}
