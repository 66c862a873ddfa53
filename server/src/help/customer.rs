//! The customer's side, as seed 002's routes need it: asking for help
//! (a relayed media session on the media provider, the customer's tokens),
//! joining the queue, leaving it, and where they stand.

use app::help::backend::HelpError;
use app::help::{HelpSessionCreated, Outcome, ProblemText, QueueId, QueuePosition};
use app::models::DisplayName;

use super::matching::queued_session;
use super::tokens::HubData;
use super::{now_ms, unavailable, HelpService};
use crate::opentok::model::{MediaMode, SessionOptions};
use crate::opentok::session_id::SessionId;
use crate::store::help::{Enqueued, NewHelpSession};

/// Why a customer could not join the queue.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnqueueError {
    /// No such help session, or it is over (the seed's message).
    #[error("An invalid session_id was given.")]
    InvalidSession,
    /// The service failed.
    #[error(transparent)]
    Help(#[from] HelpError),
}

impl HelpService {
    /// Asks for help: creates the help session's media session and stores
    /// the help session; the customer's media and hub credentials.
    pub async fn ask(
        &self,
        customer_name: DisplayName,
        problem_text: ProblemText,
    ) -> Result<HelpSessionCreated, HelpError> {
        let options = SessionOptions {
            media_mode: MediaMode::Relayed,
            ..SessionOptions::default()
        };
        let session = self
            .inner
            .provider
            .create_session(&options)
            .await
            .map_err(|err| HelpError::Unavailable(err.to_string()))?;
        let new = NewHelpSession {
            session_id: session.clone(),
            customer_name: customer_name.clone(),
            problem_text,
            created_at: now_ms(),
        };
        self.inner
            .store
            .create_help_session(&new)
            .await
            .map_err(unavailable)?;
        let media = self.media_credentials(&session, &customer_name)?;
        let hub = self.hub_credentials(&HubData::Customer {
            name: customer_name.to_string(),
            help_session: session.to_string(),
        })?;
        Ok(HelpSessionCreated {
            api_key: media.api_key,
            session_id: media.session_id,
            token: media.token,
            hub,
        })
    }

    /// Puts the help session `session_id` in the queue (again: no change)
    /// and hands it to a ready representative if there is one.
    pub async fn enqueue(&self, session_id: &str) -> Result<QueueId, EnqueueError> {
        let session =
            SessionId::parse(session_id.trim()).map_err(|_| EnqueueError::InvalidSession)?;
        let done = self.inner.store.enqueue(&session, now_ms()).await;
        match done.map_err(unavailable)? {
            Enqueued::Queued => {
                self.queue_changed();
                self.match_ready().await;
            }
            Enqueued::AlreadyQueued => {}
            Enqueued::Unknown => return Err(EnqueueError::InvalidSession),
        }
        Ok(QueueId::for_session(session.as_str()))
    }

    /// The customer leaves (cancel, end, closed tab): a help session not
    /// answered yet is cancelled, one in a call ends served. How it ended,
    /// or `None` if the queue id names no open help session.
    pub async fn leave(&self, queue_id: &str) -> Result<Option<Outcome>, HelpError> {
        let Some(session) = queued_session(queue_id) else {
            return Ok(None);
        };
        let closed = self.inner.store.cancel(&session, now_ms()).await;
        let Some(closed) = closed.map_err(unavailable)? else {
            return Ok(None);
        };
        self.announce_end(&closed).await;
        self.queue_changed();
        Ok(Some(closed.outcome))
    }

    /// Where the customer of `queue_id` stands; `None` unless waiting.
    pub async fn position(&self, queue_id: &str) -> Result<Option<QueuePosition>, HelpError> {
        let Some(session) = queued_session(queue_id) else {
            return Ok(None);
        };
        let positions = self.positions().await.map_err(unavailable)?;
        Ok(positions
            .into_iter()
            .find(|(waiting, _)| *waiting == session)
            .map(|(_, position)| position))
    }
}
