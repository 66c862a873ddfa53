//! The realtime hub: the WebSocket endpoint `GET /rtc` through which
//! browsers join sessions of the embedded engine, with OpenTok.js's session
//! semantics (§6): connections, signals, streams and WebRTC relay.
//!
//! **Handshake.** Browsers cannot set headers and tokens must stay out of
//! URLs (they get logged), so the first frame must be
//! `{"type":"connect","sessionId","token"}` within
//! [`HubConfig::handshake_timeout`]. The token is verified (T1 or JWT,
//! signature, expiry), must name that session, and the session must exist;
//! otherwise the client gets `{"type":"error","code":403|404|400}` and the
//! socket closes. On success the connection is registered in the engine's
//! [`Connections`](crate::engine::Connections) registry (so the REST API
//! can list, signal and force-disconnect it) and receives `connected` with
//! the connections and streams already there; the others get
//! `connectionCreated`. The message set is in [`protocol`].
//!
//! **Quiet sessions.** For a session marked with
//! [`Hub::suppress_connection_events`] (OpenTok.js's
//! `connectionEventsSuppressed`) nobody hears of connections: no
//! `connectionCreated`, `connectionDestroyed` or `moreConnections`, and
//! `connected` lists none; streams and signals are unchanged. A large
//! session whose members learn about each other some other way (presence)
//! then costs one frame per join — the newcomer's `connected` — instead of
//! one per member.
//!
//! **Roles.** Subscribers cannot publish (403); only moderators may send
//! `forceDisconnect` (403). Signals follow OpenTok's limits (400/413), 404
//! for an absent target and 429 past a per-connection token bucket
//! ([`rate`]); a broadcast reaches the sender too.
//!
//! **Liveness and memory.** Each connection has a bounded outbound queue
//! ([`HubConfig::queue_capacity`]) drained by its own writer task; a reader
//! too slow to keep up fills it and is disconnected. The server sends a
//! WebSocket Ping every [`HubConfig::heartbeat_interval`] (browsers answer
//! on their own); a connection silent for [`HubConfig::idle_timeout`] is
//! dropped. Others see `connectionDestroyed` with `clientDisconnected`
//! (clean close), `forceDisconnected` or `networkDisconnected`, preceded by
//! `streamDestroyed` for its streams.
//!
//! **Locking.** The map of sessions is an `RwLock` taken only to find,
//! create or drop a [`Room`](room::Room) (a new room of a quiet session is
//! made quiet there); each room has its own mutex, held only for in-memory
//! updates and `try_send`s, never across an `.await`.
//!
//! **Scaling out (later).** Everything a room sends is a serialised frame
//! addressed to "everyone" or to one connection id. A Redis backend would
//! publish those frames on a channel per session (`rtc:{sessionId}`) and
//! keep members and streams in per-session hashes; every instance
//! subscribes to the channels of its local rooms and delivers to its local
//! members. Only `Room`'s delivery and its member/stream maps change; the
//! socket tasks and the protocol stay as they are.

mod error;
mod rate;
mod room;
mod socket;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;

pub use app::hub_protocol as protocol;
pub use error::HubError;
pub use rate::{SIGNALS_PER_SECOND, SIGNAL_BURST};

use super::Engine;
use crate::opentok::model::Stream;
use crate::opentok::session_id::SessionId;
use protocol::ServerMessage;
use room::Room;
use uuid::Uuid;

/// Timings and limits of the hub. Tests shorten the timings.
#[derive(Debug, Clone)]
pub struct HubConfig {
    /// How long a new socket has to send `connect`.
    pub handshake_timeout: Duration,
    /// How often the server pings.
    pub heartbeat_interval: Duration,
    /// How long a connection may stay silent before it is dropped.
    pub idle_timeout: Duration,
    /// Outbound frames one connection may have queued.
    pub queue_capacity: usize,
    /// Largest accepted inbound message, in bytes.
    pub max_message_bytes: usize,
    /// Initial read buffer of each socket, in bytes; it grows for larger
    /// messages. Tungstenite's 128 KiB default is zero-filled on the first
    /// read, which alone would cost 128 KiB of RSS per connection.
    pub read_buffer_bytes: usize,
    /// Sustained signals per second per connection.
    pub signal_rate: u32,
    /// Signal burst per connection.
    pub signal_burst: u32,
}

impl Default for HubConfig {
    fn default() -> Self {
        HubConfig {
            handshake_timeout: Duration::from_secs(5),
            heartbeat_interval: Duration::from_secs(3),
            idle_timeout: Duration::from_secs(10),
            queue_capacity: 256,
            max_message_bytes: 64 * 1024,
            read_buffer_bytes: 4 * 1024,
            signal_rate: SIGNALS_PER_SECOND,
            signal_burst: SIGNAL_BURST,
        }
    }
}

/// The live rooms of this instance.
#[derive(Debug, Default)]
pub struct Hub {
    rooms: RwLock<Rooms>,
    config: HubConfig,
}

/// What the hub's one lock guards.
#[derive(Debug, Default)]
struct Rooms {
    /// The live room of each session with someone in it.
    live: HashMap<SessionId, Arc<Room>>,
    /// Sessions whose connection events are suppressed.
    quiet: HashSet<SessionId>,
    /// The archives recording each session, announced to newcomers.
    recording: HashMap<SessionId, Vec<(Uuid, Option<String>)>>,
}

impl Hub {
    /// An empty hub with `config`.
    pub fn new(config: HubConfig) -> Self {
        Hub {
            rooms: RwLock::default(),
            config,
        }
    }

    /// Its timings and limits.
    pub fn config(&self) -> &HubConfig {
        &self.config
    }

    /// From now on, the session's connection events are suppressed: nobody
    /// receives `connectionCreated`, `connectionDestroyed` or
    /// `moreConnections`, and `connected` lists no connections (a room
    /// already live is switched at once). Streams and signals are unchanged.
    pub fn suppress_connection_events(&self, session_id: &SessionId) {
        let mut rooms = self.rooms.write().unwrap_or_else(PoisonError::into_inner);
        rooms.quiet.insert(session_id.clone());
        if let Some(room) = rooms.live.get(session_id) {
            room.suppress_connection_events();
        }
    }

    /// Whether the session's connection events are suppressed.
    pub fn connection_events_suppressed(&self, session_id: &SessionId) -> bool {
        let rooms = self.rooms.read().unwrap_or_else(PoisonError::into_inner);
        rooms.quiet.contains(session_id)
    }

    /// The streams published in a session, oldest first.
    pub fn streams(&self, session_id: &SessionId) -> Vec<Stream> {
        self.find(session_id)
            .map(|room| room.rest_streams())
            .unwrap_or_default()
    }

    /// Sends `message` to one connection of a session; `false` when it is
    /// not connected here.
    pub fn send_to(&self, session_id: &SessionId, connection: Uuid, message: &ServerMessage) -> bool {
        self.find(session_id)
            .is_some_and(|room| room.send_to(connection, message))
    }

    /// An archive of the session started recording: everyone in it gets
    /// `archiveStarted` now, and so does every later newcomer until
    /// [`archive_stopped`](Self::archive_stopped).
    pub fn archive_started(&self, session_id: &SessionId, archive: Uuid, name: Option<String>) {
        let room = {
            let mut rooms = self.rooms.write().unwrap_or_else(PoisonError::into_inner);
            let list = rooms.recording.entry(session_id.clone()).or_default();
            list.retain(|(id, _)| *id != archive);
            list.push((archive, name.clone()));
            rooms.live.get(session_id).cloned()
        };
        if let Some(room) = room {
            room.announce(&ServerMessage::ArchiveStarted { id: archive, name });
        }
    }

    /// An archive of the session stopped: everyone in it gets `archiveStopped`.
    pub fn archive_stopped(&self, session_id: &SessionId, archive: Uuid) {
        let room = {
            let mut rooms = self.rooms.write().unwrap_or_else(PoisonError::into_inner);
            if let Some(list) = rooms.recording.get_mut(session_id) {
                list.retain(|(id, _)| *id != archive);
                if list.is_empty() {
                    rooms.recording.remove(session_id);
                }
            }
            rooms.live.get(session_id).cloned()
        };
        if let Some(room) = room {
            room.announce(&ServerMessage::ArchiveStopped { id: archive });
        }
    }

    /// The `archiveStarted` messages a newcomer to the session receives.
    fn recording_notices(&self, session_id: &SessionId) -> Vec<ServerMessage> {
        let rooms = self.rooms.read().unwrap_or_else(PoisonError::into_inner);
        rooms
            .recording
            .get(session_id)
            .into_iter()
            .flatten()
            .map(|(id, name)| ServerMessage::ArchiveStarted {
                id: *id,
                name: name.clone(),
            })
            .collect()
    }

    fn find(&self, session_id: &SessionId) -> Option<Arc<Room>> {
        let rooms = self.rooms.read().unwrap_or_else(PoisonError::into_inner);
        rooms.live.get(session_id).cloned()
    }

    /// The session's room, created if needed.
    fn room(&self, session_id: &SessionId) -> Arc<Room> {
        if let Some(room) = self.find(session_id) {
            return room;
        }
        let mut rooms = self.rooms.write().unwrap_or_else(PoisonError::into_inner);
        let Rooms { live, quiet, .. } = &mut *rooms;
        live.entry(session_id.clone())
            .or_insert_with(|| {
                if quiet.contains(session_id) {
                    Arc::new(Room::quiet())
                } else {
                    Arc::default()
                }
            })
            .clone()
    }

    /// Drops the session's room if nobody is left in it.
    fn release(&self, session_id: &SessionId, room: &Arc<Room>) {
        let mut rooms = self.rooms.write().unwrap_or_else(PoisonError::into_inner);
        let current = rooms
            .live
            .get(session_id)
            .is_some_and(|r| Arc::ptr_eq(r, room));
        if current && room.close_if_empty() {
            rooms.live.remove(session_id);
        }
    }
}

/// `GET /rtc`, with `engine` as its state.
pub fn router(engine: Engine) -> Router {
    Router::new().route("/rtc", get(upgrade)).with_state(engine)
}

async fn upgrade(State(engine): State<Engine>, ws: WebSocketUpgrade) -> Response {
    let config = engine.hub().config();
    let limit = config.max_message_bytes;
    ws.max_message_size(limit)
        .max_frame_size(limit)
        .read_buffer_size(config.read_buffer_bytes)
        .on_upgrade(move |socket| socket::serve(engine, socket))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opentok::model::MediaMode;

    #[test]
    fn rooms_are_shared_per_session_and_dropped_when_empty() {
        let hub = Hub::default();
        let session = SessionId::generate("123456", None, MediaMode::Routed);
        let room = hub.room(&session);
        assert!(Arc::ptr_eq(&room, &hub.room(&session)));
        hub.release(&session, &room);
        assert!(hub.find(&session).is_none(), "an empty room is dropped");
        assert!(
            room.close_if_empty(),
            "and closed, so late joiners fetch a new one"
        );
        assert!(!Arc::ptr_eq(&room, &hub.room(&session)));
    }

    #[test]
    fn suppression_covers_the_live_room_and_later_ones_of_that_session_only() {
        let hub = Hub::default();
        let quiet = SessionId::generate("123456", None, MediaMode::Routed);
        let loud = SessionId::generate("123456", None, MediaMode::Routed);
        let live = hub.room(&quiet);
        hub.suppress_connection_events(&quiet);
        assert!(hub.connection_events_suppressed(&quiet));
        assert!(!hub.connection_events_suppressed(&loud));
        assert!(live.is_quiet(), "the live room is switched at once");
        hub.release(&quiet, &live);
        assert!(
            hub.room(&quiet).is_quiet(),
            "a new room of the session is quiet"
        );
        assert!(!hub.room(&loud).is_quiet());
    }
}
