//! The [`HelpBackend`] the representatives' server functions call (the
//! caller is already authenticated). Ending a call is a compare-and-set on
//! "answered by this representative"; when it does not apply, the stored
//! help session tells whether that is 404, 403 or an end already done
//! (which succeeds again, so End is idempotent).

use app::accounts::Account;
use app::help::backend::{HelpBackend, HelpError, NextCustomer};
use app::help::{HelpMetrics, HelpRecord};
use app::models::RoomCredentials;
use async_trait::async_trait;

use super::matching::rep_ref;
use super::metrics::{metrics, window_start};
use super::{now_ms, unavailable, HelpService};
use crate::opentok::session_id::SessionId;
use crate::store::help::{CallEnd, HelpState};

/// The longest history page.
pub const MAX_HISTORY_PAGE: u32 = 200;

#[async_trait]
impl HelpBackend for HelpService {
    async fn rep_hub(&self, rep: &Account) -> Result<RoomCredentials, HelpError> {
        self.rep_hub_credentials(rep)
    }

    async fn next_customer(&self, rep: &Account) -> Result<NextCustomer, HelpError> {
        if let Some(assignment) = self.dequeue(rep).await? {
            return Ok(NextCustomer::Assigned(assignment));
        }
        self.parties().make_ready(rep_ref(rep));
        // Someone may have joined the queue since the dequeue.
        self.match_ready().await;
        Ok(NextCustomer::Ready)
    }

    async fn stop_waiting(&self, rep: &Account) -> Result<(), HelpError> {
        self.parties().unready(rep.id);
        Ok(())
    }

    async fn end_call(&self, rep: &Account, session_id: &str) -> Result<(), HelpError> {
        self.finish(rep, session_id, CallEnd::Served).await
    }

    async fn skip(&self, rep: &Account, session_id: &str) -> Result<(), HelpError> {
        self.finish(rep, session_id, CallEnd::Skipped).await
    }

    async fn waiting(&self) -> Result<u32, HelpError> {
        self.inner.store.waiting_count().await.map_err(unavailable)
    }

    async fn metrics(&self) -> Result<HelpMetrics, HelpError> {
        let since = window_start(now_ms());
        let window = self
            .inner
            .store
            .help_window(since)
            .await
            .map_err(unavailable)?;
        let waiting = self.waiting().await?;
        Ok(metrics(&window, waiting, since))
    }

    async fn history(&self, limit: u32, offset: u32) -> Result<Vec<HelpRecord>, HelpError> {
        let limit = limit.clamp(1, MAX_HISTORY_PAGE);
        let store = &self.inner.store;
        store.history(limit, offset).await.map_err(unavailable)
    }
}

impl HelpService {
    /// Ends the representative's call `session_id` the way `how` says.
    async fn finish(&self, rep: &Account, session_id: &str, how: CallEnd) -> Result<(), HelpError> {
        let session = SessionId::parse(session_id.trim()).map_err(|_| HelpError::NotFound)?;
        let store = &self.inner.store;
        let ended = store.end_call(&session, rep.id, how, now_ms()).await;
        if let Some(closed) = ended.map_err(unavailable)? {
            self.announce_end(&closed).await;
            return Ok(());
        }
        let record = store.help_session(&session).await.map_err(unavailable)?;
        match record {
            None => Err(HelpError::NotFound),
            Some(record) if record.rep_id != Some(rep.id) => Err(HelpError::Forbidden),
            // Theirs, and over already (the customer left first, or twice).
            Some(record) if record.state == HelpState::Ended => Ok(()),
            // Theirs and answered: the compare-and-set lost to an end.
            Some(_) => Err(HelpError::Conflict("the call changed; try again".into())),
        }
    }
}
