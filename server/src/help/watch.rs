//! Joins and leaves on the help hub, and what they mean for the queue. A
//! task observes the hub session's connections and records each party's
//! (a connection whose data is not ours is nobody). A new customer
//! connection is sent its position, a new representative connection the
//! count. When a customer's last connection closes, a grace timer starts;
//! if they are still gone when it fires, their help session ends
//! (abandoned while waiting, served in a call). A representative whose
//! last connection closed is no longer ready. After a restart every open
//! help session gets the longer restore grace.

use std::sync::Weak;
use std::time::Duration;

use tokio::sync::mpsc;

use super::parties::Departure;
use super::tokens::HubData;
use super::{now_ms, unavailable, HelpService, Inner, StartError};
use crate::engine::Membership;
use crate::opentok::session_id::SessionId;

/// Feeds the parties with the hub's joins and leaves until the service or
/// the engine is gone.
pub(super) async fn watch(inner: Weak<Inner>, mut changes: mpsc::UnboundedReceiver<Membership>) {
    while let Some(change) = changes.recv().await {
        let Some(inner) = inner.upgrade() else {
            return;
        };
        let service = HelpService { inner };
        match change {
            Membership::Joined(info) => {
                let Some(party) = info.data.as_deref().and_then(HubData::party) else {
                    tracing::debug!(connection = %info.id, "a help hub connection of nobody");
                    continue;
                };
                service.parties().joined(info.id, party);
                service.queue_changed();
            }
            Membership::Left(id) => {
                let departure = service.parties().left(id);
                match departure {
                    Some(Departure::CustomerGone(session, generation)) => {
                        service.grace(session, generation, service.inner.timings.leave_grace);
                    }
                    Some(Departure::RepGone(rep)) => {
                        tracing::debug!(%rep, "a representative left the help hub");
                    }
                    None => {}
                }
            }
        }
    }
}

impl HelpService {
    /// Gives every open help session the restore grace to reconnect.
    pub(super) async fn restore(&self) -> Result<(), StartError> {
        let open = self.inner.store.open_help_sessions().await?;
        if !open.is_empty() {
            tracing::info!(open = open.len(), "restoring open help sessions");
        }
        for record in open {
            let generation = self.parties().expect(&record.session_id);
            self.grace(
                record.session_id,
                generation,
                self.inner.timings.restore_grace,
            );
        }
        Ok(())
    }

    /// Ends the customer's help session if they are still gone after `after`.
    fn grace(&self, session: SessionId, generation: u64, after: Duration) {
        let inner = std::sync::Arc::downgrade(&self.inner);
        tokio::spawn(async move {
            tokio::time::sleep(after).await;
            let Some(inner) = inner.upgrade() else {
                return;
            };
            let service = HelpService { inner };
            if !service.parties().still_gone(&session, generation) {
                return;
            }
            match service.inner.store.abandon(&session, now_ms()).await {
                Ok(Some(closed)) => {
                    tracing::info!(session = %session, outcome = closed.outcome.as_str(),
                        "a customer left the help hub");
                    service.announce_end(&closed).await;
                    service.queue_changed();
                }
                Ok(None) => {}
                Err(err) => {
                    unavailable(err);
                }
            }
            service.parties().forget(&session);
        });
    }
}
