//! The statements that change or read the queue: each is a single
//! statement, the changes compare-and-sets on the expected state.

use app::accounts::AccountId;
use app::help::Outcome;
use sqlx::SqlitePool;

use super::super::{parse_session_id, unique_violation_as_conflict};
use super::rows::{closed, count_u32, record, CLOSED, COLUMNS};
use crate::opentok::session_id::SessionId;
use crate::store::help::{CallEnd, Closed, Enqueued, HelpSessionRecord, NewHelpSession, RepRef};
use crate::store::StoreError;

/// Stores a new help session (`created`).
pub(super) async fn create(pool: &SqlitePool, new: &NewHelpSession) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO help_sessions (session_id, customer_name, problem_text, created_at) \
         VALUES (?, ?, ?, ?)",
    )
    .bind(new.session_id.as_str())
    .bind(new.customer_name.as_str())
    .bind(new.problem_text.as_str())
    .bind(new.created_at)
    .execute(pool)
    .await
    .map_err(unique_violation_as_conflict)?;
    Ok(())
}

/// The help session `id`.
pub(super) async fn get(
    pool: &SqlitePool,
    id: &SessionId,
) -> Result<Option<HelpSessionRecord>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM help_sessions WHERE session_id = ?");
    let row = sqlx::query(&sql)
        .bind(id.as_str())
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(record).transpose()
}

/// Queues a `created` session (`MAX(queue_seq) + 1` in the same statement); tells a repeat from an unknown session.
pub(super) async fn enqueue(
    pool: &SqlitePool,
    id: &SessionId,
    at: i64,
) -> Result<Enqueued, StoreError> {
    let queued = sqlx::query(
        "UPDATE help_sessions SET state = 'waiting', enqueued_at = ?2, \
         queue_seq = (SELECT COALESCE(MAX(queue_seq), 0) + 1 FROM help_sessions) \
         WHERE session_id = ?1 AND state = 'created'",
    )
    .bind(id.as_str())
    .bind(at)
    .execute(pool)
    .await?;
    if queued.rows_affected() == 1 {
        return Ok(Enqueued::Queued);
    }
    // Nothing changed: tell an earlier enqueue from an unknown session.
    let state: Option<(String,)> =
        sqlx::query_as("SELECT state FROM help_sessions WHERE session_id = ?")
            .bind(id.as_str())
            .fetch_optional(pool)
            .await?;
    Ok(match state.as_ref().map(|(s,)| s.as_str()) {
        Some("waiting" | "answered") => Enqueued::AlreadyQueued,
        _ => Enqueued::Unknown,
    })
}

/// Takes the first waiting session for `rep`: one statement picks and marks it.
pub(super) async fn dequeue_first(
    pool: &SqlitePool,
    rep: &RepRef,
    at: i64,
) -> Result<Option<HelpSessionRecord>, StoreError> {
    let sql = format!(
        "UPDATE help_sessions SET state = 'answered', answered_at = ?1, rep_id = ?2, \
         rep_name = ?3 \
         WHERE session_id = (SELECT session_id FROM help_sessions \
                             WHERE state = 'waiting' ORDER BY queue_seq LIMIT 1) \
         RETURNING {COLUMNS}"
    );
    let row = sqlx::query(&sql)
        .bind(at)
        .bind(rep.id.0)
        .bind(rep.name.as_str())
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(record).transpose()
}

/// Puts a session `rep` answered back to waiting, its `queue_seq` kept.
pub(super) async fn hand_back(
    pool: &SqlitePool,
    id: &SessionId,
    rep: AccountId,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE help_sessions SET state = 'waiting', answered_at = NULL, rep_id = NULL, \
         rep_name = NULL WHERE session_id = ? AND state = 'answered' AND rep_id = ?",
    )
    .bind(id.as_str())
    .bind(rep.0)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends the call of `rep` (compare-and-set on answered by them).
pub(super) async fn end_call(
    pool: &SqlitePool,
    id: &SessionId,
    rep: AccountId,
    how: CallEnd,
    at: i64,
) -> Result<Option<Closed>, StoreError> {
    let sql = format!(
        "UPDATE help_sessions SET state = 'ended', ended_at = ?2, outcome = ?3 \
         WHERE session_id = ?1 AND state = 'answered' AND rep_id = ?4 RETURNING {CLOSED}"
    );
    let row = sqlx::query(&sql)
        .bind(id.as_str())
        .bind(at)
        .bind(Outcome::from(how).as_str())
        .bind(rep.0)
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(closed).transpose()
}

/// The waiting sessions in queue order.
pub(super) async fn queue(pool: &SqlitePool) -> Result<Vec<SessionId>, StoreError> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT session_id FROM help_sessions WHERE state = 'waiting' ORDER BY queue_seq",
    )
    .fetch_all(pool)
    .await?;
    rows.iter().map(|(id,)| parse_session_id(id)).collect()
}

/// How many sessions wait.
pub(super) async fn waiting_count(pool: &SqlitePool) -> Result<u32, StoreError> {
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM help_sessions WHERE state = 'waiting'")
            .fetch_one(pool)
            .await?;
    count_u32(count)
}

/// Sessions not ended, oldest first.
pub(super) async fn open(pool: &SqlitePool) -> Result<Vec<HelpSessionRecord>, StoreError> {
    let sql =
        format!("SELECT {COLUMNS} FROM help_sessions WHERE state <> 'ended' ORDER BY created_at");
    let rows = sqlx::query(&sql).fetch_all(pool).await?;
    rows.iter().map(record).collect()
}

/// Ends a session the customer leaves: `served` if it was answered,
/// `unanswered` otherwise.
pub(super) async fn close_open(
    pool: &SqlitePool,
    id: &SessionId,
    at: i64,
    unanswered: Outcome,
) -> Result<Option<Closed>, StoreError> {
    let sql = format!(
        "UPDATE help_sessions SET ended_at = ?2, \
         outcome = CASE state WHEN 'answered' THEN 'served' ELSE ?3 END, state = 'ended' \
         WHERE session_id = ?1 AND state <> 'ended' RETURNING {CLOSED}"
    );
    let row = sqlx::query(&sql)
        .bind(id.as_str())
        .bind(at)
        .bind(unanswered.as_str())
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(closed).transpose()
}
