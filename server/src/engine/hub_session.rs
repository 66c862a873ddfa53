//! The hub sessions the server's own services live in (presence, the help
//! queue). Each service has one relayed session of the embedded engine —
//! whichever provider carries the media, our hub is always on — created on
//! first start and remembered in the room map under `{purpose}:{api key}`,
//! a name no room can take (another engine key means another session).
//! Its hub connection events are suppressed: clients learn who is there
//! from the service's own signals, so a join costs one broadcast, not two;
//! and the service observes its joins and leaves. Clients join it with
//! subscriber tokens whose connection data says who they are (nobody else
//! can sign it), minted by [`ServiceSession::token`].

use tokio::sync::mpsc;

use super::{Engine, EngineError, Membership};
use crate::opentok::model::{MediaMode, SessionOptions};
use crate::opentok::session_id::SessionId;
use crate::opentok::token::{Role, TokenBuilder, TokenError, TokenOptions};
use crate::store::{Store, StoreError};

/// A service's hub session, found or created, quiet and observed.
#[derive(Debug)]
pub struct ServiceSession {
    /// The session.
    pub id: SessionId,
    /// Its joins and leaves, from now on (connections already there are
    /// reported as joined first).
    pub changes: mpsc::UnboundedReceiver<Membership>,
}

impl ServiceSession {
    /// Finds the session remembered for `purpose` (creating and
    /// remembering it on first start), suppresses its hub connection
    /// events and starts observing it. The caller's start error takes the
    /// engine's and the store's failures.
    pub async fn open<E>(engine: &Engine, rooms: &dyn Store, purpose: &str) -> Result<Self, E>
    where
        E: From<EngineError> + From<StoreError>,
    {
        let id = remembered::<E>(engine, rooms, purpose).await?;
        engine.hub().suppress_connection_events(&id);
        let changes = engine.connections().observe(&id);
        Ok(ServiceSession { id, changes })
    }

    /// A subscriber token for the session `id` of `engine` whose
    /// connection data is `data`.
    pub fn token(engine: &Engine, id: &SessionId, data: String) -> Result<String, TokenError> {
        let options = TokenOptions {
            role: Role::Subscriber,
            data: Some(data),
            ..TokenOptions::default()
        };
        TokenBuilder::new(engine.credentials(), id)
            .with_options(&options)
            .build()
    }
}

/// The session remembered for `purpose`, created on first start. Of two
/// concurrent first starts, both get the session claimed first.
async fn remembered<E>(engine: &Engine, rooms: &dyn Store, purpose: &str) -> Result<SessionId, E>
where
    E: From<EngineError> + From<StoreError>,
{
    // The key is part of the name: another engine key means another session.
    let name = format!("{purpose}:{}", engine.api_key());
    if let Some(known) = rooms.room_session(&name).await? {
        if engine.session(&known).await?.is_some() {
            return Ok(known);
        }
    }
    let options = SessionOptions {
        media_mode: MediaMode::Relayed,
        ..SessionOptions::default()
    };
    let created = engine.create_session(options).await?;
    Ok(rooms.claim_room(&name, &created).await?)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::opentok::credentials::{ApiKey, ApiSecret, Credentials};
    use crate::opentok::verify::TokenVerifier;
    use crate::store::sqlite::SqliteStore;
    use crate::store::RoomStore;

    /// Both failures a service's start reports.
    #[derive(Debug, thiserror::Error)]
    enum StartError {
        #[error("engine: {0}")]
        Engine(#[from] EngineError),
        #[error("store: {0}")]
        Store(#[from] StoreError),
    }

    fn engine(key: &str, store: Arc<SqliteStore>) -> Engine {
        let credentials = Credentials::Project {
            api_key: ApiKey::parse(key).expect("a valid key"),
            api_secret: ApiSecret::generate(),
        };
        Engine::new(credentials, store)
    }

    async fn open(engine: &Engine, store: &SqliteStore, purpose: &str) -> ServiceSession {
        ServiceSession::open::<StartError>(engine, store, purpose)
            .await
            .expect("the session opens")
    }

    #[tokio::test]
    async fn a_service_session_is_created_once_per_purpose_and_key() {
        let store = Arc::new(SqliteStore::in_memory().await.unwrap());
        let first = engine("123456", store.clone());
        let help = open(&first, &store, "help").await;
        assert_eq!(open(&first, &store, "help").await.id, help.id, "kept");
        let record = first.session(&help.id).await.unwrap().unwrap();
        assert_eq!(record.options.media_mode, MediaMode::Relayed);
        assert_eq!(
            store.room_session("help:123456").await.unwrap(),
            Some(help.id.clone())
        );
        let presence = open(&first, &store, "presence").await;
        assert_ne!(presence.id, help.id, "one session per purpose");
        let other_key = engine("654321", store.clone());
        let other = open(&other_key, &store, "help").await;
        assert_ne!(other.id, help.id, "another key means another session");
        assert!(other.id.belongs_to("654321"));
    }

    #[tokio::test]
    async fn the_session_is_quiet_and_observed() {
        let store = Arc::new(SqliteStore::in_memory().await.unwrap());
        let engine = engine("123456", store.clone());
        let mut session = open(&engine, &store, "help").await;
        assert!(engine.hub().connection_events_suppressed(&session.id));
        let joined = engine
            .connections()
            .register(&session.id, Some("{}".into()));
        match session.changes.recv().await {
            Some(Membership::Joined(info)) => assert_eq!(info.id, joined.info.id),
            other => panic!("expected a join, got {other:?}"),
        }
        engine.connections().unregister(&session.id, joined.info.id);
        match session.changes.recv().await {
            Some(Membership::Left(id)) => assert_eq!(id, joined.info.id),
            other => panic!("expected a leave, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn tokens_are_subscriber_tokens_carrying_the_data() {
        let store = Arc::new(SqliteStore::in_memory().await.unwrap());
        let engine = engine("123456", store.clone());
        let session = open(&engine, &store, "help").await;
        let token = ServiceSession::token(&engine, &session.id, r#"{"name":"Ann"}"#.into())
            .expect("a token");
        let verified = TokenVerifier::new(engine.credentials())
            .verify(&token)
            .expect("valid");
        assert_eq!(verified.role, Role::Subscriber);
        assert_eq!(verified.session_id, session.id);
        assert_eq!(
            verified.connection_data.as_deref(),
            Some(r#"{"name":"Ann"}"#)
        );
    }
}
