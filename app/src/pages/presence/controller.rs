//! The presence page's controller: where the person is (checking who they
//! are, naming themselves, online, offline), the [`PresenceState`] the
//! server's events build, the call options for invitations, the shared
//! [`CallController`] that carries a chat, and one way to run a server
//! function from a button ([`PresenceController::act`]). In the browser it
//! joins — `GET /users/me` first (a reload rejoins), else `POST /users` —
//! then connects to the presence session, which always runs on our hub.

use std::future::Future;

use leptos::prelude::*;

use super::state::PresenceState;
#[cfg(feature = "hydrate")]
use super::watch::PartnerWatch;
use crate::components::call::CallController;
use crate::components::failure::failure_text;
#[cfg(feature = "hydrate")]
use crate::platform::PlatformInfo;
use crate::presence::CallOptions;
#[cfg(feature = "hydrate")]
use crate::video::Session;

/// Where the person is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// Asking the server whether this browser joined before.
    Checking,
    /// Waiting for a name.
    NeedName,
    /// Joining under a name.
    Joining,
    /// In the presence session.
    Online,
    /// The presence link ended; why, in words.
    Offline(String),
}

/// The page's reactive state; `Copy`, so event handlers capture it freely.
#[derive(Clone, Copy)]
pub struct PresenceController {
    /// Where the person is.
    pub phase: RwSignal<Phase>,
    /// What the server said so far.
    pub state: RwSignal<PresenceState>,
    /// Why joining failed.
    pub join_error: RwSignal<Option<String>>,
    /// Why the last request failed.
    pub action_error: RwSignal<Option<String>>,
    /// A request is on its way.
    pub busy: RwSignal<bool>,
    /// The presence link dropped and is being restored.
    pub reconnecting: RwSignal<bool>,
    /// The options of the next invitation.
    pub options: RwSignal<CallOptions>,
    /// The chat's video session is connected.
    pub chat_live: RwSignal<bool>,
    /// The chat's video call.
    pub call: CallController,
    /// The server's media platform (known once loaded).
    #[cfg(feature = "hydrate")]
    pub(super) platform: StoredValue<Option<PlatformInfo>>,
    #[cfg(feature = "hydrate")]
    session: StoredValue<Option<Session>, LocalStorage>,
    #[cfg(feature = "hydrate")]
    pub(super) watch: StoredValue<PartnerWatch>,
    #[cfg(feature = "hydrate")]
    pub(super) timer: StoredValue<Option<gloo_timers::callback::Timeout>, LocalStorage>,
}

impl Default for PresenceController {
    fn default() -> Self {
        Self::new()
    }
}

impl PresenceController {
    /// A controller that does not know the person yet.
    pub fn new() -> Self {
        PresenceController {
            phase: RwSignal::new(Phase::Checking),
            state: RwSignal::new(PresenceState::default()),
            join_error: RwSignal::new(None),
            action_error: RwSignal::new(None),
            busy: RwSignal::new(false),
            reconnecting: RwSignal::new(false),
            options: RwSignal::new(CallOptions::default()),
            chat_live: RwSignal::new(false),
            call: CallController::new(),
            #[cfg(feature = "hydrate")]
            platform: StoredValue::new(None),
            #[cfg(feature = "hydrate")]
            session: StoredValue::new_local(None),
            #[cfg(feature = "hydrate")]
            watch: StoredValue::new(PartnerWatch::default()),
            #[cfg(feature = "hydrate")]
            timer: StoredValue::new_local(None),
        }
    }

    /// The person's name while online.
    pub fn my_name(self) -> Option<String> {
        if self.phase.get() != Phase::Online {
            return None;
        }
        self.state
            .with(|s| s.me.as_ref().map(|me| me.name.to_string()))
    }

    /// Runs a server function for a button: one request at a time, its
    /// failure shown in words, `then` with the answer.
    pub fn act<T: 'static>(
        self,
        request: impl Future<Output = Result<T, ServerFnError>> + 'static,
        then: impl FnOnce(T) + 'static,
    ) {
        self.busy.set(true);
        self.action_error.set(None);
        leptos::task::spawn_local(async move {
            let result = request.await;
            let _ = self.busy.try_set(false);
            match result {
                Ok(answer) => then(answer),
                Err(error) => {
                    let _ = self.action_error.try_set(Some(failure_text(&error)));
                }
            }
        });
    }
}

#[cfg(feature = "hydrate")]
impl PresenceController {
    /// On load: rejoins if the identity cookie names someone, else asks for a name.
    pub fn start(self, platform: PlatformInfo) {
        self.platform.set_value(Some(platform));
        leptos::task::spawn_local(async move {
            match super::api::me().await {
                Ok(Some(me)) => {
                    if let Err(why) = self.connect(me).await {
                        self.phase.set(Phase::Offline(why));
                    }
                }
                Ok(None) => self.phase.set(Phase::NeedName),
                Err(error) => {
                    self.join_error.set(Some(error.to_string()));
                    self.phase.set(Phase::NeedName);
                }
            }
        });
    }

    /// Joins under `name`, then connects.
    pub fn join(self, name: crate::models::DisplayName) {
        self.phase.set(Phase::Joining);
        self.join_error.set(None);
        leptos::task::spawn_local(async move {
            let outcome = match super::api::join(&name).await {
                Ok(me) => self.connect(me).await,
                Err(error) => Err(error.to_string()),
            };
            if let Err(why) = outcome {
                self.join_error.set(Some(why));
                self.phase.set(Phase::NeedName);
            }
        });
    }

    /// Connects to the presence session as `me`.
    async fn connect(self, me: super::api::Me) -> Result<(), String> {
        use crate::video::{Backend, SessionConfig};

        let presence = super::api::presence_session()
            .await
            .map_err(|e| e.to_string())?;
        let ice_servers = self
            .platform
            .with_value(|p| p.as_ref().map(|p| p.ice_servers.clone()))
            .unwrap_or_default();
        // Events (the list) may arrive before `connect` resolves.
        self.state.set(PresenceState::joined(me.user));
        let config = SessionConfig {
            backend: Backend::Local { ice_servers },
            session_id: presence.session_id,
            token: me.token,
        };
        let session = Session::connect(config, move |event| self.on_session_event(event))
            .await
            .map_err(|e| crate::components::call::controller::describe(&e))?;
        self.session.set_value(Some(session));
        self.phase.set(Phase::Online);
        Ok(())
    }

    fn on_session_event(self, event: crate::video::SessionEvent) {
        use crate::presence::{PresenceEvent, PRESENCE_SIGNAL};
        use crate::video::SessionEvent;

        // Only the server speaks for presence.
        if let Some(event) = event
            .server_signal(PRESENCE_SIGNAL)
            .and_then(PresenceEvent::parse)
        {
            return self.apply(event);
        }
        match event {
            SessionEvent::Reconnecting => self.reconnecting.set(true),
            SessionEvent::Reconnected => self.reconnecting.set(false),
            SessionEvent::Disconnected { .. } => {
                self.session.set_value(None);
                self.reconnecting.set(false);
                self.stop_chat();
                self.phase.set(Phase::Offline(
                    "You are offline: the connection to the server was lost.".into(),
                ));
            }
            _ => {}
        }
    }

    /// Folds a server event in and does what it asks for.
    pub(super) fn apply(self, event: crate::presence::PresenceEvent) {
        use super::state::Reaction;

        match self.state.try_update(|state| state.apply(event)) {
            Some(Reaction::Ring) => super::ring::ring(),
            Some(Reaction::StartChat(chat)) => self.start_chat(chat),
            Some(Reaction::EndChat) => self.stop_chat(),
            Some(Reaction::None) | None => {}
        }
    }

    /// Leaves presence (the page goes away): the server sees the socket close.
    pub fn leave(self) {
        self.stop_chat();
        if let Some(session) = self.session.try_update_value(Option::take).flatten() {
            session.disconnect();
        }
    }
}
