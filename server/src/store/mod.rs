//! Persistence behind traits. The rest of the server holds an
//! `Arc<dyn Store>` and speaks in domain terms — rooms, engine sessions,
//! archives — so another backend (Redis, later) only has to implement these
//! traits; [`sqlite::SqliteStore`] is the default one.
//!
//! Every trait method is one atomic operation: callers never need a
//! transaction spanning calls, and the uniqueness rules (one session per room,
//! one recording archive per session and tag) are enforced by the backend.

pub mod accounts;
pub mod help;
pub mod sqlite;

use std::path::PathBuf;

use async_trait::async_trait;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::opentok::model::{Archive, ArchiveLayout, ArchiveQuery, ArchiveStatus, SessionOptions};
use crate::opentok::session_id::SessionId;

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The data directory could not be created.
    #[error("cannot create data directory {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The database refused or failed the operation.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// The schema could not be brought up to date.
    #[error("database migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// A uniqueness rule was violated (e.g. a second recording archive with the same tag).
    #[error("conflict: {0}")]
    Conflict(String),
    /// A stored row no longer parses as the domain type it was written from.
    #[error("corrupt stored record: {0}")]
    Corrupt(String),
}

/// A session created on the embedded engine, as persisted.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionRecord {
    /// The session id handed to clients.
    pub id: SessionId,
    /// The project (API key) that created it.
    pub owner: String,
    /// The options it was created with (media mode, archive mode, location, e2ee, ...).
    pub options: SessionOptions,
    /// When it was created (UTC, millisecond precision once stored).
    pub created_at: OffsetDateTime,
}

impl SessionRecord {
    /// A new session of project `owner` with `options`, created now: its id
    /// is generated for the owner, location and media mode.
    pub fn new(owner: &str, options: SessionOptions) -> Self {
        SessionRecord {
            id: SessionId::generate(owner, options.location, options.media_mode),
            owner: owner.to_owned(),
            options,
            created_at: OffsetDateTime::now_utc(),
        }
    }
}

/// An archive with the engine-side details the wire object does not carry.
#[derive(Debug, Clone, PartialEq)]
pub struct ArchiveRecord {
    /// The archive as the REST API shows it (including its `multi_archive_tag`).
    pub archive: Archive,
    /// The composed layout last requested (at start or through the layout endpoint).
    pub layout: Option<ArchiveLayout>,
}

/// One page of archives and the number of archives matching the query.
#[derive(Debug, Clone, PartialEq)]
pub struct ArchivePage {
    /// How many archives match the filter in total (not the page length).
    pub total: u64,
    /// The requested page, newest first.
    pub items: Vec<ArchiveRecord>,
}

/// Room names mapped to sessions (seed 001's `/room/{name}`).
#[async_trait]
pub trait RoomStore: Send + Sync {
    /// The session a room is mapped to, if any.
    async fn room_session(&self, name: &str) -> Result<Option<SessionId>, StoreError>;

    /// Maps `name` to `session_id` unless it is already mapped, atomically,
    /// and returns the mapping that holds afterwards: of two concurrent first
    /// claims, both get the winner's session.
    async fn claim_room(&self, name: &str, session_id: &SessionId)
        -> Result<SessionId, StoreError>;

    /// The room mapped to `session_id` (the first one claimed, should there be several).
    async fn room_for_session(&self, session_id: &SessionId) -> Result<Option<String>, StoreError>;
}

/// Sessions of the embedded engine.
#[async_trait]
pub trait SessionStore: Send + Sync {
    /// Persists a new session (ids are unique; inserting one twice is a conflict).
    async fn insert_session(&self, session: &SessionRecord) -> Result<(), StoreError>;

    /// The session with this id, if the engine created it.
    async fn session(&self, id: &SessionId) -> Result<Option<SessionRecord>, StoreError>;
}

/// Archives of engine sessions.
#[async_trait]
pub trait ArchiveStore: Send + Sync {
    /// Persists a new archive. Fails with [`StoreError::Conflict`] when the
    /// archive is recording (`started`/`paused`) and its session already has a
    /// recording archive with the same `multi_archive_tag` (no tag counts as a tag).
    async fn insert_archive(&self, record: &ArchiveRecord) -> Result<(), StoreError>;

    /// Replaces the archive `record.archive.id` if its stored status is still
    /// `expected` (compare-and-set); `false` when it is missing or has moved on.
    async fn update_archive(
        &self,
        record: &ArchiveRecord,
        expected: ArchiveStatus,
    ) -> Result<bool, StoreError>;

    /// The archive with this id, if it exists (deleted archives do not).
    async fn archive(&self, id: Uuid) -> Result<Option<ArchiveRecord>, StoreError>;

    /// A page of archives, newest first, optionally of one session.
    async fn list_archives(&self, query: &ArchiveQuery) -> Result<ArchivePage, StoreError>;

    /// The archives of `session_id` that are recording (`started` or `paused`).
    async fn recording_archives(
        &self,
        session_id: &SessionId,
    ) -> Result<Vec<ArchiveRecord>, StoreError>;

    /// Removes an archive; `false` when there was none.
    async fn delete_archive(&self, id: Uuid) -> Result<bool, StoreError>;
}

/// Everything the server persists; used as `Arc<dyn Store>`.
pub trait Store: RoomStore + SessionStore + ArchiveStore {}

impl<T: RoomStore + SessionStore + ArchiveStore> Store for T {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opentok::model::MediaMode;

    #[test]
    fn new_session_records_get_an_id_of_their_owner() {
        let options = SessionOptions {
            media_mode: MediaMode::Routed,
            ..SessionOptions::default()
        };
        let record = SessionRecord::new("123456", options.clone());
        assert!(record.id.belongs_to("123456"), "{}", record.id);
        assert_eq!(
            (record.owner.as_str(), &record.options),
            ("123456", &options)
        );
        assert_ne!(record.id, SessionRecord::new("123456", options).id);
    }
}
