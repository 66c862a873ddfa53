//! Handing customers to representatives. A representative who asks gets
//! the first waiting customer (one SQL statement, FIFO); with nobody
//! waiting they become *ready*, and every enqueue then matches the
//! longest-ready representative with the first customer — dequeued for
//! them in that same statement — and pushes them `Assigned`. Matching runs
//! under one async lock and always after the change that could allow it
//! (an enqueue, a representative becoming ready), so neither side can miss
//! the other. A customer dequeued for a representative who cannot be told
//! (they stopped waiting or left meanwhile) goes back to their place.

use app::accounts::Account;
use app::help::backend::HelpError;
use app::help::{Assignment, HelpEvent, QueueId};
use app::models::DisplayName;
use uuid::Uuid;

use super::parties::Party;
use super::{now_ms, unavailable, HelpService};
use crate::opentok::session_id::SessionId;
use crate::store::help::{Closed, HelpSessionRecord, RepRef};

/// The queue's record of a representative.
pub(super) fn rep_ref(rep: &Account) -> RepRef {
    RepRef {
        id: rep.id,
        name: rep.username.clone(),
    }
}

impl HelpService {
    /// Takes the first waiting customer for `rep` (FIFO, atomically) and
    /// tells the customer; `None` when nobody waits.
    pub async fn dequeue(&self, rep: &Account) -> Result<Option<Assignment>, HelpError> {
        let rep = rep_ref(rep);
        let taken = self.inner.store.dequeue_first(&rep, now_ms()).await;
        let Some(record) = taken.map_err(unavailable)? else {
            return Ok(None);
        };
        let assignment = match self.assignment(&record, &rep) {
            Ok(assignment) => assignment,
            Err(err) => {
                self.hand_back(&record, &rep).await;
                return Err(err);
            }
        };
        self.parties().unready(rep.id);
        self.announce_answer(&record, &rep, None).await;
        self.queue_changed();
        Ok(Some(assignment))
    }

    /// Matches ready representatives with waiting customers while both exist.
    pub(super) async fn match_ready(&self) {
        let _matching = self.inner.matcher.lock().await;
        loop {
            let Some(rep) = self.parties().first_ready() else {
                return;
            };
            let record = match self.inner.store.dequeue_first(&rep, now_ms()).await {
                Ok(Some(record)) => record,
                Ok(None) => return,
                Err(err) => {
                    unavailable(err);
                    return;
                }
            };
            // Still waiting? Then they are not any more: they have someone.
            if !self.parties().unready(rep.id) {
                self.hand_back(&record, &rep).await;
                continue;
            }
            let told = match self.assignment(&record, &rep) {
                Ok(assignment) => self.announce_answer(&record, &rep, Some(assignment)).await,
                Err(_) => false,
            };
            if told {
                self.queue_changed();
            } else {
                self.hand_back(&record, &rep).await;
            }
        }
    }

    /// What the representative is handed for `record`.
    fn assignment(
        &self,
        record: &HelpSessionRecord,
        rep: &RepRef,
    ) -> Result<Assignment, HelpError> {
        let name = DisplayName::parse(rep.name.as_str())
            .map_err(|err| HelpError::Unavailable(err.to_string()))?;
        let media = self.media_credentials(&record.session_id, &name)?;
        Ok(Assignment {
            api_key: media.api_key,
            queue_id: QueueId::for_session(&media.session_id),
            session_id: media.session_id,
            token: media.token,
            customer_name: record.customer_name.clone(),
            problem_text: record.problem_text.clone(),
        })
    }

    /// Puts a customer taken for `rep` back at their place.
    async fn hand_back(&self, record: &HelpSessionRecord, rep: &RepRef) {
        match self.inner.store.hand_back(&record.session_id, rep.id).await {
            Ok(_) => self.queue_changed(),
            Err(err) => {
                unavailable(err);
            }
        }
    }

    /// Tells the customer they were answered and, with an assignment, the
    /// representative's connections who it is. `false` if the
    /// representative was to be told and no connection of theirs took it
    /// (then the customer is not told either).
    async fn announce_answer(
        &self,
        record: &HelpSessionRecord,
        rep: &RepRef,
        assigned: Option<Assignment>,
    ) -> bool {
        let mut board = self.inner.board.lock().await;
        if let Some(assignment) = assigned {
            let to = self.connections_of(&Party::Rep(rep.id));
            if self.deliver(&to, &HelpEvent::Assigned { assignment }) == 0 {
                return false;
            }
        }
        board.forget(&record.session_id);
        let to = self.connections_of(&Party::Customer(record.session_id.clone()));
        let answered = HelpEvent::Answered {
            rep_name: rep.name.to_string(),
        };
        self.deliver(&to, &answered);
        true
    }

    /// Tells both parties that a help session ended.
    pub(super) async fn announce_end(&self, closed: &Closed) {
        let mut board = self.inner.board.lock().await;
        board.forget(&closed.session_id);
        let mut to = self.connections_of(&Party::Customer(closed.session_id.clone()));
        if let Some(rep) = closed.rep_id {
            to.extend(self.connections_of(&Party::Rep(rep)));
        }
        let ended = HelpEvent::Ended {
            session_id: closed.session_id.to_string(),
            outcome: closed.outcome,
        };
        self.deliver(&to, &ended);
    }

    /// A party's hub connections: those the watcher recorded, or else
    /// those in the engine's registry (joined, not yet seen by the watcher).
    fn connections_of(&self, party: &Party) -> Vec<Uuid> {
        let known = match party {
            Party::Customer(session) => self.parties().customer_connections(session),
            Party::Rep(rep) => self.parties().rep_connections(*rep),
        };
        if known.is_empty() {
            self.registered(party)
        } else {
            known
        }
    }
}

/// The help session id in a queue id, if it is one.
pub(super) fn queued_session(queue_id: &str) -> Option<SessionId> {
    QueueId::session_id_of(queue_id.trim()).and_then(|id| SessionId::parse(id).ok())
}
