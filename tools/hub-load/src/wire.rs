//! What the load clients make of the hub's frames. Only benchmark `signal`
//! and `error` frames are parsed (as the shared `ServerMessage`); the
//! thousands of `connectionCreated` frames a join flood brings, and the
//! presence events (`userJoined`, list chunks, `userChanged`), are
//! recognised by their first and last bytes, so the clients spend their
//! time reading, not parsing.

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
    /// `connectionDestroyed` or `moreConnections`: other connection news.
    ConnectionNews,
    /// A `presence` signal from the server.
    Presence(PresenceFrame),
    /// A benchmark broadcast, with its round.
    Signal(u32),
    /// `error`: the hub refused something (code and message).
    Refused(String),
    /// Anything else.
    Other,
}

/// A presence event, by kind.
#[derive(Debug, PartialEq, Eq)]
pub enum PresenceFrame {
    /// A chunk of the newcomer's list; `last` completes it.
    Snapshot {
        /// How many people it names.
        users: u64,
        /// Whether this is the final chunk.
        last: bool,
    },
    /// `userJoined`.
    Joined,
    /// `userLeft`.
    Left,
    /// `userChanged`.
    Changed,
    /// Any other presence event.
    Other,
}

/// How a `presence` signal frame starts, up to its event name: the hub
/// writes `type`, `signalType`, `data`, `from` in that order, and presence
/// writes its `event` tag first inside `data`.
const PRESENCE: &str = r#"{"type":"signal","signalType":"presence","data":"{\"event\":\""#;

/// How the final list chunk ends: `last` is the snapshot's final field and
/// server events have no sender. Quotes inside names are escaped twice
/// there, so no name can fake it.
const LAST_CHUNK: &str = r#"\"last\":true}","from":null}"#;

/// How each person in a list chunk starts (`RemoteUser`'s first field);
/// a name's quotes are escaped twice, so no name can fake it.
const USER: &str = r#"{\"id\":"#;

/// The kind of a presence frame, from what follows [`PRESENCE`].
fn presence(event: &str) -> PresenceFrame {
    if event.starts_with(r#"snapshot\""#) {
        // `event` is the frame's tail, so it ends as the frame does.
        PresenceFrame::Snapshot {
            users: event.matches(USER).count() as u64,
            last: event.ends_with(LAST_CHUNK),
        }
    } else if event.starts_with(r#"userJoined\""#) {
        PresenceFrame::Joined
    } else if event.starts_with(r#"userLeft\""#) {
        PresenceFrame::Left
    } else if event.starts_with(r#"userChanged\""#) {
        PresenceFrame::Changed
    } else {
        PresenceFrame::Other
    }
}

/// Sorts a frame, fully parsing only the few that matter. The hub
/// serialises `ServerMessage` with its `type` tag first, so the flood of
/// `connectionCreated` frames is recognised without parsing.
pub fn classify(text: &str) -> Frame {
    const CONNECTED: &str = r#"{"type":"connected""#;
    const CREATED: &str = r#"{"type":"connectionCreated""#;
    const SIGNAL: &str = r#"{"type":"signal""#;
    const ERROR: &str = r#"{"type":"error""#;
    const DESTROYED: &str = r#"{"type":"connectionDestroyed""#;
    const MORE: &str = r#"{"type":"moreConnections""#;
    if text.starts_with(CREATED) {
        return Frame::Created;
    }
    if let Some(event) = text.strip_prefix(PRESENCE) {
        return Frame::Presence(presence(event));
    }
    if text.starts_with(DESTROYED) || text.starts_with(MORE) {
        return Frame::ConnectionNews;
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
    use app::hub_protocol::{Capabilities, ConnectionView, Reason};
    use app::models::DisplayName;
    use app::presence::{
        DeclineReason, InvitationId, PresenceEvent, RemoteUser, UserId, UserState, PRESENCE_SIGNAL,
    };
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
            routed: false,
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

    /// A server `presence` signal carrying `event`, as the hub sends it.
    fn presence_frame(event: PresenceEvent) -> String {
        ServerMessage::Signal {
            signal_type: PRESENCE_SIGNAL.into(),
            data: event.to_json(),
            from: None,
        }
        .to_json()
    }

    fn user(name: &str) -> RemoteUser {
        RemoteUser {
            id: UserId(Uuid::new_v4()),
            name: DisplayName::parse(name).expect("a valid name"),
            state: UserState::Available,
        }
    }

    #[test]
    fn presence_events_are_sorted_by_their_kind() {
        let joined = PresenceEvent::UserJoined { user: user("Ada") };
        assert_eq!(
            classify(&presence_frame(joined)),
            Frame::Presence(PresenceFrame::Joined)
        );
        let changed = PresenceEvent::UserChanged {
            id: UserId(Uuid::new_v4()),
            state: UserState::InvitePending,
        };
        assert_eq!(
            classify(&presence_frame(changed)),
            Frame::Presence(PresenceFrame::Changed)
        );
        let left = PresenceEvent::UserLeft {
            id: UserId(Uuid::new_v4()),
        };
        assert_eq!(
            classify(&presence_frame(left)),
            Frame::Presence(PresenceFrame::Left)
        );
        let closed = PresenceEvent::InvitationClosed {
            id: InvitationId(Uuid::new_v4()),
            reason: DeclineReason::Cancelled,
        };
        assert_eq!(
            classify(&presence_frame(closed)),
            Frame::Presence(PresenceFrame::Other)
        );
        // A name that looks like the end of a final chunk, or like the
        // start of a person, cannot fake either.
        let sly = user(r#"x\"last\":true}{\"id\":"#);
        for last in [false, true] {
            let chunk = PresenceEvent::Snapshot {
                users: vec![user("Bo"), sly.clone(), user("Cy")],
                last,
            };
            assert_eq!(
                classify(&presence_frame(chunk)),
                Frame::Presence(PresenceFrame::Snapshot { users: 3, last })
            );
        }
        let empty = PresenceEvent::Snapshot {
            users: Vec::new(),
            last: true,
        };
        assert_eq!(
            classify(&presence_frame(empty)),
            Frame::Presence(PresenceFrame::Snapshot {
                users: 0,
                last: true
            })
        );
    }

    #[test]
    fn other_connection_news_is_recognised() {
        let destroyed = ServerMessage::ConnectionDestroyed {
            connection: view(),
            reason: Reason::ClientDisconnected,
        };
        assert_eq!(classify(&destroyed.to_json()), Frame::ConnectionNews);
        let more = ServerMessage::MoreConnections {
            connections: vec![view()],
        };
        assert_eq!(classify(&more.to_json()), Frame::ConnectionNews);
    }
}
