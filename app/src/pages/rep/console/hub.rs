//! The representative's link to the help hub session (browser only): fetch
//! credentials ([`rep_hub`]), connect on our own engine (always, whatever
//! carries the media) and fold the server's [`HelpEvent`]s — the queue
//! length, the next customer, a call's end — into the desk. Only the server
//! (`from: None`) speaks for the queue.

use leptos::prelude::*;

use super::controller::{HubLink, RepController};
use super::requests::{next_customer, rep_hub};
use super::state::Reaction;
use crate::components::call::controller::describe;
use crate::components::failure::failure_text;
use crate::help::{HelpEvent, HELP_SIGNAL};
use crate::platform::PlatformInfo;
use crate::video::{Backend, Session, SessionConfig, SessionEvent};

impl RepController {
    /// On load: connects to the hub.
    pub fn start(self, platform: PlatformInfo) {
        self.platform.set_value(Some(platform));
        self.connect_hub();
    }

    /// Connects (again) to the hub.
    pub fn connect_hub(self) {
        self.hub.set(HubLink::Connecting);
        leptos::task::spawn_local(async move {
            let credentials = match rep_hub().await {
                Ok(credentials) => credentials,
                Err(error) => return self.offline(failure_text(&error)),
            };
            let ice_servers = self
                .platform
                .with_value(|p| p.as_ref().map(|p| p.ice_servers.clone()))
                .unwrap_or_default();
            let config = SessionConfig {
                backend: Backend::Local { ice_servers },
                session_id: credentials.session_id,
                token: credentials.token,
            };
            match Session::connect(config, move |event| self.on_hub_event(event)).await {
                Ok(session) => {
                    if let Some(Some(stale)) = self.hub_session.try_set_value(Some(session)) {
                        stale.disconnect();
                    }
                    let _ = self.hub.try_set(HubLink::Online);
                }
                Err(error) => self.offline(describe(&error)),
            }
        });
    }

    fn offline(self, why: String) {
        let _ = self.hub.try_set(HubLink::Offline(why));
        let _ = self.desk.try_update(|desk| desk.hub_lost());
    }

    fn on_hub_event(self, event: SessionEvent) {
        if let Some(event) = event.server_signal(HELP_SIGNAL).and_then(HelpEvent::parse) {
            return self.apply(event);
        }
        match event {
            SessionEvent::Reconnecting => self.hub.set(HubLink::Reconnecting),
            SessionEvent::Reconnected => {
                self.hub.set(HubLink::Online);
                self.ready_again();
            }
            SessionEvent::Disconnected { .. } => {
                self.hub_session.set_value(None);
                self.offline(
                    "The connection to the server was lost: customers cannot reach you.".into(),
                );
            }
            _ => {}
        }
    }

    /// While the link was down the server may have stopped counting this
    /// representative as ready: say so again.
    fn ready_again(self) {
        let waiting = self
            .desk
            .with_untracked(|d| d.phase == super::state::Phase::Waiting);
        if waiting {
            leptos::task::spawn_local(async move {
                if let Ok(answer) = next_customer().await {
                    self.react(self.desk.try_update(|d| d.answered(answer)));
                }
            });
        }
    }

    /// Folds a server event in and does what it asks for.
    fn apply(self, event: HelpEvent) {
        self.react(self.desk.try_update(|desk| desk.apply(event)));
    }

    /// Does what a desk change asks of the media.
    pub(super) fn react(self, reaction: Option<Reaction>) {
        match reaction {
            Some(Reaction::Join(assignment)) => self.join(assignment),
            Some(Reaction::HangUp) => self.hang_up(),
            Some(Reaction::HandBack(session_id)) => self.hand_back(session_id),
            Some(Reaction::None) | None => {}
        }
    }

    /// Leaves (the page goes away): hangs up and closes the hub link; the
    /// server sees the socket close and stops counting this representative.
    pub fn leave(self) {
        self.hang_up();
        if let Some(session) = self.hub_session.try_update_value(Option::take).flatten() {
            session.disconnect();
        }
    }
}
