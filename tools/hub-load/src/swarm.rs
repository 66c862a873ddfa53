//! The clients: N tokio-tungstenite sockets joined to one session, opened
//! with bounded concurrency. Every socket gets a reader task at once that
//! polls it for its whole life — tungstenite answers the hub's heartbeat
//! pings only while the socket is read — and reports what the benchmark
//! counts: `connectionCreated` frames (to tell when the join flood has
//! settled), closed sockets, refusals, and the arrival time of each
//! benchmark signal. Client 0 also sends the broadcasts.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use app::hub_protocol::{ClientMessage, ClientToken};
use futures::stream::{SplitSink, SplitStream};
use futures::{SinkExt, StreamExt, TryStreamExt};
use load_kit::Timeout;
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::error::LoadError;
use crate::wire::{classify, Frame, SIGNAL_TYPE};

/// Client read buffer: frames are small, so the 128 KiB default only costs memory.
const READ_BUFFER: usize = 16 * 1024;
/// How often settling is checked.
const SETTLE_POLL: Duration = Duration::from_millis(50);

/// A client socket.
pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// What the reader tasks have counted so far.
#[derive(Debug, Default)]
struct Tally {
    created: AtomicU64,
    closed: AtomicU64,
    refused: AtomicU64,
}

/// A benchmark signal seen by one client.
#[derive(Debug, Clone, Copy)]
pub struct Receipt {
    /// Which broadcast.
    pub round: u32,
    /// When its frame was read.
    pub at: Instant,
}

/// N joined clients.
#[derive(Debug)]
pub struct Swarm {
    sender: SplitSink<Socket, Message>,
    readers: Vec<JoinHandle<()>>,
    tally: Arc<Tally>,
    receipts: mpsc::UnboundedReceiver<Receipt>,
}

impl Swarm {
    /// Joins `tokens.len()` clients to `session_id` at `url`, `concurrency` at a time.
    pub async fn join(
        url: &str,
        session_id: &str,
        tokens: Vec<String>,
        concurrency: usize,
    ) -> Result<Swarm, LoadError> {
        let tally = Arc::new(Tally::default());
        let (report, receipts) = mpsc::unbounded_channel();
        let joins = futures::stream::iter(tokens.into_iter().enumerate())
            .map(|(index, token)| {
                let (tally, report) = (tally.clone(), report.clone());
                async move {
                    let socket = connect(url, session_id, token)
                        .await
                        .map_err(|reason| LoadError::Join { index, reason })?;
                    let (sink, stream) = socket.split();
                    let reader = tokio::spawn(read(stream, tally, report));
                    Ok::<_, LoadError>((index, sink, reader))
                }
            })
            .buffer_unordered(concurrency.max(1));
        let mut joined: Vec<_> = joins.try_collect().await?;
        joined.sort_by_key(|(index, _, _)| *index);
        let mut clients = joined.into_iter();
        let (_, sender, first) = clients.next().ok_or_else(|| LoadError::Join {
            index: 0,
            reason: "no clients were asked for".into(),
        })?;
        let readers = std::iter::once(first)
            .chain(clients.map(|(_, _, reader)| reader))
            .collect();
        Ok(Swarm {
            sender,
            readers,
            tally,
            receipts,
        })
    }

    /// Waits until every client has seen every later joiner's `connectionCreated`.
    pub async fn settle(&self, patience: Duration) -> Result<(), LoadError> {
        let n = self.readers.len() as u64;
        let expected = n * n.saturating_sub(1) / 2;
        let deadline = Instant::now() + patience;
        while self.tally.created.load(Ordering::Relaxed) < expected {
            if Instant::now() >= deadline {
                return Err(Timeout {
                    phase: "settling",
                    limit: patience,
                }
                .into());
            }
            tokio::time::sleep(SETTLE_POLL).await;
        }
        Ok(())
    }

    /// Sends broadcast `round` from client 0; returns when it was handed to the socket.
    pub async fn broadcast(&mut self, round: u32) -> Result<Instant, LoadError> {
        let signal = ClientMessage::Signal {
            id: format!("r{round}"),
            to: None,
            signal_type: Some(SIGNAL_TYPE.to_owned()),
            data: round.to_string(),
        };
        let text = serde_json::to_string(&signal).expect("client messages serialise");
        let sent = Instant::now();
        self.sender
            .send(Message::text(text))
            .await
            .map_err(|err| LoadError::Send(err.to_string()))?;
        Ok(sent)
    }

    /// The next benchmark signal any client received.
    pub async fn receipt(&mut self) -> Option<Receipt> {
        self.receipts.recv().await
    }

    /// How many clients there are.
    pub fn len(&self) -> usize {
        self.readers.len()
    }

    /// Sockets that closed or failed so far.
    pub fn closed(&self) -> u64 {
        self.tally.closed.load(Ordering::Relaxed)
    }

    /// Requests the hub refused so far (e.g. 429 for the sender).
    pub fn refused(&self) -> u64 {
        self.tally.refused.load(Ordering::Relaxed)
    }
}

impl Drop for Swarm {
    fn drop(&mut self) {
        for reader in &self.readers {
            reader.abort();
        }
    }
}

/// Opens a socket and completes the `connect` handshake; says why not.
pub async fn connect(url: &str, session_id: &str, token: String) -> Result<Socket, String> {
    let config = WebSocketConfig::default().read_buffer_size(READ_BUFFER);
    let (mut socket, _) = tokio_tungstenite::connect_async_with_config(url, Some(config), true)
        .await
        .map_err(|err| format!("opening the socket: {err}"))?;
    let hello = ClientMessage::Connect {
        session_id: session_id.to_owned(),
        token: ClientToken::new(token),
    };
    let hello = serde_json::to_string(&hello).expect("client messages serialise");
    socket
        .send(Message::text(hello))
        .await
        .map_err(|err| format!("sending connect: {err}"))?;
    loop {
        match socket.next().await {
            Some(Ok(Message::Text(text))) => match classify(text.as_str()) {
                Frame::Connected => return Ok(socket),
                Frame::Refused(why) => return Err(format!("refused: {why}")),
                _ => continue,
            },
            Some(Ok(_)) => continue,
            Some(Err(err)) => return Err(format!("reading connected: {err}")),
            None => return Err("closed before connected".into()),
        }
    }
}

/// Reads one client's socket until it closes, reporting what counts.
async fn read(
    mut stream: SplitStream<Socket>,
    tally: Arc<Tally>,
    report: mpsc::UnboundedSender<Receipt>,
) {
    while let Some(frame) = stream.next().await {
        let at = Instant::now();
        let text = match frame {
            Ok(Message::Text(text)) => text,
            Ok(Message::Close(_)) | Err(_) => break,
            Ok(_) => continue,
        };
        match classify(text.as_str()) {
            Frame::Created => {
                tally.created.fetch_add(1, Ordering::Relaxed);
            }
            Frame::Signal(round) => {
                // The receiver only goes away when the run is over.
                let _ = report.send(Receipt { round, at });
            }
            Frame::Refused(_) => {
                tally.refused.fetch_add(1, Ordering::Relaxed);
            }
            Frame::Connected | Frame::ConnectionNews | Frame::Presence(_) | Frame::Other => {}
        }
    }
    tally.closed.fetch_add(1, Ordering::Relaxed);
}
