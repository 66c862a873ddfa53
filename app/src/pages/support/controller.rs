//! The support page's controller: the customer's [`SupportState`], the
//! form's server-side error, the hub's "reconnecting" flag, the last
//! request (to fill the form again), and the shared [`CallController`]
//! that carries the help session's video. In the browser it also holds the
//! help session's credentials, the hub session, the queue id and the
//! leave hook; the steps that use them are in [`flow`](super::flow).

use leptos::prelude::*;

use super::form::HelpRequest;
use super::state::{Phase, SupportState};
use crate::components::call::CallController;
#[cfg(feature = "hydrate")]
use crate::{help::HelpSessionCreated, help::QueueId, platform::PlatformInfo, video::Session};

/// The page's reactive state; `Copy`, so event handlers capture it freely.
#[derive(Clone, Copy)]
pub struct SupportController {
    /// Where the customer is, their place, who answered.
    pub state: RwSignal<SupportState>,
    /// Why the request was refused or failed (shown on the form).
    pub error: RwSignal<Option<String>>,
    /// The hub link dropped and is being restored.
    pub hub_reconnecting: RwSignal<bool>,
    /// The last request sent (the form starts from it next time).
    pub last_request: StoredValue<Option<HelpRequest>>,
    /// The help session's video call.
    pub call: CallController,
    /// The server's media platform (known once loaded).
    #[cfg(feature = "hydrate")]
    pub(super) platform: StoredValue<Option<PlatformInfo>>,
    /// `POST /help/session`'s answer for the current help session.
    #[cfg(feature = "hydrate")]
    pub(super) created: StoredValue<Option<HelpSessionCreated>>,
    /// The queue id the server knows this help session by.
    #[cfg(feature = "hydrate")]
    pub(super) queue_id: StoredValue<Option<QueueId>>,
    /// The connection to the help hub session (queue events).
    #[cfg(feature = "hydrate")]
    pub(super) hub: StoredValue<Option<Session>, LocalStorage>,
    /// Dequeues on tab close while a help session is open.
    #[cfg(feature = "hydrate")]
    pub(super) leave_hook: StoredValue<Option<super::leave::LeaveHook>, LocalStorage>,
}

impl Default for SupportController {
    fn default() -> Self {
        Self::new()
    }
}

impl SupportController {
    /// A controller at the introduction.
    pub fn new() -> Self {
        SupportController {
            state: RwSignal::new(SupportState::default()),
            error: RwSignal::new(None),
            hub_reconnecting: RwSignal::new(false),
            last_request: StoredValue::new(None),
            call: CallController::new(),
            #[cfg(feature = "hydrate")]
            platform: StoredValue::new(None),
            #[cfg(feature = "hydrate")]
            created: StoredValue::new(None),
            #[cfg(feature = "hydrate")]
            queue_id: StoredValue::new(None),
            #[cfg(feature = "hydrate")]
            hub: StoredValue::new_local(None),
            #[cfg(feature = "hydrate")]
            leave_hook: StoredValue::new_local(None),
        }
    }

    /// Where the customer is (tracked).
    pub fn phase(self) -> Phase {
        self.state.with(|s| s.phase.clone())
    }

    /// Moves to `phase` (the rest of the state stays).
    pub fn set_phase(self, phase: Phase) {
        let _ = self.state.try_update(|s| s.phase = phase);
    }

    /// Opens the form (from the introduction, or for another request).
    pub fn open_form(self) {
        self.error.set(None);
        self.set_phase(Phase::Form);
    }
}
