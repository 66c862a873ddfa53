//! The embedded engine's media router (a selective forwarding unit) for
//! routed sessions: browsers send their streams to the server over WebRTC,
//! and the server forwards each to its subscribers and to the session's
//! recordings ([`tap`]).
//!
//! Each published stream has one publisher peer connection (the browser
//! offers after the server's `subscribe`, the server answers), and each
//! (stream, subscriber) one subscriber peer connection (the server
//! offers). Every peer connection is a tokio task with its own UDP socket
//! from the port range ([`ports`], [`peer`]); the hub speaks for it as the
//! reserved connection `MEDIA_SERVER` ([`signalling`]). The router itself
//! only keeps the book of running tasks ([`routes`]) behind a mutex that
//! is never held across an `.await`.

pub mod config;
mod fanout;
mod link;
mod peer;
pub mod ports;
mod publisher;
mod routes;
pub mod signalling;
mod subscriber;
pub mod tap;
mod tasks;
mod timing;

use std::net::IpAddr;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use app::video::negotiation::Negotiation;
use serde_json::Value;
use tokio::sync::mpsc;
use uuid::Uuid;

pub use config::{AnnouncedIps, ConfigError, MediaConfig, PortRange};
pub use signalling::Signalling;
pub use tap::{MediaFrame, Tap, TapEvent, Taps};

use crate::opentok::session_id::SessionId;
use ports::{PortPool, PortsError};
use publisher::PublisherCommand;
use routes::Routes;
use subscriber::SubscriberCommand;

/// Commands a peer task may have queued.
const COMMAND_QUEUE: usize = 64;

/// A refused media request, with the code the hub replies with.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// The `rtc` payload is not a negotiation message (400).
    #[error("bad negotiation payload: {0}")]
    BadPayload(String),
    /// The stream is not routed by this server (404).
    #[error("stream {0} is not routed")]
    NotRouted(Uuid),
    /// The connection has not subscribed to the stream (404).
    #[error("not subscribed to stream {0}")]
    NotSubscribed(Uuid),
    /// The peer task cannot take more commands right now (429).
    #[error("the media server is busy; try again")]
    Busy,
    /// No UDP port or socket for a new peer connection (429: try later).
    #[error("no media port available: {0}")]
    Ports(#[from] PortsError),
    /// The socket could not join the runtime.
    #[error("media socket: {0}")]
    Socket(#[from] std::io::Error),
}

impl MediaError {
    /// The code the hub reports for it.
    pub fn code(&self) -> u16 {
        match self {
            MediaError::BadPayload(_) => 400,
            MediaError::NotRouted(_) | MediaError::NotSubscribed(_) => 404,
            MediaError::Busy | MediaError::Ports(_) | MediaError::Socket(_) => 429,
        }
    }
}

/// The media router. Cheap to clone (`Arc` inside).
#[derive(Debug, Clone)]
pub struct MediaRouter {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    config: MediaConfig,
    announced: Arc<[IpAddr]>,
    ports: PortPool,
    taps: Taps,
    routes: Mutex<Routes>,
    generations: AtomicU64,
}

impl MediaRouter {
    /// A router with `config` and no streams.
    pub fn new(config: MediaConfig) -> Self {
        let same_family = |ip: &&IpAddr| {
            config.bind_ip.is_unspecified() || ip.is_ipv4() == config.bind_ip.is_ipv4()
        };
        let announced: Arc<[IpAddr]> = config
            .announced
            .iter()
            .filter(same_family)
            .copied()
            .collect();
        MediaRouter {
            inner: Arc::new(Inner {
                ports: PortPool::new(config.bind_ip, config.ports),
                announced,
                config,
                taps: Taps::default(),
                routes: Mutex::default(),
                generations: AtomicU64::new(0),
            }),
        }
    }

    /// Its network settings.
    pub fn config(&self) -> &MediaConfig {
        &self.inner.config
    }

    /// Starts feeding archive `owner`'s recorder with the session's media:
    /// a `StreamStarted` for each stream routed now (each publisher is asked
    /// for a keyframe), then every frame.
    pub fn tap(&self, session: &SessionId, owner: Uuid, tap: Tap) {
        let routes = self.routes();
        for stream in routes.streams(session) {
            let started = TapEvent::StreamStarted {
                stream: stream.view.clone(),
                connection_data: stream.connection_data.clone(),
            };
            if tap.try_send(started).is_err() {
                tracing::warn!("a new recorder could not take the list of streams");
            }
            let _ = stream
                .publisher
                .commands
                .try_send(PublisherCommand::Keyframe);
        }
        // Added under the routes lock: no stream starts or ends meanwhile.
        self.inner.taps.add(session, owner, tap);
    }

    /// Stops feeding archive `owner`'s recorder; `true` if it was fed.
    pub fn untap(&self, session: &SessionId, owner: Uuid) -> bool {
        self.inner.taps.remove(session, owner)
    }

    /// An `rtc` message a browser sent to `MEDIA_SERVER` about `stream_id`.
    pub fn negotiate(
        &self,
        signals: Arc<dyn Signalling>,
        session: &SessionId,
        from: Uuid,
        stream_id: Uuid,
        payload: Value,
    ) -> Result<(), MediaError> {
        let negotiation: Negotiation = serde_json::from_value(payload)
            .map_err(|err| MediaError::BadPayload(err.to_string()))?;
        let mut routes = self.routes();
        let stream = routes
            .stream_mut(session, stream_id)
            .ok_or(MediaError::NotRouted(stream_id))?;
        if stream.view.connection_id == from {
            return send(
                &stream.publisher.commands,
                PublisherCommand::Negotiate(negotiation),
            );
        }
        match negotiation {
            Negotiation::Subscribe => {
                drop(routes);
                self.subscribe(signals, session, from, stream_id)
            }
            Negotiation::Unsubscribe => {
                drop(routes);
                self.unsubscribe(session, stream_id, from, None);
                Ok(())
            }
            other => {
                let subscriber = stream
                    .subscribers
                    .get(&from)
                    .ok_or(MediaError::NotSubscribed(stream_id))?;
                send(&subscriber.commands, SubscriberCommand::Negotiate(other))
            }
        }
    }

    /// A routed stream was unpublished: its peer connections close.
    pub fn stream_ended(&self, session: &SessionId, stream_id: Uuid) {
        self.end_stream(session, stream_id, None);
    }

    /// A connection left the session: its streams and subscriptions end.
    pub fn connection_left(&self, session: &SessionId, connection: Uuid) {
        let (gone, detach) = self.routes().leave(session, connection);
        for publisher in detach {
            let _ = publisher.try_send(PublisherCommand::Detach(connection));
        }
        for stream in gone {
            self.inner.taps.emit(
                session,
                TapEvent::StreamEnded {
                    stream_id: stream.view.stream_id,
                },
            );
        }
    }

    /// How many peer connections the session has open (publishers and subscribers).
    pub fn peer_connections(&self, session: &SessionId) -> usize {
        self.routes().peers(session)
    }

    /// The taps of every session.
    fn taps(&self) -> &Taps {
        &self.inner.taps
    }

    fn routes(&self) -> MutexGuard<'_, Routes> {
        // Every update leaves the book consistent, so a poisoned lock is usable.
        self.inner
            .routes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// Queues `command` for a peer task. A full queue (or a task that is just
/// ending, whose entry goes with it) is [`MediaError::Busy`].
fn send<C>(commands: &mpsc::Sender<C>, command: C) -> Result<(), MediaError> {
    commands.try_send(command).map_err(|_| MediaError::Busy)
}
