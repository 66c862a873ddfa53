//! The SQLite implementation of [`Store`](super::Store): one database file,
//! `rendezvous.db`, in the data directory, opened in WAL mode with
//! `synchronous=NORMAL`, foreign keys on and a busy timeout, and brought up
//! to date by the migrations embedded from `server/migrations/`.
//!
//! Rows are converted to domain types at this edge: a row that no longer
//! parses is reported as [`StoreError::Corrupt`], never passed on half-read.
//! - `rooms`: the room → session map.
//! - `sessions`: engine sessions.
//! - `archives`: archives, with the recording-uniqueness rule in an index.
//! - `accounts`: staff accounts (unique usernames, ids never reused).
//! - `help`: the customer-service queue and its history (`help_sessions`).

mod accounts;
mod archives;
mod help;
mod rooms;
mod sessions;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use time::OffsetDateTime;

use super::StoreError;
use crate::opentok::session_id::SessionId;

/// File name of the database inside the data directory.
pub const DATABASE_FILE: &str = "rendezvous.db";

/// How long a writer waits for another writer before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Connections of a file-backed pool (WAL lets readers run beside the writer).
const MAX_CONNECTIONS: u32 = 8;

/// A [`Store`](super::Store) backed by SQLite. Cheap to clone (a pool handle).
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if needed) `data_dir/rendezvous.db` and migrates it.
    pub async fn open(data_dir: &Path) -> Result<SqliteStore, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|source| StoreError::DataDir {
            path: data_dir.to_owned(),
            source,
        })?;
        let options = SqliteConnectOptions::new()
            .filename(data_dir.join(DATABASE_FILE))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        let pool = SqlitePoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .connect_with(options)
            .await?;
        Self::migrated(pool).await
    }

    /// A private in-memory database (for tests). It lives as long as the
    /// store: the pool keeps its single connection open.
    pub async fn in_memory() -> Result<SqliteStore, StoreError> {
        let options = SqliteConnectOptions::from_str("sqlite::memory:")?.foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await?;
        Self::migrated(pool).await
    }

    async fn migrated(pool: SqlitePool) -> Result<SqliteStore, StoreError> {
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(SqliteStore { pool })
    }

    /// Closes the pool, waiting for connections to finish (e.g. before reopening).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Unique-constraint violations become [`StoreError::Conflict`].
fn unique_violation_as_conflict(err: sqlx::Error) -> StoreError {
    match &err {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            StoreError::Conflict(db.message().to_owned())
        }
        _ => StoreError::Database(err),
    }
}

fn parse_session_id(text: &str) -> Result<SessionId, StoreError> {
    SessionId::parse(text).map_err(|e| StoreError::Corrupt(format!("session id {text:?}: {e}")))
}

fn now_ms() -> i64 {
    to_ms(OffsetDateTime::now_utc())
}

fn to_ms(at: OffsetDateTime) -> i64 {
    (at.unix_timestamp_nanos() / 1_000_000) as i64
}

fn from_ms(ms: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn open_creates_the_directory_and_sets_the_pragmas() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("nested").join("data");
        let store = SqliteStore::open(&dir).await.unwrap();
        assert!(dir.join(DATABASE_FILE).exists());
        let (mode,): (String,) = sqlx::query_as("PRAGMA journal_mode")
            .fetch_one(&store.pool)
            .await
            .unwrap();
        assert_eq!(mode, "wal");
        let (sync,): (i64,) = sqlx::query_as("PRAGMA synchronous")
            .fetch_one(&store.pool)
            .await
            .unwrap();
        assert_eq!(sync, 1, "NORMAL");
        let (fk,): (i64,) = sqlx::query_as("PRAGMA foreign_keys")
            .fetch_one(&store.pool)
            .await
            .unwrap();
        assert_eq!(fk, 1);
        let (busy,): (i64,) = sqlx::query_as("PRAGMA busy_timeout")
            .fetch_one(&store.pool)
            .await
            .unwrap();
        assert_eq!(busy, 5000);
        store.close().await;
    }

    #[tokio::test]
    async fn an_unwritable_data_dir_is_reported() {
        let temp = tempfile::tempdir().unwrap();
        let file = temp.path().join("a-file");
        std::fs::write(&file, "x").unwrap();
        let err = SqliteStore::open(&file.join("below")).await.unwrap_err();
        assert!(matches!(err, StoreError::DataDir { .. }), "{err}");
    }

    #[test]
    fn milliseconds_round_trip() {
        let at = from_ms(1_700_000_000_123).unwrap();
        assert_eq!(to_ms(at), 1_700_000_000_123);
    }
}
