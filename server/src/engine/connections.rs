//! The registry of live client connections, per session. The realtime
//! transport registers each client that joins a session and gets back a
//! [`Registration`] whose `events` receiver carries what the REST API asks
//! for that client: signals and forced disconnects. Nothing here knows about
//! sockets, so the REST handlers answer exactly as the platform does — "not
//! connected" when nobody is registered.
//!
//! A connection stays registered until [`Connections::unregister`] (or a
//! forced disconnect); if its transport drops `events` without unregistering,
//! the first delivery that finds the channel closed removes it.
//!
//! Observers ([`Connections::observe`]) learn who joins and leaves one
//! session — e.g. presence, which must know when a person's last tab is
//! gone. They are told under the registry's own lock through unbounded
//! channels, so nothing is lost or reordered and no other lock is taken.
//!
//! State sits behind a `std::sync::Mutex`: it is never held across an
//! `.await`, and deliveries use `try_send`.

mod observers;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::mpsc;
use uuid::Uuid;

pub use observers::Membership;
use observers::Observers;

use crate::opentok::model::Signal;
use crate::opentok::session_id::SessionId;

/// How many undelivered events one connection may have queued.
pub const EVENT_BUFFER: usize = 256;

/// What the engine asks a connected client's transport to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EngineEvent {
    /// Deliver this signal (sent through the REST API, so it has no sender).
    Signal(Signal),
    /// The connection was forcibly disconnected: close it.
    ForceDisconnect,
}

/// A live connection as the REST API lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionInfo {
    /// The connection id (lowercase UUID on the wire).
    pub id: Uuid,
    /// The session it joined.
    pub session_id: SessionId,
    /// The connection data from the client's token.
    pub data: Option<String>,
    /// When it connected, epoch milliseconds.
    pub created_at: u64,
}

/// What [`Connections::register`] hands back to the transport.
#[derive(Debug)]
pub struct Registration {
    /// The registered connection.
    pub info: ConnectionInfo,
    /// Events for this connection; the channel closes once it is unregistered.
    pub events: mpsc::Receiver<EngineEvent>,
}

/// Why an event could not be handed to a connection.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    /// No such connection in the session, or its transport has gone away.
    #[error("connection {0} is not connected")]
    NotConnected(Uuid),
    /// The session has no live connection.
    #[error("no client is connected to the session")]
    NoConnections,
    /// The connection is not draining its events.
    #[error("connection {0} has too many undelivered events")]
    Congested(Uuid),
}

struct Entry {
    info: ConnectionInfo,
    sender: mpsc::Sender<EngineEvent>,
}

type Members = HashMap<Uuid, Entry>;

#[derive(Default)]
struct Registry {
    sessions: HashMap<SessionId, Members>,
    observers: Observers,
}

/// The per-session registry of live connections. Cheap to clone (shared).
#[derive(Clone, Default)]
pub struct Connections {
    registry: Arc<Mutex<Registry>>,
}

impl std::fmt::Debug for Connections {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connections")
            .field("sessions", &self.lock().sessions.len())
            .finish()
    }
}

impl Connections {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers a new connection to `session_id` carrying `data`.
    pub fn register(&self, session_id: &SessionId, data: Option<String>) -> Registration {
        let (sender, events) = mpsc::channel(EVENT_BUFFER);
        let info = ConnectionInfo {
            id: Uuid::new_v4(),
            session_id: session_id.clone(),
            data,
            created_at: super::now_ms(),
        };
        let entry = Entry {
            info: info.clone(),
            sender,
        };
        let mut registry = self.lock();
        registry
            .sessions
            .entry(info.session_id.clone())
            .or_default()
            .insert(info.id, entry);
        registry
            .observers
            .notify(session_id, || Membership::Joined(info.clone()));
        Registration { info, events }
    }

    /// Removes a connection; `false` if it was not registered.
    pub fn unregister(&self, session_id: &SessionId, id: Uuid) -> bool {
        self.lock().remove(session_id, id).is_some()
    }

    /// Watches one session: the receiver first gets [`Membership::Joined`]
    /// for every connection already there, then every join and leave, in
    /// order. Dropping the receiver ends the observation.
    pub fn observe(&self, session_id: &SessionId) -> mpsc::UnboundedReceiver<Membership> {
        let mut registry = self.lock();
        let Registry {
            sessions,
            observers,
        } = &mut *registry;
        let present = sessions
            .get(session_id)
            .map(|members| members.values().map(|e| &e.info).collect())
            .unwrap_or_default();
        observers.add(session_id, present)
    }

    /// The registered connections of a session, oldest first.
    pub fn list(&self, session_id: &SessionId) -> Vec<ConnectionInfo> {
        let mut items: Vec<ConnectionInfo> = self
            .lock()
            .sessions
            .get(session_id)
            .map(|connections| connections.values().map(|e| e.info.clone()).collect())
            .unwrap_or_default();
        items.sort_by_key(|info| (info.created_at, info.id));
        items
    }

    /// How many registered connections a session has.
    pub fn count(&self, session_id: &SessionId) -> usize {
        self.lock().sessions.get(session_id).map_or(0, HashMap::len)
    }

    /// Queues `event` for one connection of the session.
    pub fn send(
        &self,
        session_id: &SessionId,
        id: Uuid,
        event: EngineEvent,
    ) -> Result<(), DeliveryError> {
        let mut registry = self.lock();
        let entry = registry
            .sessions
            .get(session_id)
            .and_then(|connections| connections.get(&id))
            .ok_or(DeliveryError::NotConnected(id))?;
        match entry.sender.try_send(event) {
            Ok(()) => Ok(()),
            Err(mpsc::error::TrySendError::Full(_)) => Err(DeliveryError::Congested(id)),
            Err(mpsc::error::TrySendError::Closed(_)) => {
                registry.remove(session_id, id);
                Err(DeliveryError::NotConnected(id))
            }
        }
    }

    /// Queues `event` for every connection of the session and returns how
    /// many took it; congested connections miss it (and are logged).
    pub fn broadcast(
        &self,
        session_id: &SessionId,
        event: &EngineEvent,
    ) -> Result<usize, DeliveryError> {
        self.broadcast_except(session_id, event, &[])
    }

    /// [`broadcast`](Self::broadcast) to every connection but those in
    /// `except` (e.g. the tabs of the person an announcement is about).
    pub fn broadcast_except(
        &self,
        session_id: &SessionId,
        event: &EngineEvent,
        except: &[Uuid],
    ) -> Result<usize, DeliveryError> {
        let mut registry = self.lock();
        registry.prune_closed(session_id);
        let connections = registry
            .sessions
            .get(session_id)
            .ok_or(DeliveryError::NoConnections)?;
        let mut delivered = 0;
        for entry in connections.values() {
            if except.contains(&entry.info.id) {
                continue;
            }
            match entry.sender.try_send(event.clone()) {
                Ok(()) => delivered += 1,
                Err(_) => tracing::warn!(connection = %entry.info.id, "event dropped: queue full"),
            }
        }
        Ok(delivered)
    }

    /// Forcibly disconnects a connection: it leaves the registry at once and
    /// its transport receives [`EngineEvent::ForceDisconnect`] — or, if its
    /// queue is full, simply sees the event channel close.
    pub fn disconnect(&self, session_id: &SessionId, id: Uuid) -> Result<(), DeliveryError> {
        let entry = self
            .lock()
            .remove(session_id, id)
            .ok_or(DeliveryError::NotConnected(id))?;
        // Dropping the sender right after closes the channel either way.
        let _ = entry.sender.try_send(EngineEvent::ForceDisconnect);
        Ok(())
    }

    fn lock(&self) -> MutexGuard<'_, Registry> {
        // A panic while holding the lock cannot leave a half-written map
        // (every update is a single insert or remove), so keep going.
        self.registry.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Registry {
    fn remove(&mut self, session_id: &SessionId, id: Uuid) -> Option<Entry> {
        let connections = self.sessions.get_mut(session_id)?;
        let entry = connections.remove(&id);
        if connections.is_empty() {
            self.sessions.remove(session_id);
        }
        if entry.is_some() {
            self.observers.notify(session_id, || Membership::Left(id));
        }
        entry
    }

    /// Drops connections whose transport went away without unregistering.
    fn prune_closed(&mut self, session_id: &SessionId) {
        let closed: Vec<Uuid> = self
            .sessions
            .get(session_id)
            .map(|members| {
                members
                    .values()
                    .filter(|entry| entry.sender.is_closed())
                    .map(|entry| entry.info.id)
                    .collect()
            })
            .unwrap_or_default();
        for id in closed {
            self.remove(session_id, id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opentok::model::MediaMode;

    /// A fresh session id (shared with the observers' tests).
    pub(super) fn session() -> SessionId {
        SessionId::generate("123456", None, MediaMode::Routed)
    }

    /// A small signal event (shared with the observers' tests).
    pub(super) fn chat(data: &str) -> EngineEvent {
        EngineEvent::Signal(Signal::new("chat", data).expect("a valid signal"))
    }

    #[test]
    fn registrations_are_counted_and_listed_per_session() {
        let connections = Connections::new();
        let (a, b) = (session(), session());
        let first = connections.register(&a, Some("name=Alice".into()));
        let second = connections.register(&a, None);
        connections.register(&b, None);
        assert_eq!((connections.count(&a), connections.count(&b)), (2, 1));
        let listed = connections.list(&a);
        assert_eq!(listed.len(), 2);
        assert!(listed.contains(&first.info) && listed.contains(&second.info));
        assert!(connections.unregister(&a, first.info.id));
        assert!(!connections.unregister(&a, first.info.id));
        assert_eq!(connections.list(&a), vec![second.info]);
    }

    #[tokio::test]
    async fn signals_reach_one_connection_or_all() {
        let connections = Connections::new();
        let s = session();
        let mut one = connections.register(&s, None);
        let mut two = connections.register(&s, None);
        connections.send(&s, one.info.id, chat("direct")).unwrap();
        assert_eq!(connections.broadcast(&s, &chat("all")).unwrap(), 2);
        assert_eq!(one.events.recv().await, Some(chat("direct")));
        assert_eq!(one.events.recv().await, Some(chat("all")));
        assert_eq!(two.events.recv().await, Some(chat("all")));
        assert!(
            two.events.try_recv().is_err(),
            "the direct signal went to one connection only"
        );
    }

    #[test]
    fn delivery_to_nobody_is_not_connected() {
        let connections = Connections::new();
        let s = session();
        let stranger = Uuid::new_v4();
        assert_eq!(
            connections.send(&s, stranger, chat("x")),
            Err(DeliveryError::NotConnected(stranger))
        );
        assert_eq!(
            connections.broadcast(&s, &chat("x")),
            Err(DeliveryError::NoConnections)
        );
        // A connection of another session is not reachable through this one.
        let elsewhere = connections.register(&session(), None);
        let id = elsewhere.info.id;
        assert_eq!(
            connections.send(&s, id, chat("x")),
            Err(DeliveryError::NotConnected(id))
        );
    }

    #[test]
    fn a_dropped_transport_is_removed_on_first_delivery() {
        let connections = Connections::new();
        let s = session();
        let gone = connections.register(&s, None);
        let id = gone.info.id;
        drop(gone.events);
        assert_eq!(
            connections.count(&s),
            1,
            "still registered until someone notices"
        );
        assert_eq!(
            connections.send(&s, id, chat("x")),
            Err(DeliveryError::NotConnected(id))
        );
        assert_eq!(connections.count(&s), 0);
    }

    #[test]
    fn a_full_queue_is_congestion() {
        let connections = Connections::new();
        let s = session();
        let slow = connections.register(&s, None);
        for _ in 0..EVENT_BUFFER {
            connections.send(&s, slow.info.id, chat("x")).unwrap();
        }
        let id = slow.info.id;
        assert_eq!(
            connections.send(&s, id, chat("x")),
            Err(DeliveryError::Congested(id))
        );
        assert_eq!(connections.broadcast(&s, &chat("x")), Ok(0));
    }

    #[tokio::test]
    async fn force_disconnect_unregisters_and_tells_the_transport() {
        let connections = Connections::new();
        let s = session();
        let mut victim = connections.register(&s, None);
        connections.disconnect(&s, victim.info.id).unwrap();
        assert_eq!(connections.count(&s), 0);
        assert_eq!(
            victim.events.recv().await,
            Some(EngineEvent::ForceDisconnect)
        );
        assert_eq!(victim.events.recv().await, None, "the channel closes");
        let id = victim.info.id;
        assert_eq!(
            connections.disconnect(&s, id),
            Err(DeliveryError::NotConnected(id))
        );
    }
}
