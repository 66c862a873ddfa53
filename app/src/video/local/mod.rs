//! The `local` backend: our hub over a WebSocket ([`link`]) for session
//! state and signalling, and browser-to-browser WebRTC ([`peer`]) for the
//! media — one peer connection per (stream, subscriber), negotiated through
//! the hub's `rtc` relay ([`Negotiation`]).
//!
//! **Reconnection.** When the link dies (closed, failed, or silent past the
//! heartbeat), the session reports `Reconnecting` and retries with
//! exponential backoff for up to a minute, with the same token. The hub
//! gives the new link a new connection id, so on success it reports
//! `Reconnected`, then every connection and stream it knew as destroyed and
//! the current ones as created (pages rebuild their tiles from that), and
//! publishes its streams again under new ids. A client the platform forced
//! out does not reconnect.

mod lifecycle;
mod link;
mod peer;
mod publisher;
mod state;
mod subscriber;

use std::rc::Rc;

use futures::channel::oneshot;
use gloo_timers::future::TimeoutFuture;
use uuid::Uuid;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlElement, HtmlVideoElement};

use super::devices;
use super::negotiation::Negotiation;
use super::session::{EventHandler, Publisher, Subscriber};
use super::types::{IceServer, PublishOptions, SessionEvent, StreamInfo};
use super::VideoError;
use crate::hub_protocol::{ClientMessage, MEDIA_SERVER};
use publisher::LocalPublisher;
use state::State;
use subscriber::LocalSubscriber;

/// First reconnection delay; doubled per attempt up to [`BACKOFF_MAX_MS`].
const BACKOFF_FIRST_MS: u32 = 500;
const BACKOFF_MAX_MS: u32 = 8_000;
/// How long to keep trying before giving up.
const RECONNECT_BUDGET_MS: u32 = 60_000;
/// How long a request may wait for its `ack`.
const REQUEST_LIMIT_MS: u32 = 10_000;

/// A session on the embedded engine.
#[derive(Clone)]
pub struct LocalSession {
    inner: Rc<Inner>,
}

/// What the session, its publishers and its subscribers share.
struct Inner {
    session_id: String,
    token: String,
    ice_servers: Vec<IceServer>,
    on_event: EventHandler,
    state: std::cell::RefCell<State>,
}

/// A `<video>` appended to `target` (with `class`), playing inline.
fn media_element(target: &HtmlElement, class: &str) -> Option<HtmlVideoElement> {
    let element = web_sys::window()?
        .document()?
        .create_element("video")
        .ok()?
        .dyn_into::<HtmlVideoElement>()
        .ok()?;
    element.set_class_name(class);
    let _ = element.set_attribute("playsinline", "");
    element.set_autoplay(true);
    target.append_child(&element).ok()?;
    Some(element)
}

fn new_stream_id() -> Uuid {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .and_then(|id| Uuid::parse_str(&id).ok())
        .unwrap_or_else(|| {
            // crypto.randomUUID needs a secure context (HTTPS or localhost);
            // elsewhere Math.random is good enough for a stream name.
            let high = (js_sys::Math::random() * u64::MAX as f64) as u64;
            let low = (js_sys::Math::random() * u64::MAX as f64) as u64;
            uuid::Builder::from_random_bytes(
                (u128::from(high) << 64 | u128::from(low)).to_be_bytes(),
            )
            .into_uuid()
        })
}

impl LocalSession {
    /// Joins `session_id` through the hub.
    pub async fn connect(
        session_id: String,
        token: String,
        ice_servers: Vec<IceServer>,
        on_event: EventHandler,
    ) -> Result<Self, VideoError> {
        let (link, welcome, incoming) = link::open(&session_id, &token).await?;
        let inner = Rc::new(Inner {
            session_id,
            token,
            ice_servers,
            on_event,
            state: Default::default(),
        });
        let initial = inner.state.borrow_mut().adopt(link, welcome);
        let runner = inner.clone();
        spawn_local(async move {
            // Deliver the people already there only after `connect` has
            // resolved, so the page holds the session when they arrive.
            TimeoutFuture::new(0).await;
            runner.emit(initial);
            runner.run(incoming).await;
        });
        Ok(LocalSession { inner })
    }

    /// This client's connection id.
    pub fn connection_id(&self) -> Option<String> {
        self.inner.state.borrow().me.map(|id| id.to_string())
    }

    /// Whether the token allows publishing.
    pub fn can_publish(&self) -> bool {
        self.inner.state.borrow().can_publish
    }

    /// Sends a signal; resolves on the hub's `ack`.
    pub async fn signal(&self, to: Option<&str>, kind: &str, data: &str) -> Result<(), VideoError> {
        let to = match to {
            Some(id) => Some(Uuid::parse_str(id).map_err(|_| VideoError::Refused {
                code: 404,
                message: format!("connection {id} is not connected"),
            })?),
            None => None,
        };
        let (kind, data) = (kind.to_owned(), data.to_owned());
        self.inner
            .request(move |id| ClientMessage::Signal {
                id,
                to,
                signal_type: Some(kind),
                data,
            })
            .await
    }

    /// Opens the devices of `options` and publishes them.
    pub async fn publish(
        &self,
        options: PublishOptions,
        target: HtmlElement,
    ) -> Result<Publisher, VideoError> {
        if !self.can_publish() {
            return Err(VideoError::Refused {
                code: 403,
                message: "this token may not publish".into(),
            });
        }
        let media = devices::open_media(
            options.audio,
            options.audio_device.as_deref(),
            options.video,
            options.video_device.as_deref(),
        )
        .await?;
        let Some(publisher) = LocalPublisher::new(
            Rc::downgrade(&self.inner),
            new_stream_id(),
            options.name,
            media.clone(),
            &target,
        ) else {
            devices::stop_media(&media);
            return Err(VideoError::Unsupported(
                "cannot create a video element".into(),
            ));
        };
        // Known before the hub answers: in a routed session the server's
        // `subscribe` may be dispatched before this future resumes.
        self.inner
            .state
            .borrow_mut()
            .publishers
            .insert(publisher.stream_id(), publisher.clone());
        let announce = publisher.clone();
        let result = self
            .inner
            .request(move |id| announce.announcement(Some(id)))
            .await;
        if let Err(error) = result {
            self.inner
                .state
                .borrow_mut()
                .publishers
                .remove(&publisher.stream_id());
            publisher.close();
            return Err(error);
        }
        Ok(Publisher(publisher))
    }

    /// Subscribes to `stream`.
    pub async fn subscribe(
        &self,
        stream: &StreamInfo,
        target: HtmlElement,
    ) -> Result<Subscriber, VideoError> {
        let not_found = || VideoError::Refused {
            code: 404,
            message: format!("stream {} not found", stream.id),
        };
        let stream_id = Uuid::parse_str(&stream.id).map_err(|_| not_found())?;
        let publisher = Uuid::parse_str(&stream.connection_id).map_err(|_| not_found())?;
        let routed = {
            let state = self.inner.state.borrow();
            if !state.streams.contains_key(&stream_id) {
                return Err(not_found());
            }
            state.routed
        };
        // Routed sessions receive every stream from the server's media router.
        let publisher = if routed { MEDIA_SERVER } else { publisher };
        let subscriber = LocalSubscriber::new(&self.inner, stream_id, publisher, &target)?;
        let replaced = self
            .inner
            .state
            .borrow_mut()
            .subscribers
            .insert(stream_id, subscriber.clone());
        if let Some(old) = replaced {
            old.close(false);
        }
        self.inner
            .negotiate(publisher, stream_id, Negotiation::Subscribe);
        Ok(Subscriber(subscriber))
    }

    /// Leaves the session.
    pub fn disconnect(&self) {
        self.inner.leave();
    }
}

impl Inner {
    fn ice_servers(&self) -> &[IceServer] {
        &self.ice_servers
    }

    /// Delivers events to the page (never while the state is borrowed).
    fn emit(&self, events: Vec<SessionEvent>) {
        for event in events {
            if self.state.borrow().left {
                return;
            }
            (self.on_event)(event);
        }
    }

    /// Sends without waiting for an answer (dropped while reconnecting).
    fn send(&self, message: ClientMessage) {
        if let Some(link) = &self.state.borrow().link {
            let _ = link.send(message);
        }
    }

    /// Relays a negotiation message about `stream_id` to `to`.
    fn negotiate(&self, to: Uuid, stream_id: Uuid, message: Negotiation) {
        let payload = serde_json::to_value(message).expect("negotiation messages serialise");
        self.send(ClientMessage::Rtc {
            id: None,
            to,
            stream_id,
            payload,
        });
    }

    fn unpublish(&self, stream_id: Uuid) {
        self.state.borrow_mut().publishers.remove(&stream_id);
        self.send(ClientMessage::Unpublish {
            id: None,
            stream_id,
        });
    }

    fn forget_subscriber(&self, stream_id: Uuid) {
        self.state.borrow_mut().subscribers.remove(&stream_id);
    }

    /// Sends a request and waits for its `ack` (or `error`).
    async fn request(&self, build: impl FnOnce(String) -> ClientMessage) -> Result<(), VideoError> {
        let (answer, answered) = oneshot::channel();
        {
            let mut state = self.state.borrow_mut();
            let id = state.next_request_id();
            let link = state.link.as_ref().ok_or(VideoError::NotConnected)?;
            link.send(build(id.clone()))?;
            state.pending.insert(id, answer);
        }
        match futures::future::select(answered, TimeoutFuture::new(REQUEST_LIMIT_MS)).await {
            futures::future::Either::Left((Ok(result), _)) => result,
            futures::future::Either::Left((Err(_), _)) => Err(VideoError::NotConnected),
            futures::future::Either::Right(_) => {
                Err(VideoError::Network("the server did not answer".into()))
            }
        }
    }
}
