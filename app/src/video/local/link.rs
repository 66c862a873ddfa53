//! The WebSocket link to the hub (`/rtc`): the `connect` handshake, a
//! writer task that also sends a JSON `ping` every few seconds, and a reader
//! task that ends the link when the hub stays silent — browsers cannot see
//! WebSocket pings, so this is how a dead network is noticed.

use futures::channel::mpsc::{unbounded, UnboundedReceiver, UnboundedSender};
use futures::channel::oneshot;
use futures::future::{select, Either};
use futures::{SinkExt, StreamExt};
use gloo_net::websocket::futures::WebSocket;
use gloo_net::websocket::{Message, WebSocketError};
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen_futures::spawn_local;

use crate::hub_protocol::{
    Capabilities, ClientMessage, ClientToken, ConnectionView, ServerMessage, StreamView,
};
use crate::video::VideoError;

/// How often the client pings.
const PING_EVERY_MS: u32 = 4_000;
/// Silence after which the link counts as dead (the hub answers every ping).
const SILENCE_LIMIT_MS: u32 = 10_000;
/// How long the hub may take to answer `connect`.
const HANDSHAKE_LIMIT_MS: u32 = 10_000;

/// What the hub said when the handshake succeeded.
pub(super) struct Welcome {
    pub connection_id: uuid::Uuid,
    pub connections: Vec<ConnectionView>,
    pub streams: Vec<StreamView>,
    pub capabilities: Capabilities,
    /// Whether streams go through the server's media router.
    pub routed: bool,
}

/// The sending half of a live link. Dropping it closes the socket.
pub(super) struct Link {
    outgoing: UnboundedSender<ClientMessage>,
}

impl Link {
    /// Queues `message` for the hub.
    pub fn send(&self, message: ClientMessage) -> Result<(), VideoError> {
        self.outgoing
            .unbounded_send(message)
            .map_err(|_| VideoError::NotConnected)
    }
}

/// The hub's URL for this page: `ws(s)://<host>/rtc`.
fn hub_url() -> Result<String, VideoError> {
    let location = web_sys::window()
        .ok_or_else(|| VideoError::Unsupported("no window".into()))?
        .location();
    let protocol = location.protocol().unwrap_or_default();
    let host = location
        .host()
        .map_err(|_| VideoError::Unsupported("no page host".into()))?;
    let scheme = if protocol == "https:" { "wss" } else { "ws" };
    Ok(format!("{scheme}://{host}/rtc"))
}

fn network(error: WebSocketError) -> VideoError {
    VideoError::Network(error.to_string())
}

/// Opens a link and joins `session_id` with `token`. The receiver yields
/// the hub's messages and ends when the link dies.
pub(super) async fn open(
    session_id: &str,
    token: &str,
) -> Result<(Link, Welcome, UnboundedReceiver<ServerMessage>), VideoError> {
    let socket = WebSocket::open(&hub_url()?).map_err(|e| VideoError::Network(e.to_string()))?;
    let (mut sink, mut stream) = socket.split();
    let connect = ClientMessage::Connect {
        session_id: session_id.to_owned(),
        token: ClientToken::new(token),
    };
    let first = {
        let handshake = async {
            // A socket that closes while connecting never becomes ready to send,
            // so the send races the stream, which reports the close.
            let send = sink.send(Message::Text(encode(&connect)));
            futures::pin_mut!(send);
            match select(send, stream.next()).await {
                Either::Left((Ok(()), _)) => {}
                Either::Left((Err(error), _)) => return Err(network(error)),
                Either::Right(_) => return Err(VideoError::Network("the link closed".into())),
            }
            match stream.next().await {
                Some(Ok(Message::Text(text))) => Ok(decode(&text)),
                Some(Err(error)) => Err(network(error)),
                _ => Ok(None),
            }
        };
        futures::pin_mut!(handshake);
        match select(handshake, TimeoutFuture::new(HANDSHAKE_LIMIT_MS)).await {
            Either::Left((result, _)) => result?,
            Either::Right(_) => {
                return Err(VideoError::Network("the server did not answer".into()))
            }
        }
    };
    let welcome = match first {
        Some(ServerMessage::Connected {
            connection_id,
            connections,
            streams,
            capabilities,
            routed,
        }) => Welcome {
            connection_id,
            connections,
            streams,
            capabilities,
            routed,
        },
        Some(ServerMessage::Error { code, message, .. }) => {
            return Err(VideoError::Refused { code, message })
        }
        _ => return Err(VideoError::Network("the server closed the link".into())),
    };
    let (outgoing, queue) = unbounded();
    let (deliver, incoming) = unbounded();
    let (stop, stopped) = oneshot::channel();
    spawn_local(write(sink, queue, stop));
    spawn_local(read(stream, deliver, stopped));
    Ok((Link { outgoing }, welcome, incoming))
}

fn encode(message: &ClientMessage) -> String {
    serde_json::to_string(message).expect("client messages serialise")
}

fn decode(text: &str) -> Option<ServerMessage> {
    serde_json::from_str(text).ok()
}

/// Sends queued messages, and a `ping` whenever nothing was sent for a
/// while. When the [`Link`] is dropped it stops the reader too: the socket
/// closes once both halves are gone.
async fn write(
    mut sink: futures::stream::SplitSink<WebSocket, Message>,
    mut queue: UnboundedReceiver<ClientMessage>,
    stop_reader: oneshot::Sender<()>,
) {
    loop {
        let message = match select(queue.next(), TimeoutFuture::new(PING_EVERY_MS)).await {
            Either::Left((Some(message), _)) => message,
            Either::Left((None, _)) => break,
            Either::Right(_) => ClientMessage::Ping,
        };
        if sink.send(Message::Text(encode(&message))).await.is_err() {
            break;
        }
    }
    drop(sink);
    let _ = stop_reader.send(());
}

/// Forwards the hub's messages until the socket closes, fails or stays silent.
async fn read(
    mut stream: futures::stream::SplitStream<WebSocket>,
    deliver: UnboundedSender<ServerMessage>,
    mut stop: oneshot::Receiver<()>,
) {
    loop {
        let next = select(stream.next(), TimeoutFuture::new(SILENCE_LIMIT_MS));
        let next = match select(next, &mut stop).await {
            Either::Left((next, _)) => next,
            Either::Right(_) => return,
        };
        match next {
            Either::Left((Some(Ok(Message::Text(text))), _)) => {
                if let Some(message) = decode(&text) {
                    if deliver.unbounded_send(message).is_err() {
                        return;
                    }
                }
            }
            Either::Left((Some(Ok(Message::Bytes(_))), _)) => {}
            // Closed, failed, or silent for too long: the link is dead.
            _ => return,
        }
    }
}
