//! The read-only side of `help_sessions`: the history (newest first) and
//! the raw figures of the metrics — waits and answers per hour by answer
//! time, outcomes by end time, each over a window served by its own
//! partial index — plus the recent answer times the wait estimate uses.

use app::help::{HelpRecord, Outcome, OutcomeCounts};
use sqlx::SqlitePool;

use super::rows::{count_u32, parse_outcome, record, COLUMNS};
use crate::store::help::HelpWindow;
use crate::store::StoreError;

const HOUR_MS: i64 = 3_600_000;

/// Help sessions, newest first.
pub(super) async fn history(
    pool: &SqlitePool,
    limit: u32,
    offset: u32,
) -> Result<Vec<HelpRecord>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM help_sessions ORDER BY created_at DESC, rowid DESC \
         LIMIT ? OFFSET ?"
    );
    let rows = sqlx::query(&sql)
        .bind(i64::from(limit))
        .bind(i64::from(offset))
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|row| record(row).map(|r| r.to_history()))
        .collect()
}

/// The metrics' raw figures since `since`.
pub(super) async fn window(pool: &SqlitePool, since: i64) -> Result<HelpWindow, StoreError> {
    let waits: Vec<(i64,)> = sqlx::query_as(
        "SELECT answered_at - enqueued_at FROM help_sessions \
         WHERE answered_at >= ? AND enqueued_at IS NOT NULL ORDER BY answered_at",
    )
    .bind(since)
    .fetch_all(pool)
    .await?;
    let hours: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT (answered_at / ?1) * ?1 AS hour, COUNT(*) FROM help_sessions \
         WHERE answered_at >= ?2 GROUP BY hour ORDER BY hour",
    )
    .bind(HOUR_MS)
    .bind(since)
    .fetch_all(pool)
    .await?;
    let ended: Vec<(String, i64)> = sqlx::query_as(
        "SELECT outcome, COUNT(*) FROM help_sessions WHERE ended_at >= ? GROUP BY outcome",
    )
    .bind(since)
    .fetch_all(pool)
    .await?;
    let mut outcomes = OutcomeCounts::default();
    for (name, count) in ended {
        let count = count_u32(count)?;
        match parse_outcome(&name)? {
            Outcome::Served => outcomes.served = count,
            Outcome::Cancelled => outcomes.cancelled = count,
            Outcome::Abandoned => outcomes.abandoned = count,
            Outcome::Skipped => outcomes.skipped = count,
        }
    }
    Ok(HelpWindow {
        waits_ms: waits.into_iter().map(|(wait,)| wait).collect(),
        answers_per_hour: hours
            .into_iter()
            .map(|(hour, count)| count_u32(count).map(|count| (hour, count)))
            .collect::<Result<_, _>>()?,
        outcomes,
    })
}

/// Answer times since `since`, newest first, at most `limit`.
pub(super) async fn recent_answers(
    pool: &SqlitePool,
    since: i64,
    limit: u32,
) -> Result<Vec<i64>, StoreError> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT answered_at FROM help_sessions WHERE answered_at >= ? \
         ORDER BY answered_at DESC LIMIT ?",
    )
    .bind(since)
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(at,)| at).collect())
}

#[cfg(test)]
mod tests {
    use super::super::tests::{asked, rep};
    use crate::store::help::{CallEnd, HelpStore};
    use crate::store::sqlite::SqliteStore;

    const H: i64 = super::HOUR_MS;

    #[tokio::test]
    async fn history_is_newest_first_and_paged() {
        let store = SqliteStore::in_memory().await.unwrap();
        let ann = rep(&store, "ann").await;
        let first = asked(&store, "Ada", 1_000).await;
        let second = asked(&store, "Bo", 2_000).await;
        store.enqueue(&first, 1_500).await.unwrap();
        store.dequeue_first(&ann, 1_700).await.unwrap();
        store
            .end_call(&first, ann.id, CallEnd::Served, 1_900)
            .await
            .unwrap();
        let page = store.history(10, 0).await.unwrap();
        assert_eq!(page.len(), 2);
        assert_eq!(page[0].session_id, second.as_str());
        assert_eq!((page[0].rep.as_deref(), page[0].outcome), (None, None));
        let done = &page[1];
        assert_eq!(done.customer_name.as_str(), "Ada");
        assert_eq!(done.rep.as_deref(), Some("ann"));
        assert_eq!(
            (done.enqueued_at, done.answered_at, done.ended_at),
            (Some(1_500), Some(1_700), Some(1_900))
        );
        assert_eq!(done.outcome, Some(app::help::Outcome::Served));
        let next = store.history(1, 1).await.unwrap();
        assert_eq!(next.len(), 1);
        assert_eq!(next[0].session_id, first.as_str());
    }

    #[tokio::test]
    async fn the_window_counts_waits_hours_and_outcomes_since_its_start() {
        let store = SqliteStore::in_memory().await.unwrap();
        let ann = rep(&store, "ann").await;
        // Answered at 10 h (before the window), 12 h + 1 s and 12 h + 2 s, 13 h.
        for (enqueued, answered) in [
            (10 * H - 5_000, 10 * H),
            (12 * H, 12 * H + 1_000),
            (12 * H, 12 * H + 2_000),
            (13 * H - 60_000, 13 * H),
        ] {
            let id = asked(&store, "Ada", enqueued).await;
            store.enqueue(&id, enqueued).await.unwrap();
            let taken = store.dequeue_first(&ann, answered).await.unwrap().unwrap();
            assert_eq!(taken.session_id, id);
            store
                .end_call(&id, ann.id, CallEnd::Served, answered + 10)
                .await
                .unwrap();
        }
        let cancelled = asked(&store, "Bo", 12 * H).await;
        store.cancel(&cancelled, 12 * H + 5).await.unwrap();
        let window = store.help_window(11 * H).await.unwrap();
        assert_eq!(window.waits_ms, [1_000, 2_000, 60_000]);
        assert_eq!(window.answers_per_hour, [(12 * H, 2), (13 * H, 1)]);
        assert_eq!(
            (window.outcomes.served, window.outcomes.cancelled),
            (3, 1),
            "the 10 h call ended before the window"
        );
        assert_eq!(
            store.recent_answers(11 * H, 2).await.unwrap(),
            [13 * H, 12 * H + 2_000]
        );
        assert!(store.recent_answers(14 * H, 20).await.unwrap().is_empty());
    }
}
