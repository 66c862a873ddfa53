//! The embedded engine's media router (a selective forwarding unit) for
//! routed sessions: browsers send their streams to the server over WebRTC,
//! and the server forwards each to its subscribers and to the session's
//! recordings ([`tap`]).

pub mod config;
pub mod tap;

use std::sync::Arc;

use uuid::Uuid;

pub use config::MediaConfig;
pub use tap::{MediaFrame, Tap, TapEvent, Taps};

use crate::opentok::session_id::SessionId;

/// The media router. Cheap to clone (`Arc` inside).
#[derive(Debug, Clone)]
pub struct MediaRouter {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    config: MediaConfig,
    taps: Taps,
}

impl MediaRouter {
    /// A router with `config` and no streams.
    pub fn new(config: MediaConfig) -> Self {
        MediaRouter {
            inner: Arc::new(Inner {
                config,
                taps: Taps::default(),
            }),
        }
    }

    /// Its network settings.
    pub fn config(&self) -> &MediaConfig {
        &self.inner.config
    }

    /// Starts feeding archive `owner`'s recorder with the session's media:
    /// a `StreamStarted` for each stream routed now, then every frame.
    pub fn tap(&self, session: &SessionId, owner: Uuid, tap: Tap) {
        self.inner.taps.add(session, owner, tap);
    }

    /// Stops feeding archive `owner`'s recorder; `true` if it was fed.
    pub fn untap(&self, session: &SessionId, owner: Uuid) -> bool {
        self.inner.taps.remove(session, owner)
    }
}
