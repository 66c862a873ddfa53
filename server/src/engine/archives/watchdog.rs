//! The automatic stops of a recording archive, as on the platform: with the
//! reason `"session ended"` once the session has had no client for
//! [`ArchiveConfig::idle_stop`](super::ArchiveConfig) (60 s), and with
//! `"maximum duration exceeded"` after
//! [`ArchiveConfig::max_duration`](super::ArchiveConfig) (4 h). One task per
//! archive watches the session's membership ([`Connections::observe`]) and
//! ends when the archive's recorder ends, however the archive stopped. It
//! holds the engine weakly, so it never keeps a dropped engine alive.
//!
//! [`Connections::observe`]: crate::engine::Connections::observe

use std::collections::HashSet;
use std::sync::{Arc, Weak};
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::time::{sleep, Instant};
use uuid::Uuid;

use super::lifecycle::{MAXIMUM_DURATION, SESSION_ENDED};
use crate::engine::connections::Membership;
use crate::engine::{Engine, EngineError, Inner};
use crate::opentok::model::Archive;

impl Engine {
    /// Spawns `archive`'s watchdog; it ends when `ended` resolves.
    pub(super) fn watch(&self, archive: &Archive, ended: oneshot::Receiver<()>) {
        let config = self.archive_config();
        let watchdog = Watchdog {
            engine: Arc::downgrade(&self.inner),
            archive: archive.id,
            idle_stop: config.idle_stop,
            max_duration: config.max_duration,
        };
        let members = self.connections().observe(&archive.session_id);
        let empty = self.connections().count(&archive.session_id) == 0;
        tokio::spawn(watchdog.run(members, empty, ended));
    }
}

struct Watchdog {
    engine: Weak<Inner>,
    archive: Uuid,
    idle_stop: Duration,
    max_duration: Duration,
}

impl Watchdog {
    async fn run(
        self,
        mut members: tokio::sync::mpsc::UnboundedReceiver<Membership>,
        empty_at_start: bool,
        mut ended: oneshot::Receiver<()>,
    ) {
        let cap = sleep(self.max_duration);
        let idle = sleep(self.idle_stop);
        tokio::pin!(cap, idle);
        let mut present = HashSet::new();
        let mut idle_armed = empty_at_start;
        let reason = loop {
            tokio::select! {
                _ = &mut ended => return,
                () = &mut cap => break MAXIMUM_DURATION,
                () = &mut idle, if idle_armed => break SESSION_ENDED,
                change = members.recv() => match change {
                    Some(Membership::Joined(info)) => {
                        present.insert(info.id);
                        idle_armed = false;
                    }
                    Some(Membership::Left(id)) => {
                        present.remove(&id);
                        if present.is_empty() && !idle_armed {
                            idle.as_mut().reset(Instant::now() + self.idle_stop);
                            idle_armed = true;
                        }
                    }
                    // The engine's registry is gone, and the engine with it.
                    None => return,
                },
            }
        };
        let Some(inner) = self.engine.upgrade() else {
            return;
        };
        let engine = Engine { inner };
        match engine.stop_for(self.archive, reason).await {
            Ok(_) | Err(EngineError::NotRecording(_) | EngineError::ArchiveNotFound(_)) => {}
            Err(err) => {
                tracing::error!(error = %err, archive = %self.archive, reason, "automatic stop failed");
            }
        }
    }
}
