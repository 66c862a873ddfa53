//! Hub sockets of the app tests, read as a service's typed events: a
//! [`Hub`] joins a session with credentials the server handed out and
//! yields the [`ServerEvent`]s (help or presence) that the server — and
//! only the server (`from: null`) — signals to it, skipping everything
//! else. Built on the shared [`HubSocket`], so every read is bounded.

use std::marker::PhantomData;

use app::help::{HelpEvent, HELP_SIGNAL};
use app::hub_protocol::ServerMessage;
use app::presence::{PresenceEvent, PRESENCE_SIGNAL};
use serde_json::{json, Value};

use crate::hub_client::HubSocket;

/// The events a service signals to its hub session.
pub trait ServerEvent: Sized {
    /// The signal type they travel as.
    const SIGNAL: &'static str;
    /// Reads one from a signal's data.
    fn parse(data: &str) -> Option<Self>;
}

impl ServerEvent for HelpEvent {
    const SIGNAL: &'static str = HELP_SIGNAL;
    fn parse(data: &str) -> Option<Self> {
        HelpEvent::parse(data)
    }
}

impl ServerEvent for PresenceEvent {
    const SIGNAL: &'static str = PRESENCE_SIGNAL;
    fn parse(data: &str) -> Option<Self> {
        PresenceEvent::parse(data)
    }
}

/// One hub socket, joined, reading events of type `E`.
pub struct Hub<E> {
    socket: HubSocket,
    events: PhantomData<E>,
}

impl<E: ServerEvent> Hub<E> {
    /// Opens a socket to the hub of the app at `base` (`http://…`) and
    /// joins `session` with `token` (both as JSON strings).
    pub async fn join(base: &str, session: &Value, token: &Value) -> Hub<E> {
        let url = format!("{}/rtc", base.replacen("http", "ws", 1));
        let mut hub = Hub {
            socket: HubSocket::open(&url).await,
            events: PhantomData,
        };
        let connect = json!({"type": "connect", "sessionId": session, "token": token});
        hub.socket.send(&connect).await;
        match hub.socket.next::<ServerMessage>().await {
            Some(ServerMessage::Connected { .. }) => hub,
            other => panic!("expected connected, got {other:?}"),
        }
    }

    /// The next event (other hub messages are skipped).
    pub async fn event(&mut self) -> E {
        loop {
            match self.socket.next::<ServerMessage>().await {
                Some(ServerMessage::Signal {
                    signal_type,
                    data,
                    from,
                }) if signal_type == E::SIGNAL => {
                    assert_eq!(from, None, "{} events come from the server", E::SIGNAL);
                    return E::parse(&data)
                        .unwrap_or_else(|| panic!("a {} event: {data}", E::SIGNAL));
                }
                Some(_) => continue,
                None => panic!("the socket closed while waiting for a {} event", E::SIGNAL),
            }
        }
    }

    /// Skips events until `pick` finds one.
    pub async fn until<T>(&mut self, pick: impl Fn(E) -> Option<T>) -> T {
        loop {
            if let Some(found) = pick(self.event().await) {
                return found;
            }
        }
    }

    /// Closes the socket cleanly.
    pub async fn close(self) {
        self.socket.close().await;
    }
}
