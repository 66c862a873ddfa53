//! Following a help session once it runs, in the browser: the hub's
//! [`HelpEvent`]s (position, answered, ended) and its link's health, the
//! representative's stream coming and going in the media session, and the
//! ways out — a failure, Cancel, End, or the page going away — each of
//! which tells the server (`DELETE /help/queue/{queueId}`, a beacon when
//! the page goes away) and releases the media, the hub and the leave hook.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::api;
use super::controller::SupportController;
use super::state::{farewell, Phase, Reaction, SupportState};
use crate::help::{HelpEvent, Outcome, HELP_SIGNAL};
use crate::video::SessionEvent;

impl SupportController {
    /// The hub: queue events from the server, and the link's health.
    pub(super) fn on_hub_event(self, event: SessionEvent) {
        // Only the server speaks for the queue.
        if let Some(event) = event.server_signal(HELP_SIGNAL).and_then(HelpEvent::parse) {
            if let Some(reaction) = self.state.try_update(|s| s.apply(event)) {
                self.react(reaction);
            }
            return;
        }
        match event {
            SessionEvent::Reconnecting => self.hub_reconnecting.set(true),
            SessionEvent::Reconnected => self.hub_reconnecting.set(false),
            SessionEvent::Disconnected { .. } => {
                self.hub.set_value(None);
                self.hub_reconnecting.set(false);
                // In the call the video goes on; before it, the server
                // takes a customer without a hub link out of the queue.
                let queued = self.state.try_with_untracked(|s| {
                    matches!(s.phase, Phase::Queueing | Phase::Waiting | Phase::Answered)
                });
                if queued == Some(true) {
                    self.fail(
                        "The connection to the server was lost, so you are no longer in the queue."
                            .into(),
                    );
                }
            }
            _ => {}
        }
    }

    /// The media session: the representative's stream comes and goes.
    pub(super) fn on_media_event(self, event: &SessionEvent) {
        match event {
            SessionEvent::StreamCreated(stream) => {
                let _ = self.state.try_update(|s| s.rep_arrived(&stream.name));
            }
            SessionEvent::StreamDestroyed { .. } | SessionEvent::ConnectionDestroyed { .. } => {
                if let Some(Reaction::EndCall) = self.state.try_update(SupportState::rep_left) {
                    // Not from inside the session's own event handler.
                    spawn_local(async move { self.react(Reaction::EndCall) });
                }
            }
            _ => {}
        }
    }

    fn react(self, reaction: Reaction) {
        match reaction {
            Reaction::None => {}
            Reaction::Release => {
                let _ = self.queue_id.try_update_value(Option::take);
                self.release();
            }
            Reaction::EndCall => self.tell_server_and_release(),
        }
    }

    /// Something failed: say what, and leave the queue.
    pub fn fail(self, why: String) {
        let open = self
            .state
            .try_with_untracked(|s| s.phase.holds_session())
            .unwrap_or(false);
        if open {
            self.set_phase(Phase::Failed(why));
            self.tell_server_and_release();
        }
    }

    /// Cancel: leave the queue (or the half-made request), back to the start.
    pub fn cancel(self) {
        self.tell_server_and_release();
        self.state.set(SupportState::default());
    }

    /// End: the call is over.
    pub fn end(self) {
        self.set_phase(Phase::Ended(farewell(Outcome::Served).into()));
        self.tell_server_and_release();
    }

    /// The page goes away (another page of the app): dequeue and hang up.
    pub fn leave(self) {
        if let Some(Some(queue_id)) = self.queue_id.try_update_value(Option::take) {
            api::dequeue_beacon(&queue_id);
        }
        self.release();
    }

    fn tell_server_and_release(self) {
        if let Some(Some(queue_id)) = self.queue_id.try_update_value(Option::take) {
            // Idempotent on the server; a lost request is covered by the
            // hub connection closing (the server then removes the customer).
            spawn_local(async move {
                let _ = api::dequeue(&queue_id).await;
            });
        }
        self.release();
    }

    /// Hangs up the media, leaves the hub, removes the leave hook.
    fn release(self) {
        self.call.hang_up();
        if let Some(Some(link)) = self.hub.try_update_value(Option::take) {
            link.disconnect();
        }
        let _ = self.leave_hook.try_update_value(Option::take);
        let _ = self.created.try_update_value(Option::take);
        let _ = self.hub_reconnecting.try_set(false);
    }
}
