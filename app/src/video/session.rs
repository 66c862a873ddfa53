//! The one API pages use for live video: [`Session::connect`], signals,
//! [`Session::publish`] / [`Session::subscribe`] into an element of the
//! page, and [`SessionEvent`]s through a callback. Which backend carries it
//! — our hub ([`local`](super::local)) or OpenTok.js
//! ([`opentok`](super::opentok)) — is chosen by [`SessionConfig::backend`];
//! the page code is the same for both.

use std::rc::Rc;

use web_sys::HtmlElement;

use super::error::VideoError;
use super::types::{Backend, PublishOptions, SessionConfig, SessionEvent, StreamInfo};
use super::{local, opentok};

/// Receives a session's events.
pub type EventHandler = Rc<dyn Fn(SessionEvent)>;

/// A joined session. Cheap to clone; all clones are the same session.
#[derive(Clone)]
pub struct Session {
    backend: SessionBackend,
}

#[derive(Clone)]
enum SessionBackend {
    Local(local::LocalSession),
    OpenTok(opentok::OpenTokSession),
}

impl Session {
    /// Connects to `config.session_id` with `config.token`; `on_event`
    /// receives every [`SessionEvent`] from then on (starting with the
    /// connections and streams already there). Resolves once connected.
    pub async fn connect(
        config: SessionConfig,
        on_event: impl Fn(SessionEvent) + 'static,
    ) -> Result<Session, VideoError> {
        let on_event: EventHandler = Rc::new(on_event);
        let backend = match config.backend {
            Backend::Local { ice_servers } => SessionBackend::Local(
                local::LocalSession::connect(
                    config.session_id,
                    config.token,
                    ice_servers,
                    on_event,
                )
                .await?,
            ),
            Backend::OpenTok { api_key } => SessionBackend::OpenTok(
                opentok::OpenTokSession::connect(
                    api_key,
                    config.session_id,
                    config.token,
                    on_event,
                )
                .await?,
            ),
        };
        Ok(Session { backend })
    }

    /// This client's connection id (it changes after a reconnection on the
    /// local backend).
    pub fn connection_id(&self) -> Option<String> {
        match &self.backend {
            SessionBackend::Local(s) => s.connection_id(),
            SessionBackend::OpenTok(s) => s.connection_id(),
        }
    }

    /// Whether the token allows publishing.
    pub fn can_publish(&self) -> bool {
        match &self.backend {
            SessionBackend::Local(s) => s.can_publish(),
            SessionBackend::OpenTok(s) => s.can_publish(),
        }
    }

    /// Sends a signal to one connection, or to everyone (this client too)
    /// when `to` is `None`. Resolves when the platform accepted it.
    pub async fn signal(&self, to: Option<&str>, kind: &str, data: &str) -> Result<(), VideoError> {
        match &self.backend {
            SessionBackend::Local(s) => s.signal(to, kind, data).await,
            SessionBackend::OpenTok(s) => s.signal(to, kind, data).await,
        }
    }

    /// Opens the camera / microphone of `options`, shows them in a `<video>`
    /// appended to `target` (muted, mirrored by CSS) and publishes them.
    pub async fn publish(
        &self,
        options: PublishOptions,
        target: HtmlElement,
    ) -> Result<Publisher, VideoError> {
        match &self.backend {
            SessionBackend::Local(s) => s.publish(options, target).await,
            SessionBackend::OpenTok(s) => s.publish(options, target).await,
        }
    }

    /// Receives `stream` into a `<video>` appended to `target`.
    pub async fn subscribe(
        &self,
        stream: &StreamInfo,
        target: HtmlElement,
    ) -> Result<Subscriber, VideoError> {
        match &self.backend {
            SessionBackend::Local(s) => s.subscribe(stream, target).await,
            SessionBackend::OpenTok(s) => s.subscribe(stream, target).await,
        }
    }

    /// Leaves the session: unpublishes, unsubscribes, closes the link. No
    /// further events are delivered.
    pub fn disconnect(&self) {
        match &self.backend {
            SessionBackend::Local(s) => s.disconnect(),
            SessionBackend::OpenTok(s) => s.disconnect(),
        }
    }
}

/// What a backend's publisher does; [`Publisher`] hands it to pages.
pub(crate) trait PublisherControl {
    /// The published stream's id, once the platform assigned it.
    fn stream_id(&self) -> Option<String>;
    /// Turns the microphone on or off (others see `hasAudio` change).
    fn set_audio(&self, on: bool);
    /// Turns the camera on or off (others see `hasVideo` change).
    fn set_video(&self, on: bool);
    /// Stops publishing, releases the devices and removes the `<video>`.
    fn unpublish(&self);
}

/// What a backend's subscriber does; [`Subscriber`] hands it to pages.
pub(crate) trait SubscriberControl {
    /// Stops receiving and removes the `<video>`.
    fn unsubscribe(&self);
}

/// This client's published stream.
#[derive(Clone)]
pub struct Publisher(pub(crate) Rc<dyn PublisherControl>);

impl Publisher {
    /// The stream id, once the platform assigned it.
    pub fn stream_id(&self) -> Option<String> {
        self.0.stream_id()
    }

    /// Turns the microphone on or off; others see the stream's `hasAudio` change.
    pub fn set_audio(&self, on: bool) {
        self.0.set_audio(on);
    }

    /// Turns the camera on or off; others see the stream's `hasVideo` change.
    pub fn set_video(&self, on: bool) {
        self.0.set_video(on);
    }

    /// Stops publishing and releases the camera and microphone.
    pub fn unpublish(&self) {
        self.0.unpublish();
    }
}

/// A stream this client receives.
#[derive(Clone)]
pub struct Subscriber(pub(crate) Rc<dyn SubscriberControl>);

impl Subscriber {
    /// Stops receiving the stream and removes its `<video>`.
    pub fn unsubscribe(&self) {
        self.0.unsubscribe();
    }
}
