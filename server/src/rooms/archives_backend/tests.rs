//! Tests of the archives backend over the embedded engine.

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
