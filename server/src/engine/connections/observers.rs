//! Observers of one session's membership: each gets an unbounded channel
//! that first lists the connections already there, then every join and
//! leave in order. They are told under the registry's lock, so nothing is
//! lost or reordered, and an observer that dropped its receiver is
//! forgotten on the next change.

use std::collections::HashMap;

use tokio::sync::mpsc;
use uuid::Uuid;

use super::ConnectionInfo;
use crate::opentok::session_id::SessionId;

/// A change in who is connected to an observed session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Membership {
    /// A connection joined (or was already there when observing began).
    Joined(ConnectionInfo),
    /// A connection left, however it went (unregistered, forced out, or
    /// found gone on delivery).
    Left(Uuid),
}

/// The observers of every session.
#[derive(Debug, Default)]
pub(super) struct Observers(HashMap<SessionId, Vec<mpsc::UnboundedSender<Membership>>>);

impl Observers {
    /// A new observer of `session_id`, first told about `present`.
    pub(super) fn add(
        &mut self,
        session_id: &SessionId,
        mut present: Vec<&ConnectionInfo>,
    ) -> mpsc::UnboundedReceiver<Membership> {
        let (sender, receiver) = mpsc::unbounded_channel();
        present.sort_by_key(|info| (info.created_at, info.id));
        for info in present {
            // The receiver is alive: it is in our hands.
            let _ = sender.send(Membership::Joined(info.clone()));
        }
        self.0.entry(session_id.clone()).or_default().push(sender);
        receiver
    }

    /// Tells the session's observers; forgets those that stopped listening.
    pub(super) fn notify(&mut self, session_id: &SessionId, change: impl Fn() -> Membership) {
        let Some(observers) = self.0.get_mut(session_id) else {
            return;
        };
        observers.retain(|observer| observer.send(change()).is_ok());
        if observers.is_empty() {
            self.0.remove(session_id);
        }
    }

    /// Whether nobody observes anything.
    #[cfg(test)]
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{chat, session};
    use super::super::{Connections, DeliveryError};
    use super::*;

    #[test]
    fn observers_see_who_was_there_then_every_join_and_leave() {
        let connections = Connections::new();
        let (s, other) = (session(), session());
        let early = connections.register(&s, Some("early".into()));
        let mut seen = connections.observe(&s);
        let late = connections.register(&s, None);
        connections.register(&other, None);
        let gone = connections.register(&s, None);
        drop(gone.events);
        assert!(connections.unregister(&s, early.info.id));
        connections.disconnect(&s, late.info.id).unwrap();
        assert_eq!(
            connections.broadcast(&s, &chat("x")),
            Err(DeliveryError::NoConnections)
        );
        let changes: Vec<Membership> = std::iter::from_fn(|| seen.try_recv().ok()).collect();
        assert_eq!(
            changes,
            vec![
                Membership::Joined(early.info.clone()),
                Membership::Joined(late.info.clone()),
                Membership::Joined(gone.info.clone()),
                Membership::Left(early.info.id),
                Membership::Left(late.info.id),
                Membership::Left(gone.info.id),
            ],
            "the other session's join is not reported"
        );
    }

    #[test]
    fn a_dropped_observer_is_forgotten_and_broadcasts_can_skip_connections() {
        let connections = Connections::new();
        let s = session();
        drop(connections.observe(&s));
        let mut one = connections.register(&s, None);
        let mut two = connections.register(&s, None);
        assert!(connections.lock().observers.is_empty());
        assert_eq!(
            connections.broadcast_except(&s, &chat("x"), &[one.info.id]),
            Ok(1)
        );
        assert!(one.events.try_recv().is_err());
        assert_eq!(two.events.try_recv().ok(), Some(chat("x")));
    }
}
