//! Engine sessions in SQLite: one row per session, its options as columns.

use std::net::Ipv4Addr;

use async_trait::async_trait;

use super::{from_ms, parse_session_id, to_ms, unique_violation_as_conflict, SqliteStore};
use crate::opentok::model::{ArchiveMode, MediaMode, Resolution, SessionOptions};
use crate::opentok::session_id::SessionId;
use crate::store::{SessionRecord, SessionStore, StoreError};

type SessionRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    bool,
    Option<String>,
    Option<String>,
    i64,
);

#[async_trait]
impl SessionStore for SqliteStore {
    async fn insert_session(&self, session: &SessionRecord) -> Result<(), StoreError> {
        let options = &session.options;
        sqlx::query(
            "INSERT INTO sessions (id, owner, media_mode, archive_mode, location, e2ee, \
             archive_name, archive_resolution, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(session.id.as_str())
        .bind(&session.owner)
        .bind(media_mode_text(options.media_mode))
        .bind(options.archive_mode.as_str())
        .bind(options.location.map(|ip| ip.to_string()))
        .bind(options.e2ee)
        .bind(options.archive_name.as_deref())
        .bind(options.archive_resolution.map(Resolution::as_str))
        .bind(to_ms(session.created_at))
        .execute(&self.pool)
        .await
        .map_err(unique_violation_as_conflict)?;
        Ok(())
    }

    async fn session(&self, id: &SessionId) -> Result<Option<SessionRecord>, StoreError> {
        let row: Option<SessionRow> = sqlx::query_as(
            "SELECT id, owner, media_mode, archive_mode, location, e2ee, archive_name, \
             archive_resolution, created_at FROM sessions WHERE id = ?",
        )
        .bind(id.as_str())
        .fetch_optional(&self.pool)
        .await?;
        row.map(session_from_row).transpose()
    }
}

fn media_mode_text(mode: MediaMode) -> &'static str {
    match mode {
        MediaMode::Relayed => "relayed",
        MediaMode::Routed => "routed",
    }
}

fn session_from_row(row: SessionRow) -> Result<SessionRecord, StoreError> {
    let (id, owner, media_mode, archive_mode, location, e2ee, archive_name, resolution, created) =
        row;
    let corrupt =
        |what: &str, value: &str| StoreError::Corrupt(format!("session {id}: {what} {value:?}"));
    let media_mode = match media_mode.as_str() {
        "relayed" => MediaMode::Relayed,
        "routed" => MediaMode::Routed,
        other => return Err(corrupt("media mode", other)),
    };
    let archive_mode = match archive_mode.as_str() {
        "manual" => ArchiveMode::Manual,
        "always" => ArchiveMode::Always,
        other => return Err(corrupt("archive mode", other)),
    };
    let location = match location {
        Some(text) => Some(
            text.parse::<Ipv4Addr>()
                .map_err(|_| corrupt("location", &text))?,
        ),
        None => None,
    };
    let archive_resolution = match resolution {
        Some(text) => Some(Resolution::parse(&text).ok_or_else(|| corrupt("resolution", &text))?),
        None => None,
    };
    let created_at = from_ms(created).ok_or_else(|| corrupt("created_at", &created.to_string()))?;
    let options = SessionOptions {
        media_mode,
        archive_mode,
        location,
        e2ee,
        archive_name,
        archive_resolution,
    };
    Ok(SessionRecord {
        id: parse_session_id(&id)?,
        owner,
        options,
        created_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(options: SessionOptions) -> SessionRecord {
        SessionRecord {
            id: SessionId::generate("123456", options.location, options.media_mode),
            owner: "123456".into(),
            options,
            created_at: from_ms(1_700_000_000_123).unwrap(),
        }
    }

    #[tokio::test]
    async fn sessions_round_trip_with_all_their_options() {
        let store = SqliteStore::in_memory().await.unwrap();
        let plain = record(SessionOptions::default());
        let full = record(SessionOptions {
            media_mode: MediaMode::Routed,
            archive_mode: ArchiveMode::Always,
            location: Some(Ipv4Addr::new(12, 34, 56, 78)),
            e2ee: false,
            archive_name: Some("auto".into()),
            archive_resolution: Some(Resolution::HdPortrait),
        });
        for session in [&plain, &full] {
            store.insert_session(session).await.unwrap();
            assert_eq!(
                store.session(&session.id).await.unwrap().as_ref(),
                Some(session)
            );
        }
        let unknown = SessionId::generate("123456", None, MediaMode::Routed);
        assert_eq!(store.session(&unknown).await.unwrap(), None);
    }

    #[tokio::test]
    async fn inserting_a_session_twice_is_a_conflict() {
        let store = SqliteStore::in_memory().await.unwrap();
        let session = record(SessionOptions::default());
        store.insert_session(&session).await.unwrap();
        let err = store.insert_session(&session).await.unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    }

    #[tokio::test]
    async fn a_corrupt_row_is_reported() {
        let store = SqliteStore::in_memory().await.unwrap();
        let session = record(SessionOptions::default());
        store.insert_session(&session).await.unwrap();
        sqlx::query("UPDATE sessions SET location = 'somewhere'")
            .execute(&store.pool)
            .await
            .unwrap();
        let err = store.session(&session.id).await.unwrap_err();
        assert!(err.to_string().contains("location"), "{err}");
    }
}
