//! The customer-service queue in SQLite (`help_sessions`). Every change is
//! one `UPDATE … WHERE <expected state> … RETURNING` statement — a
//! compare-and-set that SQLite runs under its single writer lock — so
//! concurrent callers cannot both win: the dequeue picks the first waiting
//! row in the same statement that marks it answered. Queue order is
//! `queue_seq`, taken as `MAX + 1` inside the enqueue statement. The
//! statements are prepared once per connection (sqlx's statement cache).
//!
//! - [`queue`]: the queue's statements;
//! - [`reports`]: the history and the metrics' queries;
//! - [`rows`]: rows back into domain types.

mod queue;
mod reports;
mod rows;

use app::accounts::AccountId;
use app::help::{HelpRecord, Outcome};
use async_trait::async_trait;

use super::SqliteStore;
use crate::opentok::session_id::SessionId;
use crate::store::help::{
    CallEnd, Closed, Enqueued, HelpSessionRecord, HelpStore, HelpWindow, NewHelpSession, RepRef,
};
use crate::store::StoreError;

#[async_trait]
impl HelpStore for SqliteStore {
    async fn create_help_session(&self, new: &NewHelpSession) -> Result<(), StoreError> {
        queue::create(&self.pool, new).await
    }

    async fn help_session(&self, id: &SessionId) -> Result<Option<HelpSessionRecord>, StoreError> {
        queue::get(&self.pool, id).await
    }

    async fn enqueue(&self, id: &SessionId, at: i64) -> Result<Enqueued, StoreError> {
        queue::enqueue(&self.pool, id, at).await
    }

    async fn dequeue_first(
        &self,
        rep: &RepRef,
        at: i64,
    ) -> Result<Option<HelpSessionRecord>, StoreError> {
        queue::dequeue_first(&self.pool, rep, at).await
    }

    async fn hand_back(&self, id: &SessionId, rep: AccountId) -> Result<bool, StoreError> {
        queue::hand_back(&self.pool, id, rep).await
    }

    async fn cancel(&self, id: &SessionId, at: i64) -> Result<Option<Closed>, StoreError> {
        queue::close_open(&self.pool, id, at, Outcome::Cancelled).await
    }

    async fn abandon(&self, id: &SessionId, at: i64) -> Result<Option<Closed>, StoreError> {
        queue::close_open(&self.pool, id, at, Outcome::Abandoned).await
    }

    async fn end_call(
        &self,
        id: &SessionId,
        rep: AccountId,
        how: CallEnd,
        at: i64,
    ) -> Result<Option<Closed>, StoreError> {
        queue::end_call(&self.pool, id, rep, how, at).await
    }

    async fn queue(&self) -> Result<Vec<SessionId>, StoreError> {
        queue::queue(&self.pool).await
    }

    async fn waiting_count(&self) -> Result<u32, StoreError> {
        queue::waiting_count(&self.pool).await
    }

    async fn open_help_sessions(&self) -> Result<Vec<HelpSessionRecord>, StoreError> {
        queue::open(&self.pool).await
    }

    async fn history(&self, limit: u32, offset: u32) -> Result<Vec<HelpRecord>, StoreError> {
        reports::history(&self.pool, limit, offset).await
    }

    async fn help_window(&self, since: i64) -> Result<HelpWindow, StoreError> {
        reports::window(&self.pool, since).await
    }

    async fn recent_answers(&self, since: i64, limit: u32) -> Result<Vec<i64>, StoreError> {
        reports::recent_answers(&self.pool, since, limit).await
    }
}

#[cfg(test)]
pub(super) mod tests {
    use std::collections::HashSet;
    use std::sync::Arc;

    use super::*;
    use crate::opentok::model::MediaMode;
    use crate::store::help::HelpState;
    use app::accounts::Username;
    use app::help::ProblemText;
    use app::models::DisplayName;

    /// A rep account stored in `store` (the foreign key needs one).
    pub(in crate::store::sqlite) async fn rep(store: &SqliteStore, name: &str) -> RepRef {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO accounts (username, password_hash, role, created_at) \
             VALUES (?, 'unused', 'rep', 0) RETURNING id",
        )
        .bind(name)
        .fetch_one(&store.pool)
        .await
        .expect("an account");
        RepRef {
            id: AccountId(id),
            name: Username::parse(name).expect("a valid username"),
        }
    }

    /// A new help session of `name`, stored at time `at`.
    pub(in crate::store::sqlite) async fn asked(
        store: &SqliteStore,
        name: &str,
        at: i64,
    ) -> SessionId {
        let session_id = SessionId::generate("123456", None, MediaMode::Relayed);
        store
            .create_help_session(&NewHelpSession {
                session_id: session_id.clone(),
                customer_name: DisplayName::parse(name).expect("a valid name"),
                problem_text: ProblemText::parse("no sound").expect("a valid problem"),
                created_at: at,
            })
            .await
            .expect("created");
        session_id
    }

    /// `count` customers who asked and queued, in order.
    async fn queued(store: &SqliteStore, count: usize) -> Vec<SessionId> {
        let mut ids = Vec::new();
        for i in 0..count {
            let id = asked(store, &format!("Customer {i}"), 1_000).await;
            assert_eq!(store.enqueue(&id, 2_000).await.unwrap(), Enqueued::Queued);
            ids.push(id);
        }
        ids
    }

    #[tokio::test]
    async fn enqueue_is_idempotent_and_fifo() {
        let store = SqliteStore::in_memory().await.unwrap();
        let ids = queued(&store, 3).await;
        assert_eq!(
            store.enqueue(&ids[0], 9_000).await.unwrap(),
            Enqueued::AlreadyQueued
        );
        let unknown = SessionId::generate("123456", None, MediaMode::Relayed);
        assert_eq!(
            store.enqueue(&unknown, 9_000).await.unwrap(),
            Enqueued::Unknown
        );
        assert_eq!(
            store.queue().await.unwrap(),
            ids,
            "a repeat keeps its place"
        );
        assert_eq!(store.waiting_count().await.unwrap(), 3);
        let first = store.help_session(&ids[0]).await.unwrap().unwrap();
        assert_eq!(
            (first.state, first.enqueued_at, first.customer_name.as_str()),
            (HelpState::Waiting, Some(2_000), "Customer 0")
        );
        let ann = rep(&store, "ann").await;
        let taken = store.dequeue_first(&ann, 3_000).await.unwrap().unwrap();
        assert_eq!(taken.session_id, ids[0]);
        assert_eq!(
            (taken.state, taken.answered_at, taken.rep_id, taken.rep_name),
            (
                HelpState::Answered,
                Some(3_000),
                Some(ann.id),
                Some(ann.name.clone())
            )
        );
        assert_eq!(
            store.enqueue(&ids[0], 9_000).await.unwrap(),
            Enqueued::AlreadyQueued
        );
        assert_eq!(store.queue().await.unwrap(), ids[1..]);
        let second = store.dequeue_first(&ann, 3_000).await.unwrap().unwrap();
        let third = store.dequeue_first(&ann, 3_000).await.unwrap().unwrap();
        assert_eq!([second.session_id, third.session_id], ids[1..]);
        assert_eq!(store.dequeue_first(&ann, 3_000).await.unwrap(), None);
        assert_eq!(store.waiting_count().await.unwrap(), 0);
    }

    #[tokio::test]
    async fn concurrent_dequeues_never_share_a_customer() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(SqliteStore::open(dir.path()).await.unwrap());
        let ids = queued(&store, 40).await;
        let mut tasks = Vec::new();
        for r in 0..8 {
            let store = store.clone();
            let me = rep(&store, &format!("rep{r}")).await;
            tasks.push(tokio::spawn(async move {
                let mut got = Vec::new();
                while let Some(taken) = store.dequeue_first(&me, 5_000).await.unwrap() {
                    got.push(taken.session_id);
                }
                got
            }));
        }
        let mut all = Vec::new();
        for task in tasks {
            let got = task.await.unwrap();
            let mut sorted = got.clone();
            sorted.sort_by_key(|id| ids.iter().position(|x| x == id));
            assert_eq!(got, sorted, "each rep gets customers in queue order");
            all.extend(got);
        }
        assert_eq!(all.len(), 40);
        assert_eq!(all.iter().collect::<HashSet<_>>().len(), 40, "nobody twice");
    }

    #[tokio::test]
    async fn leaving_ends_by_state_and_only_once() {
        let store = SqliteStore::in_memory().await.unwrap();
        let ann = rep(&store, "ann").await;
        let ids = queued(&store, 2).await;
        let never_queued = asked(&store, "Cy", 1_000).await;
        store.dequeue_first(&ann, 3_000).await.unwrap();
        let served = store.cancel(&ids[0], 4_000).await.unwrap().unwrap();
        assert_eq!(
            (served.outcome, served.rep_id),
            (Outcome::Served, Some(ann.id))
        );
        let cancelled = store.cancel(&ids[1], 4_000).await.unwrap().unwrap();
        assert_eq!(
            (cancelled.outcome, cancelled.rep_id),
            (Outcome::Cancelled, None)
        );
        let gone = store.abandon(&never_queued, 4_000).await.unwrap().unwrap();
        assert_eq!(gone.outcome, Outcome::Abandoned);
        for id in [&ids[0], &ids[1], &never_queued] {
            assert_eq!(store.cancel(id, 5_000).await.unwrap(), None, "over already");
            assert_eq!(store.abandon(id, 5_000).await.unwrap(), None);
            assert_eq!(store.enqueue(id, 5_000).await.unwrap(), Enqueued::Unknown);
        }
        let record = store.help_session(&ids[1]).await.unwrap().unwrap();
        assert_eq!(
            (record.state, record.ended_at, record.outcome),
            (HelpState::Ended, Some(4_000), Some(Outcome::Cancelled))
        );
        assert!(store.open_help_sessions().await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn only_the_answering_rep_ends_a_call() {
        let store = SqliteStore::in_memory().await.unwrap();
        let (ann, bo) = (rep(&store, "ann").await, rep(&store, "bo").await);
        let ids = queued(&store, 2).await;
        store.dequeue_first(&ann, 3_000).await.unwrap();
        store.dequeue_first(&bo, 3_000).await.unwrap();
        assert_eq!(
            store
                .end_call(&ids[0], bo.id, CallEnd::Served, 4_000)
                .await
                .unwrap(),
            None
        );
        let ended = store
            .end_call(&ids[0], ann.id, CallEnd::Skipped, 4_000)
            .await;
        assert_eq!(ended.unwrap().unwrap().outcome, Outcome::Skipped);
        assert_eq!(
            store
                .end_call(&ids[0], ann.id, CallEnd::Served, 5_000)
                .await
                .unwrap(),
            None,
            "once"
        );
        let open = store.open_help_sessions().await.unwrap();
        assert_eq!(open.len(), 1);
        assert_eq!(
            (open[0].state, &open[0].session_id),
            (HelpState::Answered, &ids[1])
        );
    }

    #[tokio::test]
    async fn a_handed_back_customer_keeps_their_place() {
        let store = SqliteStore::in_memory().await.unwrap();
        let (ann, bo) = (rep(&store, "ann").await, rep(&store, "bo").await);
        let ids = queued(&store, 3).await;
        let first = store.dequeue_first(&ann, 3_000).await.unwrap().unwrap();
        assert!(!store.hand_back(&first.session_id, bo.id).await.unwrap());
        assert!(store.hand_back(&first.session_id, ann.id).await.unwrap());
        assert!(!store.hand_back(&first.session_id, ann.id).await.unwrap());
        assert_eq!(store.queue().await.unwrap(), ids);
        let again = store.help_session(&ids[0]).await.unwrap().unwrap();
        assert_eq!((again.rep_id, again.answered_at), (None, None));
        let next = store.dequeue_first(&bo, 4_000).await.unwrap().unwrap();
        assert_eq!(
            (next.session_id, next.rep_name),
            (ids[0].clone(), Some(bo.name.clone())),
            "first in line again"
        );
    }

    #[tokio::test]
    async fn the_queue_survives_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path()).await.unwrap();
        let ids = queued(&store, 3).await;
        let created = asked(&store, "Late", 1_000).await;
        store.close().await;
        let store = SqliteStore::open(dir.path()).await.unwrap();
        assert_eq!(store.queue().await.unwrap(), ids);
        let open = store.open_help_sessions().await.unwrap();
        assert_eq!(open.len(), 4);
        assert!(open
            .iter()
            .any(|r| r.session_id == created && r.state == HelpState::Created));
        let ann = rep(&store, "ann").await;
        let next = store.dequeue_first(&ann, 3_000).await.unwrap().unwrap();
        assert_eq!(next.session_id, ids[0]);
    }

    #[tokio::test]
    async fn a_session_id_is_stored_once() {
        let store = SqliteStore::in_memory().await.unwrap();
        let id = asked(&store, "Ann", 1_000).await;
        let again = NewHelpSession {
            session_id: id,
            customer_name: DisplayName::parse("Bo").unwrap(),
            problem_text: ProblemText::parse("x").unwrap(),
            created_at: 2,
        };
        let err = store.create_help_session(&again).await.unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    }
}
