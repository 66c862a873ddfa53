//! A call's controller: the signals the call view reads, and (in the
//! browser) the actions that drive the video session — connect, publish
//! into the own tile, subscribe tiles, mute, hang up — folding the
//! session's events into [`Participants`] and the call's recordings into
//! [`CallRecording`]. Pages own one and add their own steps around it (a
//! lobby, invitations, a record button).

use leptos::prelude::*;

use super::recording::CallRecording;
use super::state::{MediaChoice, Participants};
#[cfg(feature = "hydrate")]
use crate::video::{Publisher, Session};

/// A call's reactive state; `Copy`, so event handlers capture it freely.
#[derive(Clone, Copy)]
pub struct CallController {
    /// The link dropped and is being restored.
    pub reconnecting: RwSignal<bool>,
    /// The others in the call.
    pub participants: RwSignal<Participants>,
    /// Whether (and by which archive) the call is being recorded.
    pub recording: RwSignal<CallRecording>,
    /// This person's display name.
    pub my_name: RwSignal<String>,
    /// The devices to publish.
    pub choice: RwSignal<MediaChoice>,
    /// Whether the microphone is sending.
    pub mic_on: RwSignal<bool>,
    /// Whether the camera is sending.
    pub camera_on: RwSignal<bool>,
    /// Whether own media is live (controls are enabled then).
    pub publishing: RwSignal<bool>,
    /// Why publishing failed, if it did.
    pub publish_error: RwSignal<Option<String>>,
    #[cfg(feature = "hydrate")]
    session: StoredValue<Option<Session>, LocalStorage>,
    #[cfg(feature = "hydrate")]
    publisher: StoredValue<Option<Publisher>, LocalStorage>,
}

impl Default for CallController {
    fn default() -> Self {
        Self::new()
    }
}

impl CallController {
    /// A controller with no session yet.
    pub fn new() -> Self {
        CallController {
            reconnecting: RwSignal::new(false),
            participants: RwSignal::new(Participants::default()),
            recording: RwSignal::new(CallRecording::default()),
            my_name: RwSignal::new(String::new()),
            choice: RwSignal::new(MediaChoice::default()),
            mic_on: RwSignal::new(false),
            camera_on: RwSignal::new(false),
            publishing: RwSignal::new(false),
            publish_error: RwSignal::new(None),
            #[cfg(feature = "hydrate")]
            session: StoredValue::new_local(None),
            #[cfg(feature = "hydrate")]
            publisher: StoredValue::new_local(None),
        }
    }
}

/// Words for a video error, for people.
#[cfg(feature = "hydrate")]
pub fn describe(error: &crate::video::VideoError) -> String {
    use crate::video::VideoError;
    match error {
        VideoError::PermissionDenied => {
            "Camera and microphone access is blocked. Allow it in your \
            browser's address bar and reload, or join without them."
                .into()
        }
        VideoError::NoDevice(_) => "No usable camera or microphone was found (another app may be \
            using it). Pick another one, or join without them."
            .into(),
        VideoError::Refused { code: 403, .. } => {
            "The call refused this connection. Reload the page to get a fresh invitation.".into()
        }
        VideoError::Refused { message, .. } => format!("The call refused: {message}"),
        VideoError::Network(_) => {
            "The video service could not be reached. Check your connection and try again.".into()
        }
        VideoError::NotConnected => "You are not connected to the call.".into(),
        VideoError::Unsupported(what) => format!("This browser cannot join video calls: {what}"),
    }
}

#[cfg(feature = "hydrate")]
impl CallController {
    /// Connects to the call's session. Every event updates the participants;
    /// `on_event` sees each one first (pages watch for signals, or for the
    /// partner leaving). `on_ended` runs when the platform ends the session,
    /// with the reason in words; the call is then hung up.
    pub async fn connect(
        self,
        config: crate::video::SessionConfig,
        on_event: impl Fn(&crate::video::SessionEvent) + 'static,
        on_ended: impl Fn(String) + 'static,
    ) -> Result<(), crate::video::VideoError> {
        use super::state::Notice;

        let handler = move |event: crate::video::SessionEvent| {
            on_event(&event);
            self.recording
                .try_maybe_update(|recording| (recording.apply(&event), ()));
            match self.participants.try_update(|people| people.apply(event)) {
                Some(Notice::Reconnecting) => self.reconnecting.set(true),
                Some(Notice::Reconnected) => self.reconnecting.set(false),
                Some(Notice::Ended(why)) => {
                    self.hang_up();
                    on_ended(why);
                }
                Some(Notice::None) | None => {}
            }
        };
        self.recording.set(CallRecording::default());
        let session = Session::connect(config, handler).await?;
        self.participants.set(Participants::default());
        self.session.set_value(Some(session));
        Ok(())
    }

    /// Whether a session is connected.
    pub fn is_connected(self) -> bool {
        self.session.with_value(Option::is_some)
    }

    /// Publishes the chosen devices into `target` (the own tile).
    pub fn publish_into(self, target: web_sys::HtmlElement) {
        let choice = self.choice.get_untracked();
        let Some(session) = self.session.get_value() else {
            return;
        };
        if !choice.publishes() {
            return;
        }
        let options = crate::video::PublishOptions {
            name: self.my_name.get_untracked(),
            audio: choice.microphone.is_some(),
            video: choice.camera.is_some(),
            audio_device: choice.microphone.clone().filter(|id| !id.is_empty()),
            video_device: choice.camera.clone().filter(|id| !id.is_empty()),
        };
        self.publish_error.set(None);
        leptos::task::spawn_local(async move {
            match session.publish(options, target).await {
                Ok(publisher) => {
                    if !self.is_connected() {
                        // Hung up while the camera was opening.
                        publisher.unpublish();
                        return;
                    }
                    self.publisher.set_value(Some(publisher));
                    self.mic_on.set(choice.microphone.is_some());
                    self.camera_on.set(choice.camera.is_some());
                    self.publishing.set(true);
                }
                Err(error) => self.publish_error.set(Some(describe(&error))),
            }
        });
    }

    /// Subscribes `stream` into `target`; the subscription goes into `slot`
    /// (owned by the tile, which unsubscribes when it goes away).
    pub fn subscribe_into(
        self,
        stream: crate::video::StreamInfo,
        target: web_sys::HtmlElement,
        slot: StoredValue<Option<crate::video::Subscriber>, LocalStorage>,
    ) {
        let Some(session) = self.session.get_value() else {
            return;
        };
        leptos::task::spawn_local(async move {
            if let Ok(subscriber) = session.subscribe(&stream, target).await {
                // The tile may be gone already: then stop right away.
                if let Some(Some(orphan)) = slot.try_set_value(Some(subscriber)) {
                    orphan.unsubscribe();
                }
            }
        });
    }

    /// Turns the microphone on or off.
    pub fn set_mic(self, on: bool) {
        self.publisher.with_value(|p| {
            if let Some(p) = p {
                p.set_audio(on);
            }
        });
        self.mic_on.set(on);
    }

    /// Turns the camera on or off.
    pub fn set_camera(self, on: bool) {
        self.publisher.with_value(|p| {
            if let Some(p) = p {
                p.set_video(on);
            }
        });
        self.camera_on.set(on);
    }

    /// Leaves the call: stops publishing, disconnects, forgets the others.
    pub fn hang_up(self) {
        if let Some(publisher) = self.publisher.try_update_value(Option::take).flatten() {
            publisher.unpublish();
        }
        if let Some(session) = self.session.try_update_value(Option::take).flatten() {
            session.disconnect();
        }
        let _ = self.publishing.try_set(false);
        let _ = self.reconnecting.try_set(false);
        let _ = self.participants.try_set(Participants::default());
        let _ = self.recording.try_set(CallRecording::default());
    }
}
