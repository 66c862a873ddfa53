//! One participant of the benchmark's routed room: a hub WebSocket that
//! joins the session and publishes a camera, a stand-in browser publishing
//! synthetic VP8 and Opus for that stream, and one subscribing stand-in
//! per other participant's stream, all negotiating with `MEDIA_SERVER`
//! over the socket. What the subscribers receive is counted.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

use app::hub_protocol::MEDIA_SERVER;
use app::video::negotiation::Negotiation;
use futures::{SinkExt, StreamExt};
use serde_json::{json, Value};
use str0m::media::MediaKind;
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::error::LoadError;
use crate::peer::{Peer, PeerEvent, Source};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// What every participant's stand-ins saw, added up.
#[derive(Debug, Default)]
pub struct Counters {
    /// Peer connections up (publishers and subscribers).
    pub connected: AtomicUsize,
    /// Video frames received by subscribers.
    pub video_frames: AtomicU64,
    /// Audio packets received by subscribers.
    pub audio_frames: AtomicU64,
}

/// A participant that joined and published, before its media starts.
pub struct Joined {
    index: usize,
    socket: Socket,
    /// Its stream.
    pub stream_id: String,
}

impl Joined {
    /// Joins the session at `hub_url` with `token` and publishes a camera.
    pub async fn join(
        index: usize,
        hub_url: &str,
        session: &str,
        token: &str,
    ) -> Result<Joined, LoadError> {
        let fail = |reason: String| LoadError::participant(index, reason);
        let (mut socket, _) = tokio_tungstenite::connect_async(hub_url)
            .await
            .map_err(|err| fail(format!("opening the hub socket: {err}")))?;
        send(
            &mut socket,
            json!({"type": "connect", "sessionId": session, "token": token}),
        )
        .await
        .map_err(fail)?;
        let connected = until(&mut socket, |m| m["type"] == "connected")
            .await
            .map_err(fail)?;
        let me = connected["connectionId"].clone();
        let publish = json!({"type": "publish", "id": "p", "name": format!("load {index}"),
            "hasAudio": true, "hasVideo": true, "videoType": "camera"});
        send(&mut socket, publish).await.map_err(fail)?;
        let created = until(&mut socket, |m| {
            m["type"] == "streamCreated" && m["stream"]["connectionId"] == me
        })
        .await
        .map_err(fail)?;
        let stream_id = created["stream"]["streamId"]
            .as_str()
            .ok_or_else(|| fail("a stream without an id".into()))?
            .to_owned();
        until(&mut socket, |m| m["type"] == "ack" && m["id"] == "p")
            .await
            .map_err(fail)?;
        Ok(Joined {
            index,
            socket,
            stream_id,
        })
    }

    /// Starts its publisher and a subscriber for every other stream of
    /// `streams`; runs until aborted or the socket closes.
    pub fn start(
        self,
        streams: &[String],
        source: Source,
        counters: Arc<Counters>,
    ) -> JoinHandle<Result<(), LoadError>> {
        let streams = streams.to_vec();
        tokio::spawn(self.run(streams, source, counters))
    }

    async fn run(
        mut self,
        streams: Vec<String>,
        source: Source,
        counters: Arc<Counters>,
    ) -> Result<(), LoadError> {
        let (out_tx, mut outgoing) = mpsc::unbounded_channel::<(String, Negotiation)>();
        let mut inboxes = HashMap::new();
        for stream in streams {
            let own = stream == self.stream_id;
            let peer = if own {
                Peer::publisher(&stream, source).await
            } else {
                let _ = out_tx.send((stream.clone(), Negotiation::Subscribe));
                Peer::subscriber().await
            };
            inboxes.insert(stream.clone(), peer.inbox.clone());
            forward(peer, stream, out_tx.clone(), counters.clone());
        }
        loop {
            tokio::select! {
                frame = self.socket.next() => {
                    let Some(Ok(frame)) = frame else { return Ok(()) };
                    let Message::Text(text) = frame else { continue };
                    let Ok(message) = serde_json::from_str::<Value>(text.as_str()) else { continue };
                    if message["type"] != "rtc" {
                        continue;
                    }
                    let inbox = message["streamId"].as_str().and_then(|id| inboxes.get(id));
                    let payload = serde_json::from_value(message["payload"].clone());
                    if let (Some(inbox), Ok(payload)) = (inbox, payload) {
                        inbox.deliver(payload);
                    }
                }
                Some((stream, payload)) = outgoing.recv() => {
                    let message = json!({"type": "rtc", "to": MEDIA_SERVER, "streamId": stream, "payload": payload});
                    send(&mut self.socket, message)
                        .await
                        .map_err(|reason| LoadError::participant(self.index, reason))?;
                }
            }
        }
    }
}

/// Moves a peer's outgoing negotiation onto the participant's queue and
/// counts its events.
fn forward(
    peer: Peer,
    stream: String,
    out: mpsc::UnboundedSender<(String, Negotiation)>,
    counters: Arc<Counters>,
) {
    let Peer {
        mut outgoing,
        mut events,
        ..
    } = peer;
    tokio::spawn(async move {
        while let Some(message) = outgoing.recv().await {
            if out.send((stream.clone(), message)).is_err() {
                return;
            }
        }
    });
    tokio::spawn(async move {
        while let Some(event) = events.recv().await {
            let counter = match event {
                PeerEvent::Connected => {
                    counters.connected.fetch_add(1, Ordering::Relaxed);
                    continue;
                }
                PeerEvent::Frame {
                    kind: MediaKind::Video,
                    ..
                } => &counters.video_frames,
                PeerEvent::Frame { .. } => &counters.audio_frames,
                PeerEvent::Closed => return,
            };
            counter.fetch_add(1, Ordering::Relaxed);
        }
    });
}

async fn send(socket: &mut Socket, message: Value) -> Result<(), String> {
    socket
        .send(Message::text(message.to_string()))
        .await
        .map_err(|err| format!("sending on the hub socket: {err}"))
}

/// Reads until a message `wanted` accepts (others are skipped).
async fn until(socket: &mut Socket, wanted: impl Fn(&Value) -> bool) -> Result<Value, String> {
    while let Some(frame) = socket.next().await {
        let Ok(Message::Text(text)) = frame else {
            continue;
        };
        let Ok(message) = serde_json::from_str::<Value>(text.as_str()) else {
            continue;
        };
        if message["type"] == "error" {
            return Err(format!("the hub refused: {message}"));
        }
        if wanted(&message) {
            return Ok(message);
        }
    }
    Err("the hub closed the socket".into())
}
