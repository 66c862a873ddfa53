//! What a local session knows — its link, its own connection id, the other
//! connections and streams, its publishers and subscribers, the requests
//! awaiting an `ack` — and how each hub message changes it. Pure
//! bookkeeping: it returns the [`SessionEvent`]s to deliver and leaves
//! media and callbacks to the caller.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use futures::channel::oneshot;
use uuid::Uuid;

use super::link::{Link, Welcome};
use super::publisher::LocalPublisher;
use super::subscriber::LocalSubscriber;
use crate::hub_protocol::{ConnectionView, Reason, ServerMessage, StreamProperty, StreamView};
use crate::video::{Connection, SessionEvent, StreamInfo, VideoError};

/// The session's bookkeeping.
#[derive(Default)]
pub(super) struct State {
    pub link: Option<Link>,
    pub me: Option<Uuid>,
    /// Own connection ids of earlier links (the hub may still list them).
    former: HashSet<Uuid>,
    pub can_publish: bool,
    /// Whether the session is routed: every stream's peer is the server.
    pub routed: bool,
    connections: HashMap<Uuid, Connection>,
    pub streams: HashMap<Uuid, StreamInfo>,
    pub publishers: HashMap<Uuid, Rc<LocalPublisher>>,
    pub subscribers: HashMap<Uuid, Rc<LocalSubscriber>>,
    pub pending: HashMap<String, oneshot::Sender<Result<(), VideoError>>>,
    next_request: u64,
    /// The page left: no events, no reconnection.
    pub left: bool,
    /// The platform put this client out: no reconnection.
    pub forced: Option<Reason>,
}

/// What applying one message produced.
#[derive(Default)]
pub(super) struct Outcome {
    pub events: Vec<SessionEvent>,
    /// Connections that left (publishers drop their peers to them).
    pub departed: Vec<Uuid>,
    /// Streams that ended (their subscriptions close).
    pub ended_streams: Vec<Uuid>,
}

fn connection(view: ConnectionView) -> Connection {
    Connection {
        id: view.connection_id.to_string(),
        data: view.data,
        creation_time: view.creation_time,
    }
}

fn stream(view: StreamView) -> StreamInfo {
    StreamInfo {
        id: view.stream_id.to_string(),
        connection_id: view.connection_id.to_string(),
        name: view.name,
        has_audio: view.has_audio,
        has_video: view.has_video,
        video_type: view.video_type,
    }
}

impl State {
    /// A fresh id for a request.
    pub fn next_request_id(&mut self) -> String {
        self.next_request += 1;
        self.next_request.to_string()
    }

    fn is_own(&self, connection: &Uuid) -> bool {
        self.me.as_ref() == Some(connection) || self.former.contains(connection)
    }

    /// Takes a new link: remembers who is there and reports them as created.
    pub fn adopt(&mut self, link: Link, welcome: Welcome) -> Vec<SessionEvent> {
        self.link = Some(link);
        self.me = Some(welcome.connection_id);
        self.can_publish = welcome.capabilities.publish == 1;
        self.routed = welcome.routed;
        let mut events: Vec<SessionEvent> = Vec::new();
        for view in welcome.connections {
            events.extend(self.remember_connection(view));
        }
        for view in welcome.streams {
            events.extend(self.remember_stream(view));
        }
        events
    }

    /// Records someone else's connection; the event announcing it (none for
    /// this client's own connections, current or earlier).
    fn remember_connection(&mut self, view: ConnectionView) -> Option<SessionEvent> {
        if self.is_own(&view.connection_id) {
            return None;
        }
        let id = view.connection_id;
        let created = connection(view);
        self.connections.insert(id, created.clone());
        Some(SessionEvent::ConnectionCreated(created))
    }

    /// Records someone else's stream; the event announcing it.
    fn remember_stream(&mut self, view: StreamView) -> Option<SessionEvent> {
        if self.is_own(&view.connection_id) {
            return None;
        }
        let id = view.stream_id;
        let created = stream(view);
        self.streams.insert(id, created.clone());
        Some(SessionEvent::StreamCreated(created))
    }

    /// The link is gone: requests in flight fail.
    pub fn lose_link(&mut self) {
        self.link = None;
        for (_, answer) in self.pending.drain() {
            let _ = answer.send(Err(VideoError::Network("the connection dropped".into())));
        }
    }

    /// Hands over every subscriber and publisher (to close or restart them).
    pub fn take_media(&mut self) -> (Vec<Rc<LocalSubscriber>>, Vec<Rc<LocalPublisher>>) {
        (
            self.subscribers.drain().map(|(_, s)| s).collect(),
            self.publishers.drain().map(|(_, p)| p).collect(),
        )
    }

    /// After a reconnection: everything known before is reported gone, then
    /// the session as it is now.
    pub fn resume(&mut self, link: Link, welcome: Welcome) -> Vec<SessionEvent> {
        if let Some(old) = self.me.take() {
            self.former.insert(old);
        }
        let mut events = vec![SessionEvent::Reconnected];
        for (_, stream) in self.streams.drain() {
            events.push(SessionEvent::StreamDestroyed {
                stream,
                reason: Reason::NetworkDisconnected,
            });
        }
        for (_, connection) in self.connections.drain() {
            events.push(SessionEvent::ConnectionDestroyed {
                connection,
                reason: Reason::NetworkDisconnected,
            });
        }
        events.extend(self.adopt(link, welcome));
        events
    }

    /// Applies a hub message (all but `rtc`, which the caller routes).
    pub fn apply(&mut self, message: ServerMessage) -> Outcome {
        let mut outcome = Outcome::default();
        match message {
            ServerMessage::ConnectionCreated { connection: view } => {
                outcome.events.extend(self.remember_connection(view));
            }
            ServerMessage::MoreConnections { connections } => {
                for view in connections {
                    outcome.events.extend(self.remember_connection(view));
                }
            }
            ServerMessage::ConnectionDestroyed {
                connection: view,
                reason,
            } => {
                outcome.departed.push(view.connection_id);
                if self.connections.remove(&view.connection_id).is_some() {
                    outcome.events.push(SessionEvent::ConnectionDestroyed {
                        connection: connection(view),
                        reason,
                    });
                }
            }
            ServerMessage::StreamCreated { stream: view } => {
                outcome.events.extend(self.remember_stream(view));
            }
            ServerMessage::StreamDestroyed {
                stream: view,
                reason,
            } => {
                outcome.ended_streams.push(view.stream_id);
                if self.streams.remove(&view.stream_id).is_some() {
                    outcome.events.push(SessionEvent::StreamDestroyed {
                        stream: stream(view),
                        reason,
                    });
                }
            }
            ServerMessage::StreamPropertyChanged {
                stream_id,
                property,
                new_value,
                ..
            } => {
                if let Some(stream) = self.streams.get_mut(&stream_id) {
                    match property {
                        StreamProperty::HasAudio => stream.has_audio = new_value,
                        StreamProperty::HasVideo => stream.has_video = new_value,
                    }
                    outcome.events.push(SessionEvent::StreamPropertyChanged {
                        stream_id: stream_id.to_string(),
                        property,
                        value: new_value,
                    });
                }
            }
            ServerMessage::Signal {
                signal_type,
                data,
                from,
            } => outcome.events.push(SessionEvent::Signal {
                kind: signal_type,
                data,
                from: from.map(|id| id.to_string()),
            }),
            ServerMessage::Ack { id } => {
                if let Some(answer) = self.pending.remove(&id) {
                    let _ = answer.send(Ok(()));
                }
            }
            ServerMessage::Error {
                id: Some(id),
                code,
                message,
            } => {
                if let Some(answer) = self.pending.remove(&id) {
                    let _ = answer.send(Err(VideoError::Refused { code, message }));
                }
            }
            ServerMessage::Disconnected { reason } => self.forced = Some(reason),
            ServerMessage::ArchiveStarted { id, name } => {
                outcome.events.push(SessionEvent::ArchiveStarted {
                    id: id.to_string(),
                    name,
                });
            }
            ServerMessage::ArchiveStopped { id } => {
                outcome.events.push(SessionEvent::ArchiveStopped { id: id.to_string() });
            }
            ServerMessage::Error { id: None, .. }
            | ServerMessage::Connected { .. }
            | ServerMessage::Pong
            | ServerMessage::Rtc { .. } => {}
        }
        outcome
    }
}
