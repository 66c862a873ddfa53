//! One WebSocket connection's life: the `connect` handshake, then a loop
//! that reads client messages, forwards the REST API's events, sends
//! heartbeats and watches for silence, until the client leaves, is forced
//! out, or is evicted. A separate writer task drains the bounded outbound
//! queue into the socket, so a stalled socket never blocks the loop.
//!
//! In routed sessions WebRTC negotiation goes to the media router instead
//! of another browser: a published stream is handed to it after the ack,
//! `rtc` messages must be addressed to `MEDIA_SERVER` (403 otherwise), and
//! unpublishing or leaving closes the stream's peer connections.

mod handshake;
mod writer;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures::StreamExt;
use tokio::sync::{mpsc, Notify};
use tokio::time::{sleep_until, Instant};
use uuid::Uuid;

use super::error::HubError;
use super::protocol::{
    Capabilities, ClientMessage, ConnectionView, Reason, ServerMessage, StreamView, MEDIA_SERVER,
};
use super::rate::TokenBucket;
use super::room::{encode, Member, NewStream, Outbound, Room, RoomClosed};
use crate::engine::media::{MediaError, Signalling};
use crate::engine::{Engine, EngineEvent};
use crate::opentok::model::Signal;
use crate::opentok::session_id::SessionId;
use crate::opentok::token::Role;
use handshake::handshake;
use writer::write;

/// How long the writer may take to flush the last frames of a closing socket.
const CLOSE_GRACE: Duration = Duration::from_secs(2);
/// Close code for a refused handshake (policy violation).
const CLOSE_REFUSED: u16 = 1008;

/// Serves one socket from handshake to close.
pub async fn serve(engine: Engine, mut socket: WebSocket) {
    let admission = match handshake(&engine, &mut socket).await {
        Ok(admission) => admission,
        Err(err) => {
            let refusal = ServerMessage::Error {
                id: None,
                code: err.code(),
                message: err.to_string(),
            };
            let _ = socket.send(Message::Text(encode(&refusal))).await;
            let frame = CloseFrame {
                code: CLOSE_REFUSED,
                reason: "connect refused".into(),
            };
            let _ = socket.send(Message::Close(Some(frame))).await;
            return;
        }
    };
    let config = engine.hub().config().clone();
    let registration = engine
        .connections()
        .register(&admission.session_id, admission.data.clone());
    let id = registration.info.id;
    let (sink, stream) = socket.split();
    let (outbox, queue) = mpsc::channel(config.queue_capacity.max(1));
    let mut writer = tokio::spawn(write(sink, queue));
    let evicted = Arc::new(Notify::new());
    let view = ConnectionView {
        connection_id: id,
        creation_time: registration.info.created_at,
        data: admission.data.clone().unwrap_or_default(),
    };
    let capabilities = Capabilities {
        publish: u8::from(admission.role != Role::Subscriber),
        force_disconnect: u8::from(admission.role == Role::Moderator),
    };
    let mut member = Member {
        view,
        outbox: outbox.clone(),
        evicted: evicted.clone(),
    };
    let room = loop {
        let room = engine.hub().room(&admission.session_id);
        let greeting = |connections, streams| ServerMessage::Connected {
            connection_id: id,
            connections,
            streams,
            capabilities,
            routed: admission.routed,
        };
        match room.join(member, greeting) {
            Ok(()) => break room,
            Err(RoomClosed(back)) => member = back,
        }
    };
    for notice in engine.hub().recording_notices(&admission.session_id) {
        room.send_to(id, &notice);
    }
    tracing::debug!(connection = %id, session = %admission.session_id, "hub connection joined");
    let mut connection = Connection {
        engine: engine.clone(),
        room: room.clone(),
        id,
        session_id: admission.session_id.clone(),
        role: admission.role,
        routed: admission.routed,
        data: admission.data.clone(),
        signals: Arc::new(engine.clone()),
        outbox,
        bucket: TokenBucket::new(config.signal_rate, config.signal_burst),
    };
    let reason = connection.run(stream, registration.events, &evicted).await;
    if admission.routed {
        // Media first: once others hear of the leave, its peers are gone.
        engine.media().connection_left(&admission.session_id, id);
    }
    room.leave(id, reason);
    engine.hub().release(&admission.session_id, &room);
    engine.connections().unregister(&admission.session_id, id);
    tracing::debug!(connection = %id, ?reason, "hub connection left");
    if reason == Reason::ForceDisconnected {
        // Tell the client it was put out, so it does not reconnect.
        let _ = connection.queue(Outbound::Text(encode(&ServerMessage::Disconnected {
            reason,
        })));
    }
    // Dropping the last sender lets the writer flush and close the socket.
    drop(connection);
    if tokio::time::timeout(CLOSE_GRACE, &mut writer)
        .await
        .is_err()
    {
        writer.abort();
    }
}

/// A joined connection's state in its own task.
struct Connection {
    engine: Engine,
    room: Arc<Room>,
    id: Uuid,
    session_id: SessionId,
    role: Role,
    /// Media goes through the server's media router (`MEDIA_SERVER`).
    routed: bool,
    /// The token's connection data (for recordings' manifests).
    data: Option<String>,
    /// How the media router reaches browsers.
    signals: Arc<dyn Signalling>,
    outbox: mpsc::Sender<Outbound>,
    bucket: TokenBucket,
}

/// The outbound queue is full: the client is not reading.
struct Stalled;

/// The hub's refusal for a media router's.
fn media_refusal(err: MediaError) -> HubError {
    match err.code() {
        400 => HubError::Invalid(err.to_string()),
        404 => HubError::not_found(err.to_string()),
        _ => HubError::RateLimited,
    }
}

impl Connection {
    /// Runs until the connection ends; says why.
    async fn run(
        &mut self,
        mut stream: futures::stream::SplitStream<WebSocket>,
        mut events: mpsc::Receiver<EngineEvent>,
        evicted: &Notify,
    ) -> Reason {
        let config = self.engine.hub().config().clone();
        let mut heartbeat = tokio::time::interval_at(
            Instant::now() + config.heartbeat_interval,
            config.heartbeat_interval,
        );
        let idle = sleep_until(Instant::now() + config.idle_timeout);
        tokio::pin!(idle);
        loop {
            let step = tokio::select! {
                frame = stream.next() => match frame {
                    Some(Ok(Message::Close(_))) => return Reason::ClientDisconnected,
                    Some(Ok(message)) => {
                        idle.as_mut().reset(Instant::now() + config.idle_timeout);
                        self.receive(message)
                    }
                    None | Some(Err(_)) => return Reason::NetworkDisconnected,
                },
                event = events.recv() => match event {
                    Some(EngineEvent::Signal(signal)) => self.deliver_rest_signal(&signal),
                    Some(EngineEvent::ForceDisconnect) | None => return Reason::ForceDisconnected,
                },
                _ = heartbeat.tick() => self.queue(Outbound::Ping),
                () = &mut idle => return Reason::NetworkDisconnected,
                () = evicted.notified() => return Reason::NetworkDisconnected,
            };
            if step.is_err() {
                tracing::info!(connection = %self.id, "outbound queue full: disconnecting");
                return Reason::NetworkDisconnected;
            }
        }
    }

    fn receive(&mut self, message: Message) -> Result<(), Stalled> {
        let text = match message {
            Message::Text(text) => text,
            Message::Binary(_) => {
                return self.reply(
                    None,
                    Err(HubError::Invalid("binary frames are not accepted".into())),
                )
            }
            _ => return Ok(()),
        };
        match serde_json::from_str::<ClientMessage>(text.as_str()) {
            Ok(message) => self.handle(message),
            Err(err) => self.reply(None, Err(HubError::Invalid(format!("bad message: {err}")))),
        }
    }

    fn handle(&mut self, message: ClientMessage) -> Result<(), Stalled> {
        match message {
            ClientMessage::Connect { .. } => {
                self.reply(None, Err(HubError::Invalid("already connected".into())))
            }
            ClientMessage::Signal {
                id,
                to,
                signal_type,
                data,
            } => {
                let result = self.signal(to, signal_type, data);
                self.reply(Some(id), result)
            }
            ClientMessage::Publish {
                id,
                stream_id,
                name,
                has_audio,
                has_video,
                video_type,
            } => {
                if self.role == Role::Subscriber {
                    let refusal = HubError::forbidden("subscribers cannot publish");
                    return self.reply(id, Err(refusal));
                }
                let request = NewStream {
                    stream_id,
                    name,
                    has_audio,
                    has_video,
                    video_type,
                };
                match self.room.publish(self.id, request) {
                    // The ack goes first: the media router's `subscribe` follows it.
                    Ok(stream) if self.routed => {
                        self.reply(id, Ok(()))?;
                        self.route(stream);
                        Ok(())
                    }
                    Ok(_) => self.reply(id, Ok(())),
                    Err(err) => self.reply(id, Err(err)),
                }
            }
            ClientMessage::Unpublish { id, stream_id } => {
                let result = self.room.unpublish(self.id, stream_id);
                if result.is_ok() && self.routed {
                    self.engine
                        .media()
                        .stream_ended(&self.session_id, stream_id);
                }
                self.reply(id, result)
            }
            ClientMessage::StreamProperty {
                id,
                stream_id,
                property,
                value,
            } => {
                let result = self.room.set_property(self.id, stream_id, property, value);
                self.reply(id, result)
            }
            ClientMessage::Rtc {
                id,
                to,
                stream_id,
                payload,
            } => match self.negotiate(to, stream_id, payload) {
                Ok(()) => Ok(()),
                Err(err) => self.reply(id, Err(err)),
            },
            ClientMessage::ForceDisconnect { id, connection_id } => {
                let result = self.force_disconnect(connection_id);
                self.reply(id, result)
            }
            ClientMessage::Ping => self.queue(Outbound::Text(encode(&ServerMessage::Pong))),
            ClientMessage::Pong => Ok(()),
        }
    }

    fn signal(
        &mut self,
        to: Option<Uuid>,
        signal_type: Option<String>,
        data: String,
    ) -> Result<(), HubError> {
        let signal = Signal::new(signal_type.unwrap_or_default(), data)?;
        if !self.bucket.take() {
            return Err(HubError::RateLimited);
        }
        self.room.signal(Some(self.id), to, &signal)
    }

    /// WebRTC negotiation: relayed between browsers in relayed sessions,
    /// handed to the media router in routed ones (where browsers only
    /// negotiate with `MEDIA_SERVER`).
    fn negotiate(
        &self,
        to: Uuid,
        stream_id: Uuid,
        payload: serde_json::Value,
    ) -> Result<(), HubError> {
        if !self.routed {
            return self.room.relay(self.id, to, stream_id, payload);
        }
        if to != MEDIA_SERVER {
            return Err(HubError::forbidden(
                "in a routed session, media is negotiated with the media server",
            ));
        }
        self.engine
            .media()
            .negotiate(
                self.signals.clone(),
                &self.session_id,
                self.id,
                stream_id,
                payload,
            )
            .map_err(media_refusal)
    }

    /// Starts routing a stream just published; if the media router cannot
    /// take it, the stream is withdrawn (everyone sees `streamDestroyed`).
    fn route(&self, stream: StreamView) {
        let stream_id = stream.stream_id;
        let media = self.engine.media();
        if let Err(err) = media.stream_published(
            self.signals.clone(),
            &self.session_id,
            stream,
            self.data.clone(),
        ) {
            tracing::warn!(%err, stream = %stream_id, "a routed stream could not be set up");
            let _ = self.room.unpublish(self.id, stream_id);
        }
    }

    fn force_disconnect(&self, target: Uuid) -> Result<(), HubError> {
        if self.role != Role::Moderator {
            return Err(HubError::forbidden(
                "only moderators may force a disconnect",
            ));
        }
        self.engine
            .connections()
            .disconnect(&self.session_id, target)
            .map_err(|_| HubError::not_found(format!("connection {target} is not connected")))
    }

    fn deliver_rest_signal(&self, signal: &Signal) -> Result<(), Stalled> {
        let message = ServerMessage::Signal {
            signal_type: signal.signal_type().to_owned(),
            data: signal.data().to_owned(),
            from: None,
        };
        self.queue(Outbound::Text(encode(&message)))
    }

    /// Answers a request: `ack` when it has an id and succeeded, `error` when refused.
    fn reply(&self, id: Option<String>, result: Result<(), HubError>) -> Result<(), Stalled> {
        let message = match (result, id) {
            (Ok(()), Some(id)) => ServerMessage::Ack { id },
            (Ok(()), None) => return Ok(()),
            (Err(err), id) => ServerMessage::Error {
                id,
                code: err.code(),
                message: err.to_string(),
            },
        };
        self.queue(Outbound::Text(encode(&message)))
    }

    fn queue(&self, frame: Outbound) -> Result<(), Stalled> {
        self.outbox.try_send(frame).map_err(|_| Stalled)
    }
}
