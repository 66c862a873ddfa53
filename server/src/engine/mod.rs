//! The embedded OpenTok-compatible platform: its service layer ([`Engine`])
//! and its REST API ([`router`]), which official OpenTok server SDKs can be
//! pointed at (§8.2). The same [`Engine`] backs the `local` media provider.
//!
//! - [`connections`]: live client connections per session, and the events
//!   (signals, forced disconnects) the API sends them.
//! - `sessions` / `archives`: the engine's operations, persisted through the
//!   [`Store`](crate::store::Store).
//! - [`hub`]: the realtime WebSocket endpoint `GET /rtc` where browsers
//!   join sessions (connections, signals, streams, WebRTC relay).
//! - [`hub_session`]: the sessions the server's own services (presence,
//!   the help queue) speak to their clients in.
//! - `rest`: the §5 endpoints, authenticated per §4, answering with the
//!   platform's status codes and JSON error bodies.

mod archives;
pub mod connections;
mod error;
pub mod hub;
pub mod hub_session;
pub mod media;
pub mod recording;
mod rest;
mod sessions;

use std::sync::Arc;

use axum::http::HeaderMap;

pub use archives::{ArchiveConfig, StreamChange};
pub use connections::{
    ConnectionInfo, Connections, DeliveryError, EngineEvent, Membership, Registration,
};
pub use error::EngineError;
pub use hub::{Hub, HubConfig};
pub use hub_session::ServiceSession;
pub use media::{MediaConfig, MediaRouter};
pub use rest::router;

use crate::opentok::credentials::Credentials;
use crate::opentok::rest_auth::RestAuthVerifier;
use crate::opentok::verify::TokenVerifier;
use crate::store::Store;

/// The embedded platform for one project. Cheap to clone (`Arc` inside).
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

struct Inner {
    credentials: Credentials,
    owner: String,
    token_verifier: TokenVerifier,
    rest_auth: RestAuthVerifier,
    connections: Connections,
    hub: Hub,
    media: MediaRouter,
    archives: ArchiveConfig,
    store: Arc<dyn Store>,
}

/// How an [`Engine`] is set up: the hub's timings and limits, the media
/// router's network, and where and how long archives record.
#[derive(Debug, Clone, Default)]
pub struct EngineConfig {
    /// The realtime hub.
    pub hub: HubConfig,
    /// The media router of routed sessions.
    pub media: MediaConfig,
    /// Recording.
    pub archives: ArchiveConfig,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Credentials stay out of logs: only the public project id is shown.
        f.debug_struct("Engine")
            .field("project", &self.inner.owner)
            .finish_non_exhaustive()
    }
}

impl Engine {
    /// An engine serving the project `credentials`, persisting to `store`.
    pub fn new(credentials: Credentials, store: Arc<dyn Store>) -> Engine {
        Engine::with_hub_config(credentials, store, HubConfig::default())
    }

    /// [`new`](Self::new) with the realtime hub's timings and limits.
    pub fn with_hub_config(
        credentials: Credentials,
        store: Arc<dyn Store>,
        hub: HubConfig,
    ) -> Engine {
        let config = EngineConfig {
            hub,
            ..EngineConfig::default()
        };
        Engine::with_config(credentials, store, config)
    }

    /// An engine with every setting given.
    pub fn with_config(
        credentials: Credentials,
        store: Arc<dyn Store>,
        config: EngineConfig,
    ) -> Engine {
        let inner = Inner {
            hub: Hub::new(config.hub),
            media: MediaRouter::new(config.media),
            archives: config.archives,
            owner: credentials.owner_id(),
            token_verifier: TokenVerifier::new(&credentials),
            rest_auth: RestAuthVerifier::new(&credentials),
            connections: Connections::new(),
            credentials,
            store,
        };
        Engine {
            inner: Arc::new(inner),
        }
    }

    /// The project's credentials (for minting client tokens).
    pub fn credentials(&self) -> &Credentials {
        &self.inner.credentials
    }

    /// The project's API key (or application id): what clients pass to `OT.initSession`.
    pub fn api_key(&self) -> &str {
        &self.inner.owner
    }

    /// Verifies the client tokens of this project (used by the realtime hub).
    pub fn token_verifier(&self) -> &TokenVerifier {
        &self.inner.token_verifier
    }

    /// The live connections of every session.
    pub fn connections(&self) -> &Connections {
        &self.inner.connections
    }

    /// The realtime hub's live rooms on this instance.
    pub fn hub(&self) -> &Hub {
        &self.inner.hub
    }

    /// The media router of routed sessions.
    pub fn media(&self) -> &MediaRouter {
        &self.inner.media
    }

    /// Where and how long archives record.
    pub fn archive_config(&self) -> &ArchiveConfig {
        &self.inner.archives
    }

    /// Checks REST authentication (§4) for a request addressed to `project`:
    /// the project must be ours and the headers must carry a valid JWT for it.
    pub fn authorize(&self, headers: &HeaderMap, project: &str) -> Result<(), EngineError> {
        if project != self.inner.owner {
            return Err(EngineError::Forbidden(format!(
                "project {project} not found"
            )));
        }
        self.inner
            .rest_auth
            .verify(headers, project)
            .map_err(|err| EngineError::Forbidden(err.to_string()))
    }

    fn store(&self) -> &dyn Store {
        self.inner.store.as_ref()
    }
}

/// Now, epoch milliseconds.
fn now_ms() -> u64 {
    let nanos = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
    u64::try_from(nanos / 1_000_000).unwrap_or(0)
}
