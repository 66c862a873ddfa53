//! The rooms page's controller: the room's name and session, where the
//! person is, a problem to show in the lobby, and the shared
//! [`CallController`] that carries the call. In the browser it joins (credentials from
//! `GET /room/{name}?name=`, then the video session) and leaves.

use leptos::prelude::*;

use super::state::Phase;
use crate::components::call::CallController;

/// The page's reactive state; `Copy`, so event handlers capture it freely.
#[derive(Clone, Copy)]
pub struct RoomController {
    /// The room's name (from the URL).
    pub room: StoredValue<String>,
    /// The room's video session, once joined.
    pub session_id: RwSignal<Option<String>>,
    /// Lobby, joining, in the call, left.
    pub phase: RwSignal<Phase>,
    /// A problem to show in the lobby.
    pub error: RwSignal<Option<String>>,
    /// The call itself.
    pub call: CallController,
}

impl RoomController {
    /// A controller for room `room`, in the lobby.
    pub fn new(room: String) -> Self {
        RoomController {
            room: StoredValue::new(room),
            session_id: RwSignal::new(None),
            phase: RwSignal::new(Phase::Lobby),
            error: RwSignal::new(None),
            call: CallController::new(),
        }
    }
}

#[cfg(feature = "hydrate")]
impl RoomController {
    /// Gets credentials under `name`, connects, and enters the call.
    pub fn join(self, name: crate::models::DisplayName, backend: crate::video::Backend) {
        use crate::components::call::controller::describe;
        use crate::video::SessionConfig;

        self.phase.set(Phase::Joining);
        self.error.set(None);
        self.call.my_name.set(name.to_string());
        leptos::task::spawn_local(async move {
            let room = self.room.get_value();
            let credentials = match crate::api::fetch_room(&room, Some(name.as_str())).await {
                Ok(credentials) => credentials,
                Err(message) => return self.back_to_lobby(message),
            };
            self.session_id.set(Some(credentials.session_id.clone()));
            let config = SessionConfig {
                backend,
                session_id: credentials.session_id,
                token: credentials.token,
            };
            let ended = move |why: String| self.phase.set(Phase::Left(why));
            match self.call.connect(config, |_| {}, ended).await {
                Ok(()) => self.phase.set(Phase::InCall),
                Err(error) => self.back_to_lobby(describe(&error)),
            }
        });
    }

    fn back_to_lobby(self, message: String) {
        self.error.set(Some(message));
        self.phase.set(Phase::Lobby);
    }

    /// Leaves the call.
    pub fn leave(self) {
        self.call.hang_up();
        self.phase.set(Phase::Left("You left the room.".into()));
    }
}
