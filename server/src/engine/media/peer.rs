//! One peer connection's task: it owns a str0m `Rtc` (ICE-lite, Opus and
//! VP8 only) and its own UDP socket, and drives them with str0m's run-loop
//! contract — after every mutation (a datagram, a timeout, a command, a
//! frame), drain `poll_output` until it yields the next timeout. What the
//! connection is for is its [`Role`] (publisher or subscriber).
//!
//! The task ends when its owner drops the stop handle or the command
//! queue, when its frame source closes, when ICE reports the browser gone,
//! after [`IDLE_TIMEOUT`] without a datagram, or on a str0m error.

use std::future::pending;
use std::io;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use str0m::config::CryptoProvider;
use str0m::net::{Protocol, Receive};
use str0m::{Event, IceConnectionState, Input, Output, Rtc, RtcError};
use tokio::sync::{mpsc, oneshot};

use super::fanout::Forwarded;
pub use super::link::Link;

/// How long a peer connection may go without a datagram before it ends.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(10);
/// Largest datagram read (above any sane MTU).
const RECV_BUFFER: usize = 2048;

/// Why a peer task failed.
#[derive(Debug, thiserror::Error)]
pub enum PeerError {
    /// str0m refused an input, a change or an SDP.
    #[error("WebRTC: {0}")]
    Rtc(#[from] RtcError),
    /// The socket could not be set up.
    #[error("socket: {0}")]
    Io(#[from] io::Error),
    /// The browser sent something out of place.
    #[error("negotiation: {0}")]
    Negotiation(String),
}

/// How a peer task ended.
#[derive(Debug)]
pub enum Ending {
    /// Its owner let go of it (unpublish, unsubscribe, leave).
    Stopped,
    /// The stream it forwarded ended.
    SourceGone,
    /// The browser closed the connection, or ICE lost it.
    Disconnected,
    /// No datagram for [`IDLE_TIMEOUT`].
    Idle,
    /// A str0m or socket error.
    Failed(PeerError),
}

/// What a peer connection does with its `Rtc`. Every method that mutates
/// the `Rtc` is followed by a full drain, so each may make one mutation
/// (and any number while handling an event).
pub trait Role: Send + 'static {
    /// Commands from the router.
    type Command: Send + 'static;
    /// Called once, before the first drain.
    fn start(&mut self, rtc: &mut Rtc) -> Result<(), PeerError>;
    /// One command from the router.
    fn on_command(&mut self, rtc: &mut Rtc, command: Self::Command) -> Result<(), PeerError>;
    /// One frame from the publisher (subscribers only).
    fn on_frame(&mut self, _rtc: &mut Rtc, _frame: Arc<Forwarded>) {}
    /// One event from str0m.
    fn on_event(&mut self, rtc: &mut Rtc, event: Event);
    /// When the role next wants [`on_due`](Self::on_due) called.
    fn due(&self) -> Option<Instant>;
    /// Its own timers; `true` if it handled the wake-up.
    fn on_due(&mut self, rtc: &mut Rtc, now: Instant) -> bool;
}

/// The queues a peer task listens to.
#[derive(Debug)]
pub struct Inbox<C> {
    /// Commands; the task stops when every sender is gone.
    pub commands: mpsc::Receiver<C>,
    /// Frames to forward (subscribers); the task stops when it closes.
    pub frames: Option<mpsc::Receiver<Arc<Forwarded>>>,
    /// Resolves (sent or dropped) when the owner lets go.
    pub stop: oneshot::Receiver<()>,
}

/// A new ICE-lite `Rtc` speaking Opus and VP8, with the shared crypto provider.
pub fn new_rtc() -> Rtc {
    static CRYPTO: OnceLock<Arc<CryptoProvider>> = OnceLock::new();
    let crypto = CRYPTO.get_or_init(|| Arc::new(str0m::crypto::from_feature_flags()));
    Rtc::builder()
        .set_crypto_provider(crypto.clone())
        .set_ice_lite(true)
        .clear_codecs()
        .enable_opus(true)
        .enable_vp8(true)
        .build(Instant::now())
}

/// Runs one peer connection until it ends; says why.
pub async fn run<R: Role>(
    mut rtc: Rtc,
    link: Link,
    mut role: R,
    mut inbox: Inbox<R::Command>,
) -> Ending {
    let mut buf = vec![0_u8; RECV_BUFFER];
    let mut last_datagram = Instant::now();
    let mut failure = role.start(&mut rtc).err();
    loop {
        let timeout = match drain(&mut rtc, &link, &mut role) {
            Ok(Some(timeout)) => timeout,
            Ok(None) => return Ending::Disconnected,
            Err(err) => return Ending::Failed(err),
        };
        if let Some(err) = failure.take() {
            return Ending::Failed(err);
        }
        if !rtc.is_alive() {
            return Ending::Disconnected;
        }
        let idle_at = last_datagram + IDLE_TIMEOUT;
        let wake = [Some(timeout), role.due(), Some(idle_at)]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(idle_at);
        tokio::select! {
            _ = &mut inbox.stop => return Ending::Stopped,
            command = inbox.commands.recv() => match command {
                Some(command) => failure = role.on_command(&mut rtc, command).err(),
                None => return Ending::Stopped,
            },
            frame = next_frame(&mut inbox.frames) => match frame {
                Some(frame) => role.on_frame(&mut rtc, frame),
                None => return Ending::SourceGone,
            },
            received = link.socket.recv_from(&mut buf) => match received {
                Ok((len, source)) => {
                    let now = Instant::now();
                    last_datagram = now;
                    let Ok(contents) = buf[..len].try_into() else {
                        continue;
                    };
                    let receive = Receive {
                        proto: Protocol::Udp,
                        source,
                        destination: link.destination(source),
                        contents,
                    };
                    failure = rtc.handle_input(Input::Receive(now, receive)).err().map(Into::into);
                }
                Err(err) => tracing::debug!(%err, "a UDP read failed"),
            },
            () = tokio::time::sleep_until(wake.into()) => {
                let now = Instant::now();
                if now >= idle_at {
                    return Ending::Idle;
                }
                if !role.on_due(&mut rtc, now) {
                    failure = rtc.handle_input(Input::Timeout(now)).err().map(Into::into);
                }
            }
        }
    }
}

/// The next frame, or never when the role takes none.
async fn next_frame(frames: &mut Option<mpsc::Receiver<Arc<Forwarded>>>) -> Option<Arc<Forwarded>> {
    match frames {
        Some(frames) => frames.recv().await,
        None => pending().await,
    }
}

/// Drains `rtc` until its next timeout: sends datagrams, hands events to
/// the role. `None` when ICE or the browser closed the connection.
fn drain<R: Role>(rtc: &mut Rtc, link: &Link, role: &mut R) -> Result<Option<Instant>, PeerError> {
    let mut gone = false;
    loop {
        match rtc.poll_output()? {
            Output::Timeout(at) => return Ok((!gone).then_some(at)),
            Output::Transmit(datagram) => {
                if let Err(err) = link
                    .socket
                    .try_send_to(&datagram.contents, datagram.destination)
                {
                    tracing::debug!(%err, "a UDP datagram was dropped");
                }
            }
            Output::Event(Event::IceConnectionStateChange(IceConnectionState::Disconnected))
            | Output::Event(Event::Closed) => gone = true,
            Output::Event(event) => role.on_event(rtc, event),
        }
    }
}
