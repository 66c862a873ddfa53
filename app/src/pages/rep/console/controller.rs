//! The console's controller: the [`Desk`] the server's answers and hub
//! events build, the hub link's state, the camera preview's state, the
//! shared [`CallController`] that carries a customer's call, and one way
//! to run a server function from a button ([`RepController::act`]). The
//! browser-side actions live in [`hub`](super::hub) (the help hub session)
//! and [`call`](super::call) (next customer, joining, ending, skipping).

use std::future::Future;

use leptos::prelude::*;

use super::state::Desk;
#[cfg(feature = "hydrate")]
use super::watch::CustomerWatch;
use crate::accounts::Account;
use crate::components::call::CallController;
use crate::components::failure::failure_text;
use crate::components::preview::{DeviceOption, Preview};
#[cfg(feature = "hydrate")]
use crate::platform::PlatformInfo;
#[cfg(feature = "hydrate")]
use crate::video::Session;

/// The link to the help hub session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HubLink {
    /// Asking for credentials and connecting.
    Connecting,
    /// Connected: queue events arrive.
    Online,
    /// The link dropped and is being restored.
    Reconnecting,
    /// The link is gone; why, in words.
    Offline(String),
}

/// The console's reactive state; `Copy`, so event handlers capture it.
#[derive(Clone, Copy)]
pub struct RepController {
    /// The signed-in representative.
    pub account: StoredValue<Account>,
    /// Where the representative is, the queue length, the last notice.
    pub desk: RwSignal<Desk>,
    /// The hub link.
    pub hub: RwSignal<HubLink>,
    /// Why the last request failed.
    pub error: RwSignal<Option<String>>,
    /// A request is on its way.
    pub busy: RwSignal<bool>,
    /// The camera preview (shown while not in a call).
    pub preview: RwSignal<Preview>,
    /// Cameras found by the preview.
    pub cameras: RwSignal<Vec<DeviceOption>>,
    /// Microphones found by the preview.
    pub microphones: RwSignal<Vec<DeviceOption>>,
    /// The customer's call (its `choice` is set by the preview).
    pub call: CallController,
    /// The call's session is connected.
    pub call_live: RwSignal<bool>,
    #[cfg(feature = "hydrate")]
    pub(super) platform: StoredValue<Option<PlatformInfo>>,
    #[cfg(feature = "hydrate")]
    pub(super) hub_session: StoredValue<Option<Session>, LocalStorage>,
    #[cfg(feature = "hydrate")]
    pub(super) watch: StoredValue<CustomerWatch>,
    #[cfg(feature = "hydrate")]
    pub(super) timer: StoredValue<Option<gloo_timers::callback::Timeout>, LocalStorage>,
}

impl RepController {
    /// A controller for `account`, idle, not yet connected.
    pub fn new(account: Account) -> Self {
        RepController {
            account: StoredValue::new(account),
            desk: RwSignal::new(Desk::default()),
            hub: RwSignal::new(HubLink::Connecting),
            error: RwSignal::new(None),
            busy: RwSignal::new(false),
            preview: RwSignal::new(Preview::Starting),
            cameras: RwSignal::new(Vec::new()),
            microphones: RwSignal::new(Vec::new()),
            call: CallController::new(),
            call_live: RwSignal::new(false),
            #[cfg(feature = "hydrate")]
            platform: StoredValue::new(None),
            #[cfg(feature = "hydrate")]
            hub_session: StoredValue::new_local(None),
            #[cfg(feature = "hydrate")]
            watch: StoredValue::new(CustomerWatch::default()),
            #[cfg(feature = "hydrate")]
            timer: StoredValue::new_local(None),
        }
    }

    /// Whether the camera or microphone is ready to publish.
    pub fn media_ready(self) -> bool {
        self.preview.get() == Preview::Live && self.call.choice.with(|c| c.publishes())
    }

    /// Runs a server function for a button: one request at a time, its
    /// failure shown in words; `then` gets the answer (`None` if it failed).
    pub fn act<T: 'static>(
        self,
        request: impl Future<Output = Result<T, ServerFnError>> + 'static,
        then: impl FnOnce(Option<T>) + 'static,
    ) {
        self.busy.set(true);
        self.error.set(None);
        leptos::task::spawn_local(async move {
            let result = request.await;
            let _ = self.busy.try_set(false);
            match result {
                Ok(answer) => then(Some(answer)),
                Err(error) => {
                    let _ = self.error.try_set(Some(failure_text(&error)));
                    then(None);
                }
            }
        });
    }
}
