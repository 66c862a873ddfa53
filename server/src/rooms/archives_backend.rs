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
mod tests {
    use super::*;
    use crate::engine::{Engine, Registration};
    use crate::opentok::credentials::{ApiKey, ApiSecret, Credentials};
    use crate::opentok::model::{MediaMode, SessionOptions};
    use crate::provider::local::LocalProvider;
    use crate::store::sqlite::SqliteStore;
    use app::archives::RawFilter;

    struct Fixture {
        archives: RoomArchives,
        engine: Engine,
        store: Arc<dyn Store>,
    }

    async fn fixture() -> Fixture {
        let store: Arc<dyn Store> = Arc::new(SqliteStore::in_memory().await.unwrap());
        let credentials = Credentials::Project {
            api_key: ApiKey::parse("123456").unwrap(),
            api_secret: ApiSecret::generate(),
        };
        let engine = Engine::new(credentials, store.clone());
        let provider = Arc::new(LocalProvider::new(engine.clone()));
        Fixture {
            archives: RoomArchives::new(provider, store.clone()),
            engine,
            store,
        }
    }

    fn room(name: &str) -> RoomName {
        RoomName::parse(name).unwrap()
    }

    impl Fixture {
        /// A routed room nobody is in.
        async fn empty_room(&self, name: &str) -> SessionId {
            let options = SessionOptions {
                media_mode: MediaMode::Routed,
                ..SessionOptions::default()
            };
            let created = self.engine.create_session(options).await.unwrap();
            self.store.claim_room(name, &created).await.unwrap()
        }

        /// A routed room with someone in its call.
        async fn busy_room(&self, name: &str) -> (SessionId, Registration) {
            let session = self.empty_room(name).await;
            let someone = self.engine.connections().register(&session, None);
            (session, someone)
        }

        async fn list(&self, pairs: &[(&str, &str)]) -> ArchiveListing {
            let raw = RawFilter::from_lookup(|key| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, v)| v.to_string())
            });
            let filter = ArchiveFilter::parse(&raw).unwrap();
            self.archives.list(&filter).await.unwrap()
        }
    }

    #[tokio::test]
    async fn a_room_records_under_its_name_and_stops() {
        let f = fixture().await;
        let (session, _someone) = f.busy_room("demo").await;
        let started = f
            .archives
            .start_room_recording(&room("demo"))
            .await
            .unwrap();
        assert_eq!(started.name.as_deref(), Some("demo"));
        assert_eq!(started.session_id, session.to_string());
        assert_eq!(started.state, ArchiveState::Started);
        let again = f
            .archives
            .start_room_recording(&room("demo"))
            .await
            .unwrap_err();
        assert_eq!(
            again,
            ArchivesError::Conflict("This room is already being recorded.".into())
        );
        let stopped = f
            .archives
            .stop_room_recording(&room("demo"), started.id)
            .await
            .unwrap();
        assert_eq!(stopped.id, started.id);
        assert_ne!(stopped.state, ArchiveState::Started);
        let twice = f
            .archives
            .stop_room_recording(&room("demo"), started.id)
            .await
            .unwrap_err();
        assert_eq!(
            twice,
            ArchivesError::Conflict("This recording has already stopped.".into())
        );
    }

    #[tokio::test]
    async fn room_refusals_are_said_in_words() {
        let f = fixture().await;
        let missing = f
            .archives
            .start_room_recording(&room("nowhere"))
            .await
            .unwrap_err();
        assert_eq!(
            missing,
            ArchivesError::NotFound("The room “nowhere” has no call yet: join it first.".into())
        );
        f.empty_room("empty").await;
        let nobody = f
            .archives
            .start_room_recording(&room("empty"))
            .await
            .unwrap_err();
        assert_eq!(
            nobody,
            ArchivesError::Invalid(
                "There is nothing to record yet: nobody is connected to this room's call.".into()
            )
        );
        let (_, _a) = f.busy_room("a").await;
        let (_, _b) = f.busy_room("b").await;
        let of_a = f.archives.start_room_recording(&room("a")).await.unwrap();
        let wrong = f
            .archives
            .stop_room_recording(&room("b"), of_a.id)
            .await
            .unwrap_err();
        assert_eq!(
            wrong,
            ArchivesError::Forbidden("That recording is not of this room.".into())
        );
        let unknown = f
            .archives
            .stop_room_recording(&room("a"), Uuid::new_v4())
            .await
            .unwrap_err();
        assert_eq!(unknown, gone());
    }

    #[tokio::test]
    async fn listing_filters_newest_first_and_counts() {
        let f = fixture().await;
        let (session_a, _a) = f.busy_room("alpha").await;
        let (_, _b) = f.busy_room("beta").await;
        let first = f
            .archives
            .start_room_recording(&room("alpha"))
            .await
            .unwrap();
        f.archives
            .stop_room_recording(&room("alpha"), first.id)
            .await
            .unwrap();
        let second = f
            .archives
            .start_room_recording(&room("beta"))
            .await
            .unwrap();
        let all = f.list(&[]).await;
        assert_eq!((all.matched, all.scanned, all.total), (2, 2, 2));
        assert!(all.items[0].created_at_ms >= all.items[1].created_at_ms);
        assert!(all.any_pending(), "beta is still recording");
        let recording = f.list(&[("status", "started")]).await;
        assert_eq!(
            recording.items.iter().map(|a| a.id).collect::<Vec<_>>(),
            [second.id]
        );
        let by_session = f.list(&[("session", session_a.as_str())]).await;
        assert_eq!(
            by_session.items.iter().map(|a| a.id).collect::<Vec<_>>(),
            [first.id]
        );
        assert_eq!(by_session.total, 1, "the platform filtered by session");
        let by_name = f.list(&[("name", "ALP")]).await;
        assert_eq!(by_name.items.len(), 1);
        assert!(f.list(&[("min_size", "1 GB")]).await.items.is_empty());
        let bad = ArchiveFilter {
            session: Some("not-a-session".into()),
            ..ArchiveFilter::default()
        };
        assert!(matches!(
            f.archives.list(&bad).await.unwrap_err(),
            ArchivesError::Invalid(m) if m.contains("not a session id")
        ));
    }

    #[tokio::test]
    async fn only_settled_recordings_can_be_deleted() {
        let f = fixture().await;
        let (_, _someone) = f.busy_room("demo").await;
        let started = f
            .archives
            .start_room_recording(&room("demo"))
            .await
            .unwrap();
        let refused = f.archives.delete(started.id).await.unwrap_err();
        assert_eq!(
            refused,
            ArchivesError::Conflict(
                "This recording cannot be deleted yet. It is still recording: stop it first."
                    .into()
            )
        );
        assert_eq!(f.archives.delete(Uuid::new_v4()).await.unwrap_err(), gone());
    }

    #[test]
    fn summaries_keep_what_the_pages_show() {
        let archive: Archive = serde_json::from_value(serde_json::json!({
            "createdAt": 1395187836000u64, "duration": 62, "id": "f6e7ee58-d6cf-4a59-896b-6d56b158ec71",
            "name": "demo", "partnerId": 123456, "reason": "user initiated",
            "sessionId": "1_MX4xMjM0NTZ-flNhdCBNYXIgMTUgMTQ6NDI6MjMgUERUIDIwMTR-MC40OTAxMzAyNX4",
            "size": 2400000, "status": "available", "hasAudio": true, "hasVideo": true,
            "outputMode": "individual", "url": "/recordings/f6e7ee58-d6cf-4a59-896b-6d56b158ec71/archive.zip"
        }))
        .unwrap();
        let shown = summary(&archive);
        assert_eq!(shown.state, ArchiveState::Available);
        assert_eq!(shown.output, OutputKind::Individual);
        assert_eq!((shown.duration_secs, shown.size_bytes), (62, 2_400_000));
        assert_eq!(shown.created_at_ms, 1_395_187_836_000);
        assert_eq!(shown.download_url(), archive.url.as_deref());
        assert_eq!(shown.playable_url(), None);
        assert_eq!(shown.reason, "user initiated");
    }
}
