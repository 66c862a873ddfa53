//! Who is connected to the help hub session, and which representatives are
//! ready for a customer: the help service's only in-memory state (the queue
//! itself is in the store). Pure and synchronous; the service keeps it
//! behind a `std::sync::Mutex` that is never held across an `.await`.
//!
//! A customer's connections carry a *generation*, bumped whenever their
//! last connection closes or a new one opens: a grace timer started when
//! the last one closed acts only if the generation is still the one it was
//! started with, so a customer who reconnects in time stays in line.

use std::collections::{HashMap, HashSet};

use app::accounts::AccountId;
use uuid::Uuid;

use crate::opentok::session_id::SessionId;
use crate::store::help::RepRef;

/// Who a hub connection belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Party {
    /// The customer of this help session.
    Customer(SessionId),
    /// A representative.
    Rep(AccountId),
}

/// What a closed connection leaves behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Departure {
    /// The customer's last connection closed: start the grace timer for
    /// this generation.
    CustomerGone(SessionId, u64),
    /// The representative's last connection closed (no longer ready).
    RepGone(AccountId),
}

#[derive(Debug, Default)]
struct CustomerLink {
    connections: HashSet<Uuid>,
    generation: u64,
}

/// The help hub's parties and the ready representatives.
#[derive(Debug, Default)]
pub(super) struct Parties {
    by_connection: HashMap<Uuid, Party>,
    customers: HashMap<SessionId, CustomerLink>,
    reps: HashMap<AccountId, HashSet<Uuid>>,
    /// Ready representatives, longest waiting first.
    ready: Vec<RepRef>,
    /// Customers whose position must be sent again (a new connection).
    resend: HashSet<SessionId>,
    /// Representative connections that have not heard the count yet.
    greet: Vec<Uuid>,
    next_generation: u64,
}

impl Parties {
    fn generation(&mut self) -> u64 {
        self.next_generation += 1;
        self.next_generation
    }

    /// A connection of `party` opened.
    pub(super) fn joined(&mut self, id: Uuid, party: Party) {
        match &party {
            Party::Customer(session) => {
                let generation = self.generation();
                let link = self.customers.entry(session.clone()).or_default();
                link.connections.insert(id);
                link.generation = generation;
                self.resend.insert(session.clone());
            }
            Party::Rep(rep) => {
                self.reps.entry(*rep).or_default().insert(id);
                self.greet.push(id);
            }
        }
        self.by_connection.insert(id, party);
    }

    /// A connection closed; what that means, if anything.
    pub(super) fn left(&mut self, id: Uuid) -> Option<Departure> {
        self.greet.retain(|greeted| *greeted != id);
        match self.by_connection.remove(&id)? {
            Party::Customer(session) => {
                let generation = self.generation();
                let link = self.customers.get_mut(&session)?;
                link.connections.remove(&id);
                if !link.connections.is_empty() {
                    return None;
                }
                link.generation = generation;
                Some(Departure::CustomerGone(session, generation))
            }
            Party::Rep(rep) => {
                let connections = self.reps.get_mut(&rep)?;
                connections.remove(&id);
                if !connections.is_empty() {
                    return None;
                }
                self.reps.remove(&rep);
                self.unready(rep);
                Some(Departure::RepGone(rep))
            }
        }
    }

    /// Expects the customer of `session` to connect (after a restart);
    /// the generation their grace timer must find.
    pub(super) fn expect(&mut self, session: &SessionId) -> u64 {
        let generation = self.generation();
        let link = self.customers.entry(session.clone()).or_default();
        if link.connections.is_empty() {
            link.generation = generation;
        }
        link.generation
    }

    /// Whether the customer of `session` is still without a connection
    /// since `generation`.
    pub(super) fn still_gone(&self, session: &SessionId, generation: u64) -> bool {
        self.customers
            .get(session)
            .is_some_and(|link| link.connections.is_empty() && link.generation == generation)
    }

    /// Forgets a customer without connections (their help session is over).
    pub(super) fn forget(&mut self, session: &SessionId) {
        if self
            .customers
            .get(session)
            .is_some_and(|link| link.connections.is_empty())
        {
            self.customers.remove(session);
        }
    }

    /// The customer's connections.
    pub(super) fn customer_connections(&self, session: &SessionId) -> Vec<Uuid> {
        self.customers
            .get(session)
            .map(|link| link.connections.iter().copied().collect())
            .unwrap_or_default()
    }

    /// The representative's connections.
    pub(super) fn rep_connections(&self, rep: AccountId) -> Vec<Uuid> {
        self.reps
            .get(&rep)
            .map(|connections| connections.iter().copied().collect())
            .unwrap_or_default()
    }

    /// Every representative connection.
    pub(super) fn all_rep_connections(&self) -> Vec<Uuid> {
        self.reps.values().flatten().copied().collect()
    }

    /// The representative waits for the next customer (idempotent).
    pub(super) fn make_ready(&mut self, rep: RepRef) {
        if !self.is_ready(rep.id) {
            self.ready.push(rep);
        }
    }

    /// Whether the representative waits for a customer.
    pub(super) fn is_ready(&self, rep: AccountId) -> bool {
        self.ready.iter().any(|ready| ready.id == rep)
    }

    /// The representative who has waited longest.
    pub(super) fn first_ready(&self) -> Option<RepRef> {
        self.ready.first().cloned()
    }

    /// The representative no longer waits; `false` if they did not.
    pub(super) fn unready(&mut self, rep: AccountId) -> bool {
        let before = self.ready.len();
        self.ready.retain(|ready| ready.id != rep);
        self.ready.len() != before
    }

    /// The customers to send their position again and the representative
    /// connections to tell the count, both emptied.
    pub(super) fn take_requests(&mut self) -> (HashSet<SessionId>, Vec<Uuid>) {
        (
            std::mem::take(&mut self.resend),
            std::mem::take(&mut self.greet),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opentok::model::MediaMode;
    use app::accounts::Username;

    fn session() -> SessionId {
        SessionId::generate("123456", None, MediaMode::Relayed)
    }

    fn rep(id: i64) -> RepRef {
        RepRef {
            id: AccountId(id),
            name: Username::parse(&format!("rep{id}")).unwrap(),
        }
    }

    #[test]
    fn a_customer_is_gone_when_their_last_connection_closes() {
        let mut parties = Parties::default();
        let s = session();
        let (one, two) = (Uuid::new_v4(), Uuid::new_v4());
        parties.joined(one, Party::Customer(s.clone()));
        parties.joined(two, Party::Customer(s.clone()));
        assert_eq!(parties.customer_connections(&s).len(), 2);
        assert_eq!(parties.left(one), None);
        let Some(Departure::CustomerGone(gone, generation)) = parties.left(two) else {
            panic!("the last connection closed");
        };
        assert_eq!(gone, s);
        assert!(parties.still_gone(&s, generation));
        parties.joined(Uuid::new_v4(), Party::Customer(s.clone()));
        assert!(!parties.still_gone(&s, generation), "back in time");
        assert_eq!(parties.left(Uuid::new_v4()), None, "an unknown connection");
    }

    #[test]
    fn restored_customers_are_expected_and_forgotten_only_when_absent() {
        let mut parties = Parties::default();
        let (s, t) = (session(), session());
        let generation = parties.expect(&s);
        assert!(parties.still_gone(&s, generation));
        let connection = Uuid::new_v4();
        parties.joined(connection, Party::Customer(t.clone()));
        let kept = parties.expect(&t);
        assert!(!parties.still_gone(&t, kept), "connected");
        parties.forget(&t);
        assert_eq!(parties.customer_connections(&t), [connection]);
        parties.forget(&s);
        assert!(!parties.still_gone(&s, generation), "forgotten");
    }

    #[test]
    fn ready_reps_queue_up_and_leave_with_their_last_connection() {
        let mut parties = Parties::default();
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        parties.joined(a, Party::Rep(AccountId(1)));
        parties.joined(b, Party::Rep(AccountId(2)));
        parties.make_ready(rep(2));
        parties.make_ready(rep(1));
        parties.make_ready(rep(2));
        assert_eq!(parties.first_ready(), Some(rep(2)));
        assert_eq!(parties.left(b), Some(Departure::RepGone(AccountId(2))));
        assert!(!parties.is_ready(AccountId(2)));
        assert_eq!(parties.first_ready(), Some(rep(1)));
        assert!(parties.unready(AccountId(1)));
        assert!(!parties.unready(AccountId(1)));
        assert_eq!(parties.first_ready(), None);
        assert_eq!(parties.all_rep_connections(), [a]);
    }

    #[test]
    fn new_connections_are_greeted_once() {
        let mut parties = Parties::default();
        let s = session();
        let (rep_tab, gone_tab) = (Uuid::new_v4(), Uuid::new_v4());
        parties.joined(Uuid::new_v4(), Party::Customer(s.clone()));
        parties.joined(rep_tab, Party::Rep(AccountId(1)));
        parties.joined(gone_tab, Party::Rep(AccountId(1)));
        parties.left(gone_tab);
        let (resend, greet) = parties.take_requests();
        assert_eq!(
            (resend.into_iter().collect::<Vec<_>>(), greet),
            (vec![s], vec![rep_tab])
        );
        let (resend, greet) = parties.take_requests();
        assert!(resend.is_empty() && greet.is_empty());
    }
}
