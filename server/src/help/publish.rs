//! The publisher: after every change of the queue (coalesced through a
//! `Notify`) it reads the queue from the store and sends each waiting
//! customer whose position, queue length or estimate changed a `Position`,
//! and every representative connection the `Waiting` count when it
//! changed (new connections get theirs at once). It holds the board — the
//! lock every help delivery takes — from the read to the last delivery,
//! so what it sends is never older than an `Answered` or `Ended` already
//! sent, and two publishes never interleave.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Weak};

use app::help::{HelpEvent, QueuePosition};
use tokio::sync::Notify;

use super::metrics::{answer_interval, estimate, ESTIMATE_ANSWERS, ESTIMATE_SPAN_MS};
use super::{now_ms, unavailable, HelpService, Inner};
use crate::opentok::session_id::SessionId;
use crate::store::StoreError;

/// What was last sent.
#[derive(Debug, Default)]
pub(super) struct Board {
    /// Each waiting customer's last position.
    positions: HashMap<SessionId, QueuePosition>,
    /// The last count told to every representative.
    waiting: Option<u32>,
}

impl Board {
    /// Forgets a customer who left the queue.
    pub(super) fn forget(&mut self, session: &SessionId) {
        self.positions.remove(session);
    }
}

/// Publishes until the service is gone.
pub(super) async fn publisher(inner: Weak<Inner>, dirty: Arc<Notify>) {
    loop {
        dirty.notified().await;
        let Some(inner) = inner.upgrade() else {
            return;
        };
        if let Err(err) = (HelpService { inner }).publish().await {
            unavailable(err);
        }
    }
}

impl HelpService {
    /// The positions of the waiting customers, first in line first.
    pub(super) async fn positions(&self) -> Result<Vec<(SessionId, QueuePosition)>, StoreError> {
        let queue = self.inner.store.queue().await?;
        let answers = self
            .inner
            .store
            .recent_answers(now_ms() - ESTIMATE_SPAN_MS, ESTIMATE_ANSWERS)
            .await?;
        let interval = answer_interval(&answers);
        let waiting = u32::try_from(queue.len()).unwrap_or(u32::MAX);
        Ok(queue
            .into_iter()
            .zip(1..)
            .map(|(session, position)| {
                let place = QueuePosition {
                    position,
                    waiting,
                    estimated_wait_secs: estimate(position, interval),
                };
                (session, place)
            })
            .collect())
    }

    async fn publish(&self) -> Result<(), StoreError> {
        let mut board = self.inner.board.lock().await;
        let positions = self.positions().await?;
        let waiting = u32::try_from(positions.len()).unwrap_or(u32::MAX);
        let (changed, greet) = {
            let mut parties = self.parties();
            let (resend, greet) = parties.take_requests();
            let changed: Vec<_> = positions
                .iter()
                .filter(|(session, place)| {
                    board.positions.get(session) != Some(place) || resend.contains(session)
                })
                .map(|(session, place)| (parties.customer_connections(session), *place))
                .collect();
            let reps = if board.waiting == Some(waiting) {
                greet
            } else {
                parties.all_rep_connections()
            };
            (changed, reps)
        };
        for (connections, position) in &changed {
            self.deliver(
                connections,
                &HelpEvent::Position {
                    position: *position,
                },
            );
        }
        self.deliver(&greet, &HelpEvent::Waiting { count: waiting });
        let queued: HashSet<&SessionId> = positions.iter().map(|(session, _)| session).collect();
        board
            .positions
            .retain(|session, _| queued.contains(session));
        for (session, place) in &positions {
            board.positions.insert(session.clone(), *place);
        }
        board.waiting = Some(waiting);
        Ok(())
    }
}
