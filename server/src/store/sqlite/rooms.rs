//! The room → session map in SQLite. `claim_room` is a single
//! `INSERT … ON CONFLICT … RETURNING` statement, so concurrent first claims
//! of one room all come back with the same session.

use async_trait::async_trait;

use super::{now_ms, parse_session_id, SqliteStore};
use crate::opentok::session_id::SessionId;
use crate::store::{RoomStore, StoreError};

#[async_trait]
impl RoomStore for SqliteStore {
    async fn room_session(&self, name: &str) -> Result<Option<SessionId>, StoreError> {
        let row: Option<(String,)> = sqlx::query_as("SELECT session_id FROM rooms WHERE name = ?")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|(id,)| parse_session_id(&id)).transpose()
    }

    async fn claim_room(
        &self,
        name: &str,
        session_id: &SessionId,
    ) -> Result<SessionId, StoreError> {
        // Insert, or on conflict change nothing and return the row already
        // there. SQLite serialises writers, so there is exactly one winner.
        let (id,): (String,) = sqlx::query_as(
            "INSERT INTO rooms (name, session_id, created_at) VALUES (?, ?, ?) \
             ON CONFLICT (name) DO UPDATE SET name = excluded.name \
             RETURNING session_id",
        )
        .bind(name)
        .bind(session_id.as_str())
        .bind(now_ms())
        .fetch_one(&self.pool)
        .await?;
        parse_session_id(&id)
    }

    async fn room_for_session(&self, session_id: &SessionId) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> = sqlx::query_as(
            "SELECT name FROM rooms WHERE session_id = ? ORDER BY created_at, rowid LIMIT 1",
        )
        .bind(session_id.as_str())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(name,)| name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opentok::model::MediaMode;

    #[tokio::test]
    async fn first_claim_wins_and_lookups_go_both_ways() {
        let store = SqliteStore::in_memory().await.unwrap();
        let first = SessionId::generate("123456", None, MediaMode::Routed);
        let second = SessionId::generate("123456", None, MediaMode::Routed);
        assert_eq!(store.room_session("lobby").await.unwrap(), None);
        assert_eq!(store.claim_room("lobby", &first).await.unwrap(), first);
        assert_eq!(store.claim_room("lobby", &second).await.unwrap(), first);
        assert_eq!(
            store.room_session("lobby").await.unwrap(),
            Some(first.clone())
        );
        assert_eq!(
            store.room_for_session(&first).await.unwrap().as_deref(),
            Some("lobby")
        );
        assert_eq!(store.room_for_session(&second).await.unwrap(), None);
    }

    #[tokio::test]
    async fn a_corrupt_mapping_is_reported_not_passed_on() {
        let store = SqliteStore::in_memory().await.unwrap();
        sqlx::query(
            "INSERT INTO rooms (name, session_id, created_at) VALUES ('bad', 'SESSIONID', 0)",
        )
        .execute(&store.pool)
        .await
        .unwrap();
        let err = store.room_session("bad").await.unwrap_err();
        assert!(matches!(err, StoreError::Corrupt(_)), "{err}");
    }
}
