//! The presence service: the [`Presence`] state machine behind one
//! `std::sync::Mutex`, fed by the hub and by requests, with its decisions
//! carried out.
//!
//! - **Session.** Presence lives in its [`ServiceSession`]: one relayed
//!   session of the embedded engine, remembered in the room map under
//!   `presence:{api key}`, a name no [`RoomName`](app::models::RoomName)
//!   can take, with hub connection events suppressed — clients learn who
//!   is there from presence events, so a join costs one broadcast, not two.
//! - **Joins and leaves.** A task observes the session's connections
//!   ([`Connections::observe`](crate::engine::Connections::observe)); a
//!   connection whose token data is `{"name","userId"}` joins that user,
//!   and their last connection closing makes them leave.
//! - **Deliveries** go out as `presence` signals through the engine's
//!   connection registry *while the lock is held*: they are `try_send`s,
//!   so it is never held across an `.await`, and every client sees the
//!   decisions in the order they were taken.
//! - **Timers** (ring timeouts) are spawned sleeps that call back into the
//!   machine; a timer outliving its invitation changes nothing.
//! - **Archives** of ended chats are stopped in the background.
//!
//! The [`PresenceBackend`](app::presence::backend::PresenceBackend)
//! implementation is in `backend`, the routes' identity and token
//! helpers in `tokens`.

mod backend;
mod tokens;

use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::time::Duration;

use app::models::ConnectionData;
use app::presence::backend::PresenceError;
use app::presence::PRESENCE_SIGNAL;
use tokio::sync::mpsc;
use uuid::Uuid;

use super::identity::IdentityKeys;
use super::machine::{ArchiveToStop, Effects, Outgoing, Presence, Recipient, Timer};
use crate::engine::{
    ConnectionInfo, DeliveryError, Engine, EngineError, EngineEvent, Membership, ServiceSession,
};
use crate::opentok::model::Signal;
use crate::opentok::session_id::SessionId;
use crate::provider::MediaProvider;
use crate::store::{Store, StoreError};

/// The default ring timeout.
pub const RING_TIMEOUT: Duration = Duration::from_secs(30);

/// Why the presence service could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The presence session could not be created.
    #[error("creating the presence session: {0}")]
    Engine(#[from] EngineError),
    /// The presence session could not be remembered.
    #[error("remembering the presence session: {0}")]
    Store(#[from] StoreError),
}

/// Server-decided presence. Cheap to clone (shared).
#[derive(Clone)]
pub struct PresenceService {
    inner: Arc<Inner>,
}

struct Inner {
    engine: Engine,
    provider: Arc<dyn MediaProvider>,
    identity: IdentityKeys,
    session_id: SessionId,
    state: Mutex<Presence>,
}

impl std::fmt::Debug for PresenceService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PresenceService")
            .field("session_id", &self.inner.session_id)
            .field("identity", &self.inner.identity)
            .finish_non_exhaustive()
    }
}

impl PresenceService {
    /// Finds or creates the presence session and starts watching it.
    /// Invitations ring for `ring_timeout`. Must run inside a tokio runtime.
    pub async fn start(
        engine: Engine,
        provider: Arc<dyn MediaProvider>,
        store: Arc<dyn Store>,
        identity: IdentityKeys,
        ring_timeout: Duration,
    ) -> Result<Self, StartError> {
        let ServiceSession {
            id: session_id,
            changes,
        } = ServiceSession::open::<StartError>(&engine, store.as_ref(), "presence").await?;
        let inner = Arc::new(Inner {
            engine,
            provider,
            identity,
            session_id,
            state: Mutex::new(Presence::new(ring_timeout)),
        });
        tokio::spawn(watch(Arc::downgrade(&inner), changes));
        Ok(PresenceService { inner })
    }

    /// The presence session (of the embedded engine).
    pub fn session_id(&self) -> &SessionId {
        &self.inner.session_id
    }

    /// The embedded engine's API key, which presence clients connect with.
    pub fn api_key(&self) -> &str {
        self.inner.engine.api_key()
    }

    /// How many people are online.
    pub fn online_count(&self) -> usize {
        self.inner.lock().online_count()
    }
}

/// Feeds the machine with the session's joins and leaves until the
/// service or the engine is gone.
async fn watch(inner: Weak<Inner>, mut changes: mpsc::UnboundedReceiver<Membership>) {
    while let Some(change) = changes.recv().await {
        let Some(inner) = inner.upgrade() else {
            return;
        };
        match change {
            Membership::Joined(info) => inner.joined(&info),
            Membership::Left(id) => inner.apply(|presence| presence.leave(id)),
        }
    }
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, Presence> {
        // Every operation validates before it mutates, so a panic cannot
        // leave the machine half-changed; keep serving.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn joined(self: &Arc<Self>, info: &ConnectionInfo) {
        let Some(data) = info.data.as_deref().and_then(ConnectionData::parse) else {
            tracing::debug!(connection = %info.id, "a presence connection without presence data");
            return;
        };
        let Some(user) = data.user_id else {
            tracing::debug!(connection = %info.id, "a presence connection without a user id");
            return;
        };
        self.apply(|presence| presence.join(info.id, user, data.name));
    }

    /// Runs an operation that cannot be refused and carries out its effects.
    fn apply(self: &Arc<Self>, op: impl FnOnce(&mut Presence) -> Effects) {
        let _ = self.run(|presence| Ok(((), op(presence))));
    }

    /// Runs an operation atomically: its events are delivered before the
    /// lock is released; timers and archive stops are started after.
    fn run<T>(
        self: &Arc<Self>,
        op: impl FnOnce(&mut Presence) -> Result<(T, Effects), PresenceError>,
    ) -> Result<T, PresenceError> {
        let mut presence = self.lock();
        let (value, effects) = op(&mut presence)?;
        for outgoing in &effects.deliveries {
            self.deliver(&presence, outgoing);
        }
        drop(presence);
        for timer in effects.timers {
            self.arm(timer);
        }
        for archive in effects.stop_archives {
            self.stop_archive(archive);
        }
        Ok(value)
    }

    fn deliver(&self, presence: &Presence, outgoing: &Outgoing) {
        let signal = match Signal::new(PRESENCE_SIGNAL, outgoing.event.to_json()) {
            Ok(signal) => signal,
            Err(err) => {
                tracing::error!(error = %err, "a presence event does not fit in a signal");
                return;
            }
        };
        let event = EngineEvent::Signal(signal);
        let connections = self.engine.connections();
        let session = &self.session_id;
        let results: Vec<Result<(), DeliveryError>> = match outgoing.to {
            Recipient::Everyone => vec![connections.broadcast(session, &event).map(|_| ())],
            Recipient::EveryoneBut(user) => {
                let skip = presence.connections_of(user);
                vec![connections
                    .broadcast_except(session, &event, &skip)
                    .map(|_| ())]
            }
            Recipient::User(user) => presence
                .connections_of(user)
                .into_iter()
                .map(|id| connections.send(session, id, event.clone()))
                .collect(),
            Recipient::Connection(id) => vec![connections.send(session, id, event)],
        };
        for result in results {
            match result {
                Ok(()) | Err(DeliveryError::NoConnections | DeliveryError::NotConnected(_)) => {}
                Err(err) => tracing::warn!(error = %err, "a presence event was dropped"),
            }
        }
    }

    fn arm(self: &Arc<Self>, timer: Timer) {
        let Timer::Ring { invitation, after } = timer;
        let inner = Arc::downgrade(self);
        tokio::spawn(async move {
            tokio::time::sleep(after).await;
            if let Some(inner) = inner.upgrade() {
                inner.apply(|presence| presence.expire(invitation));
            }
        });
    }

    fn stop_archive(&self, archive: ArchiveToStop) {
        let Ok(id) = Uuid::parse_str(&archive.archive_id) else {
            tracing::error!(archive = archive.archive_id, "not an archive id");
            return;
        };
        let provider = self.provider.clone();
        tokio::spawn(async move {
            if let Err(err) = provider.stop_archive(id).await {
                tracing::warn!(archive = %id, error = %err, "stopping the archive of an ended chat");
            }
        });
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use app::models::DisplayName;
    use app::presence::{LocalUser, PresenceEvent, UserId};
    use tempfile::TempDir;

    use crate::engine::Registration;
    use crate::opentok::credentials::{ApiKey, ApiSecret, Credentials};
    use crate::opentok::model::MediaMode;
    use crate::provider::local::LocalProvider;
    use crate::store::sqlite::SqliteStore;

    /// Longest wait for one expected event before a test fails.
    const PATIENCE: Duration = Duration::from_secs(10);

    /// A service on a fresh engine (local provider) and its parts.
    pub struct Fixture {
        pub service: PresenceService,
        pub engine: Engine,
        pub store: Arc<dyn Store>,
        _dir: TempDir,
    }

    pub async fn fixture(ring: Duration) -> Fixture {
        fixture_with(ring, None).await
    }

    /// [`fixture`] with chats on `provider` (default: the local engine).
    pub async fn fixture_with(ring: Duration, provider: Option<Arc<dyn MediaProvider>>) -> Fixture {
        let (engine, store, dir) = engine("123456").await;
        let provider = provider.unwrap_or_else(|| Arc::new(LocalProvider::new(engine.clone())));
        let identity = IdentityKeys::from_key(&[1; 32], false);
        let service =
            PresenceService::start(engine.clone(), provider, store.clone(), identity, ring)
                .await
                .expect("presence starts");
        Fixture {
            service,
            engine,
            store,
            _dir: dir,
        }
    }

    /// An engine of project `key` on a fresh store.
    pub async fn engine(key: &str) -> (Engine, Arc<dyn Store>, TempDir) {
        let dir = tempfile::tempdir().expect("temp dir");
        let store: Arc<dyn Store> = Arc::new(SqliteStore::open(dir.path()).await.expect("store"));
        let credentials = Credentials::Project {
            api_key: ApiKey::parse(key).expect("a valid key"),
            api_secret: ApiSecret::generate(),
        };
        (Engine::new(credentials, store.clone()), store, dir)
    }

    /// Someone new, named `name`.
    pub fn person(name: &str) -> LocalUser {
        LocalUser {
            id: UserId(Uuid::new_v4()),
            name: DisplayName::parse(name).expect("a valid name"),
        }
    }

    impl Fixture {
        /// A hub connection of `user` to the presence session, as the hub registers it.
        pub fn connect(&self, user: &LocalUser) -> Registration {
            let data = ConnectionData {
                name: user.name.clone(),
                user_id: Some(user.id),
            };
            self.engine
                .connections()
                .register(self.service.session_id(), Some(data.to_json()))
        }
    }

    /// The next presence event a connection receives.
    pub async fn next_event(connection: &mut Registration) -> PresenceEvent {
        let event = tokio::time::timeout(PATIENCE, connection.events.recv())
            .await
            .expect("an event in time")
            .expect("the connection is open");
        let EngineEvent::Signal(signal) = event else {
            panic!("expected a signal, got {event:?}");
        };
        assert_eq!(signal.signal_type(), PRESENCE_SIGNAL);
        PresenceEvent::parse(signal.data()).expect("a presence event")
    }

    #[tokio::test]
    async fn the_presence_session_is_created_once_and_kept() {
        let fixture = fixture(RING_TIMEOUT).await;
        let again = PresenceService::start(
            fixture.engine.clone(),
            Arc::new(LocalProvider::new(fixture.engine.clone())),
            fixture.store.clone(),
            IdentityKeys::from_key(&[1; 32], false),
            RING_TIMEOUT,
        )
        .await
        .unwrap();
        assert_eq!(again.session_id(), fixture.service.session_id());
        assert_eq!(fixture.service.api_key(), "123456");
        let record = fixture
            .engine
            .session(again.session_id())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(record.options.media_mode, MediaMode::Relayed);
        assert!(
            fixture
                .engine
                .hub()
                .connection_events_suppressed(again.session_id()),
            "presence clients get no hub connection events"
        );
        let printed = format!("{:?}", fixture.service);
        assert!(printed.contains("<redacted>"), "{printed}");
    }

    #[tokio::test]
    async fn hub_joins_and_leaves_become_presence() {
        let fixture = fixture(RING_TIMEOUT).await;
        let (ada, bo) = (person("Ada"), person("Bo"));
        let mut ada_tab = fixture.connect(&ada);
        assert_eq!(
            next_event(&mut ada_tab).await,
            PresenceEvent::Snapshot {
                users: Vec::new(),
                last: true
            }
        );
        let mut bo_tab = fixture.connect(&bo);
        let PresenceEvent::Snapshot { users, last: true } = next_event(&mut bo_tab).await else {
            panic!("Bo gets the list first");
        };
        assert_eq!(users.iter().map(|u| u.id).collect::<Vec<_>>(), [ada.id]);
        let PresenceEvent::UserJoined { user } = next_event(&mut ada_tab).await else {
            panic!("Ada hears that Bo joined");
        };
        assert_eq!(user.id, bo.id);
        // A connection without presence data is nobody.
        fixture
            .engine
            .connections()
            .register(fixture.service.session_id(), Some("{}".into()));
        fixture
            .engine
            .connections()
            .unregister(fixture.service.session_id(), bo_tab.info.id);
        assert_eq!(
            next_event(&mut ada_tab).await,
            PresenceEvent::UserLeft { id: bo.id }
        );
        assert_eq!(fixture.service.online_count(), 1);
    }
}
