//! Archives in SQLite. The queried fields (session, status, creation time,
//! tag) are columns; the archive object itself is kept as JSON in `body`.
//! A partial unique index allows one recording archive per session and tag,
//! so concurrent starts cannot both succeed.

use async_trait::async_trait;
use uuid::Uuid;

use super::{unique_violation_as_conflict, SqliteStore};
use crate::opentok::model::{Archive, ArchiveQuery, ArchiveStatus};
use crate::opentok::session_id::SessionId;
use crate::store::{ArchivePage, ArchiveRecord, ArchiveStore, StoreError};

const COLUMNS: &str = "body, multi_archive_tag, layout";

type ArchiveRow = (String, Option<String>, Option<String>);

#[async_trait]
impl ArchiveStore for SqliteStore {
    async fn insert_archive(&self, record: &ArchiveRecord) -> Result<(), StoreError> {
        let archive = &record.archive;
        sqlx::query(
            "INSERT INTO archives (id, session_id, status, created_at, multi_archive_tag, layout, body) \
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(archive.id.to_string())
        .bind(archive.session_id.as_str())
        .bind(archive.status.as_str())
        .bind(i64::try_from(archive.created_at).unwrap_or(i64::MAX))
        .bind(archive.multi_archive_tag.as_deref())
        .bind(layout_json(record)?)
        .bind(archive_json(archive)?)
        .execute(&self.pool)
        .await
        .map_err(unique_violation_as_conflict)?;
        Ok(())
    }

    async fn update_archive(
        &self,
        record: &ArchiveRecord,
        expected: ArchiveStatus,
    ) -> Result<bool, StoreError> {
        let archive = &record.archive;
        let result = sqlx::query(
            "UPDATE archives SET status = ?, multi_archive_tag = ?, layout = ?, body = ? \
             WHERE id = ? AND status = ?",
        )
        .bind(archive.status.as_str())
        .bind(archive.multi_archive_tag.as_deref())
        .bind(layout_json(record)?)
        .bind(archive_json(archive)?)
        .bind(archive.id.to_string())
        .bind(expected.as_str())
        .execute(&self.pool)
        .await
        .map_err(unique_violation_as_conflict)?;
        Ok(result.rows_affected() == 1)
    }

    async fn archive(&self, id: Uuid) -> Result<Option<ArchiveRecord>, StoreError> {
        let row: Option<ArchiveRow> =
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM archives WHERE id = ?"))
                .bind(id.to_string())
                .fetch_optional(&self.pool)
                .await?;
        row.map(archive_from_row).transpose()
    }

    async fn list_archives(&self, query: &ArchiveQuery) -> Result<ArchivePage, StoreError> {
        let session = query.session_id.as_ref().map(SessionId::as_str);
        // One read transaction, so the total and the page agree.
        let mut tx = self.pool.begin().await?;
        let (total,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM archives WHERE (?1 IS NULL OR session_id = ?1)")
                .bind(session)
                .fetch_one(&mut *tx)
                .await?;
        let rows: Vec<ArchiveRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM archives WHERE (?1 IS NULL OR session_id = ?1) \
             ORDER BY created_at DESC, rowid DESC LIMIT ?2 OFFSET ?3"
        ))
        .bind(session)
        .bind(i64::from(query.count))
        .bind(i64::from(query.offset))
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        let items = rows
            .into_iter()
            .map(archive_from_row)
            .collect::<Result<_, _>>()?;
        Ok(ArchivePage {
            total: u64::try_from(total).unwrap_or(0),
            items,
        })
    }

    async fn recording_archives(
        &self,
        session_id: &SessionId,
    ) -> Result<Vec<ArchiveRecord>, StoreError> {
        let rows: Vec<ArchiveRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM archives \
             WHERE session_id = ? AND status IN ('started', 'paused') ORDER BY created_at, rowid"
        ))
        .bind(session_id.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(archive_from_row).collect()
    }

    async fn delete_archive(&self, id: Uuid) -> Result<bool, StoreError> {
        let result = sqlx::query("DELETE FROM archives WHERE id = ?")
            .bind(id.to_string())
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected() == 1)
    }
}

fn archive_from_row((body, tag, layout): ArchiveRow) -> Result<ArchiveRecord, StoreError> {
    let mut archive: Archive = serde_json::from_str(&body)
        .map_err(|e| StoreError::Corrupt(format!("archive body: {e}")))?;
    archive.multi_archive_tag = tag;
    let layout = layout
        .map(|json| serde_json::from_str(&json))
        .transpose()
        .map_err(|e| StoreError::Corrupt(format!("archive {} layout: {e}", archive.id)))?;
    Ok(ArchiveRecord { archive, layout })
}

fn archive_json(archive: &Archive) -> Result<String, StoreError> {
    serde_json::to_string(archive).map_err(|e| StoreError::Corrupt(format!("archive body: {e}")))
}

fn layout_json(record: &ArchiveRecord) -> Result<Option<String>, StoreError> {
    record
        .layout
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| StoreError::Corrupt(format!("archive layout: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opentok::model::{
        ArchiveLayout, ArchiveOptions, LayoutType, MediaMode, ProjectId, SessionOptions,
    };
    use crate::store::{SessionRecord, SessionStore};

    async fn store_with_session() -> (SqliteStore, SessionId) {
        let store = SqliteStore::in_memory().await.unwrap();
        let routed = SessionOptions {
            media_mode: MediaMode::Routed,
            ..SessionOptions::default()
        };
        let record = SessionRecord::new("123456", routed);
        store.insert_session(&record).await.unwrap();
        (store, record.id)
    }

    fn started(session_id: &SessionId, tag: Option<&str>) -> ArchiveRecord {
        let mut options = ArchiveOptions::new(session_id.clone());
        options.multi_archive_tag = tag.map(str::to_owned);
        ArchiveRecord {
            archive: Archive::started(&options, ProjectId::new("123456"), 1_700_000_000_000),
            layout: Some(ArchiveLayout::new(LayoutType::Pip)),
        }
    }

    #[tokio::test]
    async fn archives_round_trip_with_tag_and_layout() {
        let (store, session) = store_with_session().await;
        let record = started(&session, Some("tag-1"));
        store.insert_archive(&record).await.unwrap();
        assert_eq!(
            store.archive(record.archive.id).await.unwrap(),
            Some(record.clone())
        );
        assert_eq!(
            store.recording_archives(&session).await.unwrap(),
            vec![record.clone()]
        );
        assert!(store.delete_archive(record.archive.id).await.unwrap());
        assert!(!store.delete_archive(record.archive.id).await.unwrap());
        assert_eq!(store.archive(record.archive.id).await.unwrap(), None);
    }

    #[tokio::test]
    async fn one_recording_archive_per_session_and_tag() {
        let (store, session) = store_with_session().await;
        let first = started(&session, None);
        store.insert_archive(&first).await.unwrap();
        let err = store
            .insert_archive(&started(&session, None))
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err}");
        store
            .insert_archive(&started(&session, Some("a")))
            .await
            .unwrap();
        assert!(store
            .insert_archive(&started(&session, Some("a")))
            .await
            .is_err());
        // Once stopped, the untagged slot is free again.
        let mut stopped = first.clone();
        stopped.archive.status = ArchiveStatus::Stopped;
        assert!(store
            .update_archive(&stopped, ArchiveStatus::Started)
            .await
            .unwrap());
        store
            .insert_archive(&started(&session, None))
            .await
            .unwrap();
        assert_eq!(store.recording_archives(&session).await.unwrap().len(), 2);
    }

    #[tokio::test]
    async fn updates_are_compare_and_set_on_the_status() {
        let (store, session) = store_with_session().await;
        let record = started(&session, None);
        store.insert_archive(&record).await.unwrap();
        let mut stopped = record.clone();
        stopped.archive.status = ArchiveStatus::Stopped;
        assert!(store
            .update_archive(&stopped, ArchiveStatus::Started)
            .await
            .unwrap());
        assert!(
            !store
                .update_archive(&stopped, ArchiveStatus::Started)
                .await
                .unwrap(),
            "second stop"
        );
        let mut unknown = stopped.clone();
        unknown.archive.id = Uuid::new_v4();
        assert!(!store
            .update_archive(&unknown, ArchiveStatus::Stopped)
            .await
            .unwrap());
        assert_eq!(
            store
                .archive(record.archive.id)
                .await
                .unwrap()
                .unwrap()
                .archive
                .status,
            ArchiveStatus::Stopped
        );
    }

    #[tokio::test]
    async fn archives_need_an_existing_session() {
        let store = SqliteStore::in_memory().await.unwrap();
        let orphan = SessionId::generate("123456", None, MediaMode::Routed);
        assert!(store.insert_archive(&started(&orphan, None)).await.is_err());
    }

    #[tokio::test]
    async fn a_corrupt_body_is_reported() {
        let (store, session) = store_with_session().await;
        let record = started(&session, None);
        store.insert_archive(&record).await.unwrap();
        sqlx::query("UPDATE archives SET body = '{}'")
            .execute(&store.pool)
            .await
            .unwrap();
        let err = store.archive(record.archive.id).await.unwrap_err();
        assert!(matches!(err, StoreError::Corrupt(_)), "{err}");
    }
}
