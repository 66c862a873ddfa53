//! One session's live state on this instance: its members (each with a
//! bounded outbound queue) and its published streams, behind the session's
//! own `std::sync::Mutex`. The lock is never held across an `.await`: every
//! delivery is a `try_send` of an already-serialised frame, so a broadcast
//! costs one serialisation and one cheap clone per member.
//!
//! A member whose queue is full (a slow reader) or closed is removed on the
//! spot, its task is told to stop, and the others see its streams and its
//! connection destroyed (`networkDisconnected`). A room whose connection
//! events are suppressed ([`Room::suppress_connection_events`]) never
//! announces connections, only streams and signals.
//!
//! Membership and signals are here; the state and its delivery are in
//! `state`, the stream operations in `streams`.

mod state;
mod streams;

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::extract::ws::Utf8Bytes;
use tokio::sync::{mpsc, Notify};
use uuid::Uuid;

use super::error::HubError;
use super::protocol::{ConnectionView, Reason, ServerMessage, StreamView};
use crate::opentok::model::Signal;
use state::State;
pub use streams::NewStream;

/// Connections per frame of the list a newcomer receives: small, because a
/// socket keeps a write buffer as large as the largest frame it ever sent.
pub const CONNECTIONS_PAGE: usize = 20;

/// What a connection's writer sends down its socket.
#[derive(Debug, Clone)]
pub enum Outbound {
    /// A JSON text frame.
    Text(Utf8Bytes),
    /// A WebSocket Ping (heartbeat).
    Ping,
    /// The rest of a newcomer's list of connections; the writer sends it as
    /// `moreConnections` frames of [`CONNECTIONS_PAGE`] each.
    Connections(Vec<ConnectionView>),
}

/// A connection as the room sees it.
#[derive(Debug)]
pub struct Member {
    /// How others see it.
    pub view: ConnectionView,
    /// Its bounded outbound queue.
    pub outbox: mpsc::Sender<Outbound>,
    /// Woken when the room removes it (slow reader); its task then ends.
    pub evicted: Arc<Notify>,
}

/// One session's members and streams.
#[derive(Debug, Default)]
pub struct Room {
    state: Mutex<State>,
}

/// The room was closed before the member could join; the member is handed back.
#[derive(Debug)]
pub struct RoomClosed(pub Member);

impl Room {
    /// A room whose connection events are suppressed from the start.
    pub fn quiet() -> Self {
        let room = Room::default();
        room.suppress_connection_events();
        room
    }

    /// From now on nobody hears of connections coming and going: no
    /// `connectionCreated`, `connectionDestroyed` or `moreConnections`, and
    /// `connected` lists no connections (OpenTok.js's
    /// `connectionEventsSuppressed`). Streams and signals are unaffected.
    pub fn suppress_connection_events(&self) {
        self.lock().quiet = true;
    }

    /// Whether connection events are suppressed.
    #[cfg(test)]
    pub(super) fn is_quiet(&self) -> bool {
        self.lock().quiet
    }

    /// Adds `member`: it receives `connected` (with `connected` built by
    /// `greeting` from who is already there), everyone else `connectionCreated`
    /// — unless connection events are suppressed.
    pub fn join(
        &self,
        member: Member,
        greeting: impl FnOnce(Vec<ConnectionView>, Vec<StreamView>) -> ServerMessage,
    ) -> Result<(), RoomClosed> {
        let mut state = self.lock();
        if state.closed {
            return Err(RoomClosed(member));
        }
        if state.quiet {
            let hello = encode(&greeting(Vec::new(), state.streams.clone()));
            // A fresh queue has room for its first item.
            let _ = member.outbox.try_send(Outbound::Text(hello));
            state.members.insert(member.view.connection_id, member);
            return Ok(());
        }
        let mut others: Vec<ConnectionView> =
            state.members.values().map(|m| m.view.clone()).collect();
        others.sort_by_key(|view| (view.creation_time, view.connection_id));
        // The list goes out in small frames: one huge greeting would cost
        // every member write-buffer memory in proportion to the session.
        let rest = others.split_off(others.len().min(CONNECTIONS_PAGE));
        let hello = encode(&greeting(others, state.streams.clone()));
        // A fresh queue has room for its first two items.
        let _ = member.outbox.try_send(Outbound::Text(hello));
        if !rest.is_empty() {
            let _ = member.outbox.try_send(Outbound::Connections(rest));
        }
        state.send_all(encode(&ServerMessage::ConnectionCreated {
            connection: member.view.clone(),
        }));
        state.members.insert(member.view.connection_id, member);
        Ok(())
    }

    /// Removes a member (if still there) with its streams, telling the others why.
    pub fn leave(&self, id: Uuid, reason: Reason) {
        self.lock().remove(id, reason);
    }

    /// Marks the room closed if nobody is in it; `true` if it was closed.
    pub fn close_if_empty(&self) -> bool {
        let mut state = self.lock();
        state.closed = state.closed || state.members.is_empty();
        state.closed
    }

    /// Delivers a signal from `from` (`None`: the REST API) to `to`, or to everyone.
    pub fn signal(
        &self,
        from: Option<Uuid>,
        to: Option<Uuid>,
        signal: &Signal,
    ) -> Result<(), HubError> {
        let text = encode(&ServerMessage::Signal {
            signal_type: signal.signal_type().to_owned(),
            data: signal.data().to_owned(),
            from,
        });
        let mut state = self.lock();
        match to {
            Some(to) if !state.members.contains_key(&to) => Err(HubError::not_found(format!(
                "connection {to} is not connected"
            ))),
            Some(to) => {
                state.send_each(&[to], text);
                Ok(())
            }
            None => {
                state.send_all(text);
                Ok(())
            }
        }
    }

    /// Sends `message` to everyone in the room.
    pub fn announce(&self, message: &ServerMessage) {
        self.lock().send_all(encode(message));
    }

    /// Sends `message` to one member; `false` when it is not here.
    pub fn send_to(&self, connection: Uuid, message: &ServerMessage) -> bool {
        let mut state = self.lock();
        if !state.members.contains_key(&connection) {
            return false;
        }
        state.send_each(&[connection], encode(message));
        true
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Every update leaves the maps consistent, so a poisoned lock is usable.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Serialises once; the frame is then shared by every recipient.
pub fn encode(message: &ServerMessage) -> Utf8Bytes {
    Utf8Bytes::from(message.to_json())
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::super::protocol::Capabilities;
    use super::*;

    /// A member with a queue of `capacity`, and that queue.
    pub(super) fn member(capacity: usize) -> (Member, mpsc::Receiver<Outbound>) {
        let (outbox, queue) = mpsc::channel(capacity);
        let view = ConnectionView {
            connection_id: Uuid::new_v4(),
            creation_time: crate::engine::now_ms(),
            data: "name=x".into(),
        };
        let evicted = Arc::new(Notify::new());
        (
            Member {
                view,
                outbox,
                evicted,
            },
            queue,
        )
    }

    /// Joins a new member with a queue of `capacity`; its id and queue.
    pub(super) fn join(room: &Room, capacity: usize) -> (Uuid, mpsc::Receiver<Outbound>) {
        let (member, queue) = member(capacity);
        let id = member.view.connection_id;
        room.join(member, |connections, streams| ServerMessage::Connected {
            connection_id: id,
            connections,
            streams,
            capabilities: Capabilities {
                publish: 1,
                force_disconnect: 0,
            },
            routed: false,
        })
        .expect("the room is open");
        (id, queue)
    }

    /// The types of the text frames queued so far.
    pub(super) fn types(queue: &mut mpsc::Receiver<Outbound>) -> Vec<String> {
        let mut seen = Vec::new();
        while let Ok(Outbound::Text(text)) = queue.try_recv() {
            let value: Value = serde_json::from_str(text.as_str()).unwrap();
            seen.push(value["type"].as_str().unwrap().to_owned());
        }
        seen
    }

    #[test]
    fn a_quiet_room_greets_with_no_connections_and_announces_nobody() {
        let room = Room::default();
        let (_loud, mut loud_queue) = join(&room, 64);
        room.suppress_connection_events();
        let (_quiet, mut quiet_queue) = join(&room, 64);
        let (_late, mut late_queue) = join(&room, 64);
        let Some(Outbound::Text(hello)) = late_queue.try_recv().ok() else {
            panic!("the newcomer is greeted first");
        };
        let hello: Value = serde_json::from_str(hello.as_str()).expect("JSON");
        assert_eq!(hello["type"], "connected");
        assert_eq!(hello["connections"], serde_json::json!([]));
        assert!(late_queue.try_recv().is_err(), "no moreConnections either");
        room.signal(None, None, &Signal::new("t", "x").expect("a valid signal"))
            .expect("a broadcast");
        assert_eq!(types(&mut loud_queue), ["connected", "signal"]);
        assert_eq!(types(&mut quiet_queue), ["connected", "signal"]);
    }

    #[test]
    fn a_slow_member_is_evicted_and_the_others_are_told() {
        let room = Room::default();
        let (_fast, mut fast_queue) = join(&room, 64);
        let (slow, _slow_queue) = join(&room, 2);
        types(&mut fast_queue);
        let signal = Signal::new("t", "x").unwrap();
        for _ in 0..3 {
            room.signal(None, None, &signal).unwrap();
        }
        assert_eq!(
            types(&mut fast_queue),
            ["signal", "signal", "connectionDestroyed", "signal"],
            "the slow queue holds `connected` and one signal, then overflows"
        );
        assert_eq!(
            room.signal(None, Some(slow), &signal),
            Err(HubError::not_found(format!(
                "connection {slow} is not connected"
            )))
        );
    }
}
