//! The customer's steps in the browser, in seed 002's order: create the
//! help session (`POST /help/session`), check the camera and microphone,
//! connect the media session (local engine or OpenTok.js, as the server
//! says) and publish, connect to the help hub (always our engine), and
//! only then join the queue (`POST /help/queue`). Every step checks, after
//! each wait, that the customer is still where it started, so a cancelled
//! request never comes back to life. What happens once queued — the hub's
//! events, the representative's stream, and the ways out — is in
//! [`follow`](super::follow).

use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::MediaStream;

use super::api;
use super::controller::SupportController;
use super::form::HelpRequest;
use super::leave::LeaveHook;
use super::state::{MediaProblem, Phase, SupportState};
use crate::components::call::controller::describe;
use crate::components::call::MediaChoice;
use crate::help::{HelpSessionCreated, QueueId};
use crate::platform::PlatformInfo;
use crate::video::{devices, Backend, Session, SessionConfig, SessionEvent, VideoError};

/// Camera and microphone; only the microphone when there is no camera.
async fn open_devices() -> Result<MediaStream, VideoError> {
    match devices::open_media(true, None, true, None).await {
        Err(VideoError::NoDevice(_)) => devices::open_media(true, None, false, None).await,
        other => other,
    }
}

fn problem_of(error: &VideoError) -> MediaProblem {
    match error {
        VideoError::PermissionDenied => MediaProblem::Denied,
        VideoError::NoDevice(_) => MediaProblem::NoDevice,
        other => MediaProblem::Other(describe(other)),
    }
}

impl SupportController {
    /// Remembers the server's media platform (on load).
    pub fn start(self, platform: PlatformInfo) {
        self.platform.set_value(Some(platform));
    }

    /// Whether the customer is still at `phase` of help session `session`.
    fn at(self, session: &str, phase: &Phase) -> bool {
        self.state
            .try_with_untracked(|s| s.session_id.as_deref() == Some(session) && &s.phase == phase)
            .unwrap_or(false)
    }

    fn session_id(self) -> Option<String> {
        self.created
            .try_with_value(|c| c.as_ref().map(|c| c.session_id.clone()))
            .flatten()
    }

    /// Sends the form: creates the help session, then checks the devices.
    pub fn request(self, request: HelpRequest) {
        self.last_request.set_value(Some(request.clone()));
        self.error.set(None);
        self.set_phase(Phase::Requesting);
        spawn_local(async move {
            let created = match api::create_session(&request).await {
                Ok(created) => created,
                Err(error) => {
                    let _ = self.error.try_set(Some(error.to_string()));
                    return self.set_phase(Phase::Form);
                }
            };
            let queue_id = QueueId::for_session(&created.session_id);
            let still_here = self
                .state
                .try_with_untracked(|s| s.phase == Phase::Requesting)
                .unwrap_or(false);
            if !still_here {
                // The page went away meanwhile: the session is cancelled.
                api::dequeue_beacon(&queue_id);
                return;
            }
            self.leave_hook
                .set_value(LeaveHook::install(queue_id.clone()));
            self.queue_id.set_value(Some(queue_id));
            self.state.update(|s| s.created(created.session_id.clone()));
            self.call.my_name.set(request.name.to_string());
            self.created.set_value(Some(created));
            self.check_media();
        });
    }

    /// Asks for the camera and microphone (again, after a refusal).
    pub fn check_media(self) {
        let Some(session) = self.session_id() else {
            return;
        };
        self.set_phase(Phase::Checking);
        spawn_local(async move {
            let result = open_devices().await;
            if !self.at(&session, &Phase::Checking) {
                if let Ok(stream) = &result {
                    devices::stop_media(stream);
                }
                return;
            }
            match result {
                Ok(stream) => {
                    // Publishing opens the same (default) devices again.
                    let choice = MediaChoice {
                        camera: (stream.get_video_tracks().length() > 0).then(String::new),
                        microphone: (stream.get_audio_tracks().length() > 0).then(String::new),
                    };
                    devices::stop_media(&stream);
                    self.call.choice.set(choice);
                    self.connect_media(session);
                }
                Err(error) => self.set_phase(Phase::Blocked(problem_of(&error))),
            }
        });
    }

    /// Connects the help session's media; the call view then publishes.
    fn connect_media(self, session: String) {
        let (Some(created), Some(platform)) = (self.created.get_value(), self.platform.get_value())
        else {
            return;
        };
        self.set_phase(Phase::Connecting);
        spawn_local(async move {
            let config = SessionConfig {
                backend: platform.backend(),
                session_id: created.session_id,
                token: created.token,
            };
            let on_event = move |event: &SessionEvent| self.on_media_event(event);
            let on_ended = move |why: String| self.fail(why);
            match self.call.connect(config, on_event, on_ended).await {
                Ok(()) if self.at(&session, &Phase::Connecting) => {
                    self.set_phase(Phase::Publishing)
                }
                Ok(()) => self.call.hang_up(),
                Err(error) if self.at(&session, &Phase::Connecting) => self.fail(describe(&error)),
                Err(_) => {}
            }
        });
    }

    /// The own video is live: join the hub, then the queue.
    pub fn published(self) {
        let Some(session) = self.session_id() else {
            return;
        };
        if !self.at(&session, &Phase::Publishing) {
            return;
        }
        self.set_phase(Phase::Queueing);
        spawn_local(async move {
            if let Err(why) = self.join_queue(session.clone()).await {
                if self.at(&session, &Phase::Queueing) {
                    self.fail(why);
                }
            }
        });
    }

    async fn join_queue(self, session: String) -> Result<(), String> {
        let (Some(created), Some(platform)) = (self.created.get_value(), self.platform.get_value())
        else {
            return Ok(());
        };
        let HelpSessionCreated { hub, .. } = created;
        let config = SessionConfig {
            backend: Backend::Local {
                ice_servers: platform.ice_servers,
            },
            session_id: hub.session_id,
            token: hub.token,
        };
        let link = Session::connect(config, move |event| self.on_hub_event(event))
            .await
            .map_err(|error| describe(&error))?;
        if !self.at(&session, &Phase::Queueing) {
            link.disconnect();
            return Ok(());
        }
        self.hub.set_value(Some(link));
        let queue_id = api::enqueue(&session)
            .await
            .map_err(|error| error.to_string())?;
        // The seed's id is `helpsession:<sessionId>`, as assumed so far;
        // should the server name it otherwise, its name counts.
        if self
            .queue_id
            .try_with_value(|known| known.as_ref() == Some(&queue_id))
            == Some(false)
        {
            self.leave_hook
                .set_value(LeaveHook::install(queue_id.clone()));
            self.queue_id.set_value(Some(queue_id));
        }
        let _ = self.state.try_update(SupportState::queued);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_failures_become_advice() {
        assert_eq!(
            problem_of(&VideoError::PermissionDenied),
            MediaProblem::Denied
        );
        assert_eq!(
            problem_of(&VideoError::NoDevice("busy".into())),
            MediaProblem::NoDevice
        );
        let other = problem_of(&VideoError::Unsupported("no WebRTC".into()));
        assert!(matches!(other, MediaProblem::Other(why) if why.contains("no WebRTC")));
    }
}
