//! The [`ArchivesBackend`] behind the `/archives` page and the rooms page's
//! record button, over the media provider (either one) and the room map.
//! Listing pages through the provider's archive list (newest first, at
//! most [`SCAN_LIMIT`] searched) and filters on this side, since the
//! platform only filters by session. Refusals are turned into sentences
//! for people (the platform's own words only where ours could not say why).

use std::collections::HashSet;
use std::sync::Arc;

use app::archives::backend::{ArchivesBackend, ArchivesError};
use app::archives::{
    ArchiveFilter, ArchiveListing, ArchiveState, ArchiveSummary, OutputKind, SCAN_LIMIT, SHOW_LIMIT,
};
use app::models::RoomName;
use async_trait::async_trait;
use uuid::Uuid;

use crate::opentok::model::{Archive, ArchiveOptions, ArchiveQuery, ArchiveStatus, OutputMode};
use crate::opentok::session_id::SessionId;
use crate::provider::{MediaProvider, ProviderError};
use crate::store::{Store, StoreError};

/// The largest page the platform lists at once.
const PAGE: u64 = 1_000;

/// Archives for the pages, over the media provider.
#[derive(Clone)]
pub struct RoomArchives {
    provider: Arc<dyn MediaProvider>,
    store: Arc<dyn Store>,
}

impl RoomArchives {
    /// Archives of `provider`; rooms are looked up in `store`.
    pub fn new(provider: Arc<dyn MediaProvider>, store: Arc<dyn Store>) -> Self {
        RoomArchives { provider, store }
    }

    async fn room_session(&self, room: &RoomName) -> Result<SessionId, ArchivesError> {
        self.store
            .room_session(room.as_str())
            .await
            .map_err(store_failed)?
            .ok_or_else(|| {
                ArchivesError::NotFound(format!(
                    "The room “{}” has no call yet: join it first.",
                    room.as_str()
                ))
            })
    }

    async fn archive(&self, id: Uuid) -> Result<Archive, ArchivesError> {
        self.provider
            .get_archive(id)
            .await
            .map_err(|err| match err {
                ProviderError::NotFound(_) => gone(),
                other => unavailable(other),
            })
    }
}

#[async_trait]
impl ArchivesBackend for RoomArchives {
    async fn list(&self, filter: &ArchiveFilter) -> Result<ArchiveListing, ArchivesError> {
        let session_id = match filter.session.as_deref() {
            Some(raw) => Some(
                SessionId::parse(raw)
                    .map_err(|_| ArchivesError::Invalid(format!("“{raw}” is not a session id.")))?,
            ),
            None => None,
        };
        let (mut scanned, mut total) = (0u64, 0u64);
        let mut seen = HashSet::new();
        let mut matching = Vec::new();
        while scanned < SCAN_LIMIT {
            let query = ArchiveQuery {
                offset: u32::try_from(scanned).unwrap_or(u32::MAX),
                count: u32::try_from(PAGE.min(SCAN_LIMIT - scanned)).unwrap_or(1_000),
                session_id: session_id.clone(),
            };
            let page = self
                .provider
                .list_archives(&query)
                .await
                .map_err(|err| match err {
                    ProviderError::Invalid(message) => ArchivesError::Invalid(message),
                    other => unavailable(other),
                })?;
            total = page.count;
            let got = page.items.len() as u64;
            scanned += got;
            for archive in &page.items {
                // A page may repeat one that moved down as new ones came in.
                let summary = summary(archive);
                if seen.insert(summary.id) && filter.matches(&summary) {
                    matching.push(summary);
                }
            }
            if got == 0 || scanned >= total {
                break;
            }
        }
        matching.sort_by_key(|archive| std::cmp::Reverse(archive.created_at_ms));
        let matched = matching.len() as u64;
        matching.truncate(SHOW_LIMIT);
        Ok(ArchiveListing {
            items: matching,
            matched,
            scanned,
            total: total.max(scanned),
        })
    }

    async fn delete(&self, id: Uuid) -> Result<(), ArchivesError> {
        let archive = self.archive(id).await?;
        if let Some(why) = summary(&archive).state.delete_blocker() {
            return Err(ArchivesError::Conflict(format!(
                "This recording cannot be deleted yet. {why}"
            )));
        }
        self.provider
            .delete_archive(id)
            .await
            .map_err(|err| match err {
                ProviderError::NotFound(_) => gone(),
                ProviderError::Conflict(message) => {
                    ArchivesError::Conflict(format!("This recording cannot be deleted: {message}."))
                }
                other => unavailable(other),
            })
    }

    async fn start_room_recording(&self, room: &RoomName) -> Result<ArchiveSummary, ArchivesError> {
        let session_id = self.room_session(room).await?;
        let mut options = ArchiveOptions::new(session_id);
        options.name = Some(room.as_str().to_owned());
        match self.provider.start_archive(&options).await {
            Ok(archive) => Ok(summary(&archive)),
            // Rooms are routed sessions: a conflict is a running recording.
            Err(ProviderError::Conflict(_)) => Err(ArchivesError::Conflict(
                "This room is already being recorded.".into(),
            )),
            Err(ProviderError::Invalid(_)) => Err(ArchivesError::Invalid(
                "There is nothing to record yet: nobody is connected to this room's call.".into(),
            )),
            Err(other) => Err(unavailable(other)),
        }
    }

    async fn stop_room_recording(
        &self,
        room: &RoomName,
        id: Uuid,
    ) -> Result<ArchiveSummary, ArchivesError> {
        let session_id = self.room_session(room).await?;
        if self.archive(id).await?.session_id != session_id {
            return Err(ArchivesError::Forbidden(
                "That recording is not of this room.".into(),
            ));
        }
        match self.provider.stop_archive(id).await {
            Ok(archive) => Ok(summary(&archive)),
            Err(ProviderError::Conflict(_)) => Err(ArchivesError::Conflict(
                "This recording has already stopped.".into(),
            )),
            Err(ProviderError::NotFound(_)) => Err(gone()),
            Err(other) => Err(unavailable(other)),
        }
    }
}

/// What the pages show of `archive`.
pub fn summary(archive: &Archive) -> ArchiveSummary {
    let state = match archive.status {
        ArchiveStatus::Started => ArchiveState::Started,
        ArchiveStatus::Paused => ArchiveState::Paused,
        ArchiveStatus::Stopped => ArchiveState::Stopped,
        ArchiveStatus::Uploaded => ArchiveState::Uploaded,
        ArchiveStatus::Available => ArchiveState::Available,
        ArchiveStatus::Expired => ArchiveState::Expired,
        ArchiveStatus::Failed => ArchiveState::Failed,
        ArchiveStatus::Deleted => ArchiveState::Deleted,
    };
    let output = match archive.output_mode {
        OutputMode::Composed => OutputKind::Composed,
        OutputMode::Individual => OutputKind::Individual,
    };
    ArchiveSummary {
        id: archive.id,
        name: archive.name.clone(),
        session_id: archive.session_id.to_string(),
        state,
        output,
        duration_secs: archive.duration,
        size_bytes: archive.size,
        created_at_ms: i64::try_from(archive.created_at).unwrap_or(i64::MAX),
        url: archive.url.clone(),
        reason: archive.reason.clone(),
    }
}

fn gone() -> ArchivesError {
    ArchivesError::NotFound("That recording no longer exists.".into())
}

fn unavailable(err: ProviderError) -> ArchivesError {
    ArchivesError::Unavailable(err.to_string())
}

fn store_failed(err: StoreError) -> ArchivesError {
    tracing::error!(error = %err, "store failure in the archives backend");
    ArchivesError::Unavailable("storage failure".into())
}

#[cfg(test)]
mod tests;
