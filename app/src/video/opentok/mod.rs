//! The `opentok` backend of the video client: Vonage / OpenTok cloud through
//! OpenTok.js, which our own server serves ([`loader`]). [`OpenTokSession`]
//! is the backend's side of [`Session`](crate::video::Session): it joins one
//! `OT.Session` ([`state`]), reports its events as
//! [`SessionEvent`](crate::video::SessionEvent)s ([`events`]), publishes and
//! subscribes into the page's elements ([`props`], [`handles`]) and awaits
//! OpenTok.js's completion handlers ([`completion`]).

mod completion;
mod errors;
mod events;
mod ffi;
mod handles;
mod loader;
mod props;
mod state;

use std::rc::Rc;

use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;
use web_sys::HtmlElement;

use self::completion::with_completion;
use self::errors::{video_error, Operation};
use self::handles::{destroy_publisher, OtPublisher, OtSubscriber};
use self::props::{PublisherProps, SubscriberProps};
use self::state::SessionState;
use super::session::{EventHandler, Publisher, Subscriber, SubscriberControl};
use super::types::{PublishOptions, StreamInfo};
use super::VideoError;

/// A session joined through OpenTok.js. Cheap to clone; all clones are the
/// same session.
#[derive(Clone)]
pub struct OpenTokSession {
    inner: Rc<SessionState>,
}

impl OpenTokSession {
    /// Loads OpenTok.js if needed, then connects to `session_id` of project
    /// `api_key` with `token`; `on_event` receives every event from then on.
    /// A page is in a session at most once at a time: connecting again
    /// before disconnecting is refused (409).
    pub async fn connect(
        api_key: String,
        session_id: String,
        token: String,
        on_event: EventHandler,
    ) -> Result<Self, VideoError> {
        loader::ensure_loaded().await?;
        let session = ffi::init_session(&api_key, &session_id)
            .map_err(|error| video_error(&error, Operation::Connect))?;
        let inner = SessionState::new(session_id, session, on_event)?;
        // On failure `inner` is dropped here, which leaves the session.
        let ((), connected) = with_completion(|done| inner.session.connect(&token, done))
            .map_err(|error| video_error(&error, Operation::Connect))?;
        connected
            .done()
            .await
            .map_err(|error| video_error(&error, Operation::Connect))?;
        Ok(OpenTokSession { inner })
    }

    /// This client's connection id, while connected.
    pub fn connection_id(&self) -> Option<String> {
        self.inner.own_connection_id()
    }

    /// Whether the token allows publishing (`capabilities.publish`).
    pub fn can_publish(&self) -> bool {
        self.inner
            .session
            .capabilities()
            .map(|capabilities| capabilities.publish())
            .is_some_and(|allowed| allowed.as_f64() == Some(1.0) || allowed.as_bool() == Some(true))
    }

    /// Sends a signal to connection `to`, or to everyone when `None`.
    pub async fn signal(&self, to: Option<&str>, kind: &str, data: &str) -> Result<(), VideoError> {
        self.inner.ensure_open()?;
        let signal = Object::new();
        set(&signal, "type", &JsValue::from_str(kind));
        set(&signal, "data", &JsValue::from_str(data));
        if let Some(to) = to {
            set(&signal, "to", self.inner.connection(to)?.as_ref());
        }
        let ((), sent) = with_completion(|done| self.inner.session.signal(&signal, done))
            .map_err(|error| video_error(&error, Operation::Signal))?;
        sent.done()
            .await
            .map_err(|error| video_error(&error, Operation::Signal))
    }

    /// Opens the camera / microphone of `options` into an element appended
    /// to `target` and publishes them.
    pub async fn publish(
        &self,
        options: PublishOptions,
        target: HtmlElement,
    ) -> Result<Publisher, VideoError> {
        self.inner.ensure_open()?;
        let fail = |error: JsValue| video_error(&error, Operation::Publish);
        let properties = props::to_js(&PublisherProps::new(&options))?;
        let (publisher, media) =
            with_completion(|done| ffi::init_publisher(&target, &properties, done))
                .map_err(fail)?;
        let published = async {
            media.done().await?;
            self.inner
                .ensure_open()
                .map_err(|_| JsValue::from_str("left the session"))?;
            let ((), streaming) =
                with_completion(|done| self.inner.session.publish(&publisher, done))?;
            streaming.done().await
        };
        if let Err(error) = published.await {
            // Release the camera and remove the element of a failed attempt.
            destroy_publisher(&publisher);
            return Err(if self.inner.is_closed() {
                VideoError::NotConnected
            } else {
                fail(error)
            });
        }
        self.inner.add_publisher(publisher.clone());
        let control = OtPublisher::new(self.inner.session.clone(), publisher);
        Ok(Publisher(Rc::new(control)))
    }

    /// Receives `stream` into an element appended to `target`.
    pub async fn subscribe(
        &self,
        stream: &StreamInfo,
        target: HtmlElement,
    ) -> Result<Subscriber, VideoError> {
        self.inner.ensure_open()?;
        let ot_stream = self.inner.stream(&stream.id)?;
        let properties = props::to_js(&SubscriberProps::default())?;
        let fail = |error: JsValue| video_error(&error, Operation::Subscribe);
        let (subscriber, subscribed) = with_completion(|done| {
            self.inner
                .session
                .subscribe(&ot_stream, &target, &properties, done)
        })
        .map_err(fail)?;
        let control = OtSubscriber::new(self.inner.session.clone(), subscriber);
        if let Err(error) = subscribed.done().await {
            control.unsubscribe();
            return Err(fail(error));
        }
        Ok(Subscriber(Rc::new(control)))
    }

    /// Leaves: stops the event reports, destroys this client's publishers
    /// (releasing the devices) and disconnects, which also ends every
    /// subscription.
    pub fn disconnect(&self) {
        self.inner.close();
    }
}

/// Sets `key` on a fresh plain object (which cannot fail).
fn set(object: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(object, &JsValue::from_str(key), value);
}
