//! Customer service (seed 002): the queue of customers waiting for a
//! representative, decided in SQL, told over the help hub.
//!
//! - **Queue.** The [`HelpStore`] is the source of truth: enqueue, the
//!   atomic FIFO dequeue and every end are single compare-and-set
//!   statements, so concurrent requests can neither lose an update nor
//!   hand one customer to two representatives.
//! - **Help hub.** The service's [`ServiceSession`] (one relayed session
//!   of the embedded engine, remembered under `help:{api key}`, connection
//!   events suppressed). Customers and representatives join
//!   it with tokens naming them ([`tokens`]); the service observes who is
//!   connected ([`parties`], [`watch`]) and sends `help` signals
//!   (`from: null`) to the connections concerned only.
//! - **Events.** [`publish`] sends each waiting customer their `Position`
//!   when it changes and every representative the `Waiting` count; the
//!   actions send `Assigned`, `Answered` and `Ended`. All deliveries go
//!   out under one async lock (the *board*), so a customer can never get
//!   a stale position after being answered.
//! - **Matching** ([`matching`]): a representative with nobody waiting
//!   becomes ready; a customer's enqueue hands the longest-ready
//!   representative the first customer in the same SQL statement that
//!   dequeues them.
//! - **Leaving** ([`watch`]): a customer whose last hub connection closed
//!   is ended after [`HelpTimings::leave_grace`] (abandoned while waiting,
//!   served during a call); after a restart open sessions get
//!   [`HelpTimings::restore_grace`] to reconnect.
//!
//! The customer's HTTP routes are in [`routes`] (with [`method_override`]);
//! the representatives' pages call the `HelpBackend` ([`backend`]).

mod backend;
mod customer;
pub mod form;
mod matching;
pub mod method_override;
pub mod metrics;
mod parties;
mod publish;
pub mod routes;
mod tokens;
mod watch;

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use app::help::backend::HelpError;
use app::help::{HelpEvent, HELP_SIGNAL};
use tokio::sync::Notify;
use uuid::Uuid;

pub use customer::EnqueueError;
pub use tokens::HubData;

use crate::engine::{DeliveryError, Engine, EngineError, EngineEvent, ServiceSession};
use crate::opentok::model::Signal;
use crate::opentok::session_id::SessionId;
use crate::provider::MediaProvider;
use crate::store::help::HelpStore;
use crate::store::{Store, StoreError};
use parties::Parties;
use publish::Board;

/// How long the help service waits for parties to come back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HelpTimings {
    /// After a customer's last hub connection closes.
    pub leave_grace: Duration,
    /// After a restart, for customers of open help sessions to reconnect.
    pub restore_grace: Duration,
}

impl Default for HelpTimings {
    fn default() -> Self {
        HelpTimings {
            leave_grace: Duration::from_secs(3),
            restore_grace: Duration::from_secs(60),
        }
    }
}

/// Why the help service could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The help hub session could not be created.
    #[error("creating the help hub session: {0}")]
    Engine(#[from] EngineError),
    /// The store failed.
    #[error("reading the help queue: {0}")]
    Store(#[from] StoreError),
}

/// The customer-service queue. Cheap to clone (shared).
#[derive(Clone)]
pub struct HelpService {
    inner: Arc<Inner>,
}

struct Inner {
    engine: Engine,
    provider: Arc<dyn MediaProvider>,
    store: Arc<dyn HelpStore>,
    /// The help hub session.
    hub: SessionId,
    timings: HelpTimings,
    parties: Mutex<Parties>,
    /// Serialises deliveries (see the module docs).
    board: tokio::sync::Mutex<Board>,
    /// Serialises matching ready representatives with waiting customers.
    matcher: tokio::sync::Mutex<()>,
    /// Wakes the publisher: the queue may have changed.
    dirty: Arc<Notify>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        // Lets the publisher see that the service is gone.
        self.dirty.notify_one();
    }
}

impl std::fmt::Debug for HelpService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HelpService")
            .field("hub", &self.inner.hub)
            .field("timings", &self.inner.timings)
            .finish_non_exhaustive()
    }
}

impl HelpService {
    /// Finds or creates the help hub session, starts watching it and
    /// restores the open help sessions' grace timers. Must run inside a
    /// tokio runtime.
    pub async fn start(
        engine: Engine,
        provider: Arc<dyn MediaProvider>,
        rooms: Arc<dyn Store>,
        store: Arc<dyn HelpStore>,
        timings: HelpTimings,
    ) -> Result<Self, StartError> {
        let ServiceSession { id: hub, changes } =
            ServiceSession::open::<StartError>(&engine, rooms.as_ref(), "help").await?;
        let dirty = Arc::new(Notify::new());
        let inner = Arc::new(Inner {
            engine,
            provider,
            store,
            hub,
            timings,
            parties: Mutex::new(Parties::default()),
            board: tokio::sync::Mutex::new(Board::default()),
            matcher: tokio::sync::Mutex::new(()),
            dirty: dirty.clone(),
        });
        let service = HelpService { inner };
        service.restore().await?;
        tokio::spawn(watch::watch(Arc::downgrade(&service.inner), changes));
        tokio::spawn(publish::publisher(Arc::downgrade(&service.inner), dirty));
        service.inner.dirty.notify_one();
        Ok(service)
    }

    /// The help hub session (of the embedded engine).
    pub fn hub_session(&self) -> &SessionId {
        &self.inner.hub
    }

    fn parties(&self) -> MutexGuard<'_, Parties> {
        // Every change to the parties is a single insert or removal.
        self.inner
            .parties
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The queue may have changed: positions and counts are sent anew.
    fn queue_changed(&self) {
        self.inner.dirty.notify_one();
    }

    /// Sends `event` to the help hub connections `to`; how many took it.
    fn deliver(&self, to: &[Uuid], event: &HelpEvent) -> usize {
        let signal = match Signal::new(HELP_SIGNAL, event.to_json()) {
            Ok(signal) => EngineEvent::Signal(signal),
            Err(err) => {
                tracing::error!(error = %err, "a help event does not fit in a signal");
                return 0;
            }
        };
        let connections = self.inner.engine.connections();
        let mut delivered = 0;
        for id in to {
            match connections.send(&self.inner.hub, *id, signal.clone()) {
                Ok(()) => delivered += 1,
                Err(DeliveryError::NotConnected(_) | DeliveryError::NoConnections) => {}
                Err(err) => tracing::warn!(error = %err, "a help event was dropped"),
            }
        }
        delivered
    }

    /// The hub connections whose data names `party`, found in the engine's
    /// registry (for a connection the watcher has not seen yet).
    fn registered(&self, party: &parties::Party) -> Vec<Uuid> {
        self.inner
            .engine
            .connections()
            .list(&self.inner.hub)
            .into_iter()
            .filter(|info| info.data.as_deref().and_then(HubData::party).as_ref() == Some(party))
            .map(|info| info.id)
            .collect()
    }
}

/// The store failed: customer service is unavailable.
fn unavailable(err: StoreError) -> HelpError {
    tracing::error!(error = %err, "the help store failed");
    HelpError::Unavailable(err.to_string())
}

/// Milliseconds since the epoch.
fn now_ms() -> i64 {
    let now = time::OffsetDateTime::now_utc();
    (now.unix_timestamp_nanos() / 1_000_000) as i64
}

#[cfg(test)]
mod tests;
