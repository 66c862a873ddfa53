//! The SQLite store through its traits, on a real file: the room map
//! survives closing and reopening the store, concurrent first claims of a
//! room agree on one session, and archive lists page, filter and order.

use std::sync::Arc;

use server::opentok::model::{
    Archive, ArchiveOptions, ArchiveQuery, MediaMode, ProjectId, SessionOptions,
};
use server::opentok::session_id::SessionId;
use server::store::sqlite::SqliteStore;
use server::store::{ArchiveRecord, ArchiveStore, RoomStore, SessionRecord, SessionStore, Store};
use uuid::Uuid;

fn session_id() -> SessionId {
    SessionId::generate("123456", None, MediaMode::Routed)
}

async fn add_session(store: &dyn Store) -> SessionId {
    let routed = SessionOptions {
        media_mode: MediaMode::Routed,
        ..SessionOptions::default()
    };
    let record = SessionRecord::new("123456", routed);
    store.insert_session(&record).await.unwrap();
    record.id
}

fn archive(session: &SessionId, created_at: u64, tag: &str) -> ArchiveRecord {
    let mut options = ArchiveOptions::new(session.clone());
    options.name = Some(format!("at {created_at}"));
    options.multi_archive_tag = Some(tag.to_owned());
    ArchiveRecord {
        archive: Archive::started(&options, ProjectId::new("123456"), created_at),
        layout: None,
    }
}

#[tokio::test]
async fn the_room_map_and_sessions_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).await.unwrap();
    let room_session = session_id();
    assert_eq!(
        store.claim_room("standup", &room_session).await.unwrap(),
        room_session
    );
    let engine_session = add_session(&store).await;
    store.close().await;

    let reopened = SqliteStore::open(dir.path()).await.unwrap();
    assert_eq!(
        reopened.room_session("standup").await.unwrap(),
        Some(room_session.clone())
    );
    assert_eq!(
        reopened
            .room_for_session(&room_session)
            .await
            .unwrap()
            .as_deref(),
        Some("standup")
    );
    assert!(reopened.session(&engine_session).await.unwrap().is_some());
    // A later claim with another session still gets the original.
    assert_eq!(
        reopened.claim_room("standup", &session_id()).await.unwrap(),
        room_session
    );
}

#[tokio::test]
async fn concurrent_first_claims_end_with_one_session() {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(dir.path()).await.unwrap());
    for round in 0..5 {
        let room = format!("rush-{round}");
        let claims = (0..8).map(|_| {
            let (store, room) = (store.clone(), room.clone());
            tokio::spawn(async move { store.claim_room(&room, &session_id()).await.unwrap() })
        });
        let winners: Vec<SessionId> = futures::future::join_all(claims)
            .await
            .into_iter()
            .map(|r| r.unwrap())
            .collect();
        assert!(
            winners.iter().all(|w| w == &winners[0]),
            "round {round}: {winners:?}"
        );
        assert_eq!(
            store.room_session(&room).await.unwrap().as_ref(),
            Some(&winners[0])
        );
    }
}

#[tokio::test]
async fn archive_lists_page_filter_and_order_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).await.unwrap();
    let (a, b) = (add_session(&store).await, add_session(&store).await);
    // Inserted out of order; two share a timestamp (insertion order breaks the tie).
    let records = [
        archive(&a, 3_000, "1"),
        archive(&b, 1_000, "2"),
        archive(&a, 2_000, "3"),
        archive(&a, 3_000, "4"),
        archive(&b, 4_000, "5"),
    ];
    for record in &records {
        store.insert_archive(record).await.unwrap();
    }
    let ids = |page: &server::store::ArchivePage| -> Vec<Uuid> {
        page.items.iter().map(|r| r.archive.id).collect()
    };
    let id = |i: usize| records[i].archive.id;

    let all = store.list_archives(&ArchiveQuery::default()).await.unwrap();
    assert_eq!(all.total, 5);
    assert_eq!(ids(&all), [id(4), id(3), id(0), id(2), id(1)]);

    let page = store
        .list_archives(&ArchiveQuery {
            offset: 1,
            count: 2,
            session_id: None,
        })
        .await
        .unwrap();
    assert_eq!((page.total, ids(&page)), (5, vec![id(3), id(0)]));

    let of_a = ArchiveQuery {
        offset: 0,
        count: 50,
        session_id: Some(a.clone()),
    };
    let page = store.list_archives(&of_a).await.unwrap();
    assert_eq!((page.total, ids(&page)), (3, vec![id(3), id(0), id(2)]));

    let past_end = ArchiveQuery {
        offset: 3,
        count: 50,
        session_id: Some(a.clone()),
    };
    let page = store.list_archives(&past_end).await.unwrap();
    assert_eq!((page.total, page.items.len()), (3, 0));

    assert!(store.delete_archive(id(3)).await.unwrap());
    let page = store.list_archives(&of_a).await.unwrap();
    assert_eq!((page.total, ids(&page)), (2, vec![id(0), id(2)]));
    assert_eq!(store.recording_archives(&b).await.unwrap().len(), 2);
}
