//! The customer-service queue's persistence (seed 002): help sessions, their
//! order in the queue and how they ended, as the [`HelpStore`] trait. The
//! queue lives here and nowhere else — the help service keeps only who is
//! connected — so every method is one atomic operation and every change of
//! state is a compare-and-set: two representatives asking at once never get
//! the same customer, and a customer who cancels while being answered is
//! either cancelled or answered, never both.
//!
//! A help session goes `created` (asked) → `waiting` (queued, with a queue
//! sequence number that orders the queue) → `answered` (a representative
//! took it) → `ended` (with an [`Outcome`]). Times are milliseconds since the
//! Unix epoch, passed in by the caller.

use app::accounts::{AccountId, Username};
use app::help::{HelpRecord, Outcome, OutcomeCounts, ProblemText};
use app::models::DisplayName;
use async_trait::async_trait;

use super::StoreError;
use crate::opentok::session_id::SessionId;

/// Where a help session is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelpState {
    /// Asked for (`POST /help/session`), not queued yet.
    Created,
    /// In the queue.
    Waiting,
    /// A representative took it; the call is on.
    Answered,
    /// Over (see the outcome).
    Ended,
}

impl HelpState {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            HelpState::Created => "created",
            HelpState::Waiting => "waiting",
            HelpState::Answered => "answered",
            HelpState::Ended => "ended",
        }
    }

    /// Reads a stored name.
    pub fn parse(raw: &str) -> Option<HelpState> {
        [
            HelpState::Created,
            HelpState::Waiting,
            HelpState::Answered,
            HelpState::Ended,
        ]
        .into_iter()
        .find(|state| state.as_str() == raw)
    }
}

/// A representative as the queue records them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepRef {
    /// Their account.
    pub id: AccountId,
    /// Their name, kept with the help session.
    pub name: Username,
}

/// A help session to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewHelpSession {
    /// Its media session (also its id).
    pub session_id: SessionId,
    /// Who asks.
    pub customer_name: DisplayName,
    /// What for.
    pub problem_text: ProblemText,
    /// When.
    pub created_at: i64,
}

/// A help session as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpSessionRecord {
    /// Its media session (also its id).
    pub session_id: SessionId,
    /// Who asked.
    pub customer_name: DisplayName,
    /// What for.
    pub problem_text: ProblemText,
    /// Where it is now.
    pub state: HelpState,
    /// When it was asked for.
    pub created_at: i64,
    /// When it was first queued.
    pub enqueued_at: Option<i64>,
    /// When a representative took it.
    pub answered_at: Option<i64>,
    /// When it ended.
    pub ended_at: Option<i64>,
    /// Its place in the queue order (set on the first enqueue).
    pub queue_seq: Option<i64>,
    /// The representative's account (`None` if none answered or the
    /// account was removed).
    pub rep_id: Option<AccountId>,
    /// The representative's name.
    pub rep_name: Option<Username>,
    /// How it ended.
    pub outcome: Option<Outcome>,
}

impl HelpSessionRecord {
    /// The history's view of it.
    pub fn to_history(&self) -> HelpRecord {
        HelpRecord {
            session_id: self.session_id.to_string(),
            customer_name: self.customer_name.clone(),
            problem_text: self.problem_text.clone(),
            rep: self.rep_name.as_ref().map(|name| name.as_str().to_owned()),
            created_at: self.created_at,
            enqueued_at: self.enqueued_at,
            answered_at: self.answered_at,
            ended_at: self.ended_at,
            outcome: self.outcome,
        }
    }
}

/// What an enqueue did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enqueued {
    /// The session joined the queue now.
    Queued,
    /// It was already queued or answered: nothing changed.
    AlreadyQueued,
    /// No such session, or it has ended.
    Unknown,
}

/// How a representative ends a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallEnd {
    /// The call took place.
    Served,
    /// The customer's video never arrived.
    Skipped,
}

impl From<CallEnd> for Outcome {
    fn from(end: CallEnd) -> Outcome {
        match end {
            CallEnd::Served => Outcome::Served,
            CallEnd::Skipped => Outcome::Skipped,
        }
    }
}

/// A help session that an operation just ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closed {
    /// Which.
    pub session_id: SessionId,
    /// How.
    pub outcome: Outcome,
    /// The representative who had answered it, if one had.
    pub rep_id: Option<AccountId>,
}

/// The raw figures of the metrics over a window.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HelpWindow {
    /// Waits (enqueue → answer, ms) of the sessions answered in the window.
    pub waits_ms: Vec<i64>,
    /// Answers per hour (hour start, count), hours without answers omitted.
    pub answers_per_hour: Vec<(i64, u32)>,
    /// Outcomes of the sessions that ended in the window.
    pub outcomes: OutcomeCounts,
}

/// The customer-service queue and its history.
#[async_trait]
pub trait HelpStore: Send + Sync {
    /// Stores a new help session in state `created` (its id must be new).
    async fn create_help_session(&self, new: &NewHelpSession) -> Result<(), StoreError>;

    /// The help session with this id.
    async fn help_session(&self, id: &SessionId) -> Result<Option<HelpSessionRecord>, StoreError>;

    /// Puts a `created` session at the end of the queue (idempotent).
    async fn enqueue(&self, id: &SessionId, at: i64) -> Result<Enqueued, StoreError>;

    /// Takes the first waiting session for `rep` (one statement: FIFO, and
    /// no two callers ever get the same session); `None` when nobody waits.
    async fn dequeue_first(
        &self,
        rep: &RepRef,
        at: i64,
    ) -> Result<Option<HelpSessionRecord>, StoreError>;

    /// Puts a session `rep` had taken back in the queue at its old place
    /// (the representative could not be told); `false` if it was not theirs
    /// or not answered any more.
    async fn hand_back(&self, id: &SessionId, rep: AccountId) -> Result<bool, StoreError>;

    /// The customer cancels: a session not answered yet ends `cancelled`,
    /// one in a call ends `served`; `None` if it was unknown or over.
    async fn cancel(&self, id: &SessionId, at: i64) -> Result<Option<Closed>, StoreError>;

    /// The customer went away: a session not answered yet ends
    /// `abandoned`, one in a call ends `served`; `None` if unknown or over.
    async fn abandon(&self, id: &SessionId, at: i64) -> Result<Option<Closed>, StoreError>;

    /// The representative `rep` ends their call; `None` unless the session
    /// was answered by them and still on.
    async fn end_call(
        &self,
        id: &SessionId,
        rep: AccountId,
        how: CallEnd,
        at: i64,
    ) -> Result<Option<Closed>, StoreError>;

    /// The waiting sessions, first in line first.
    async fn queue(&self) -> Result<Vec<SessionId>, StoreError>;

    /// How many sessions wait.
    async fn waiting_count(&self) -> Result<u32, StoreError>;

    /// Sessions not ended (created, waiting or answered), oldest first.
    async fn open_help_sessions(&self) -> Result<Vec<HelpSessionRecord>, StoreError>;

    /// Help sessions, newest first.
    async fn history(&self, limit: u32, offset: u32) -> Result<Vec<HelpRecord>, StoreError>;

    /// The metrics' raw figures since `since`.
    async fn help_window(&self, since: i64) -> Result<HelpWindow, StoreError>;

    /// The answer times since `since`, newest first, at most `limit`.
    async fn recent_answers(&self, since: i64, limit: u32) -> Result<Vec<i64>, StoreError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip() {
        for state in [
            HelpState::Created,
            HelpState::Waiting,
            HelpState::Answered,
            HelpState::Ended,
        ] {
            assert_eq!(HelpState::parse(state.as_str()), Some(state));
        }
        assert_eq!(HelpState::parse("queued"), None);
        assert_eq!(Outcome::from(CallEnd::Skipped), Outcome::Skipped);
        assert_eq!(Outcome::from(CallEnd::Served), Outcome::Served);
    }
}
