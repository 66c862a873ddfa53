//! This browser's published stream on the local backend: the camera /
//! microphone tracks, their `<video>` preview, and one [`Peer`] per
//! subscriber, created when that subscriber asks for the stream.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::{Rc, Weak};

use uuid::Uuid;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlVideoElement, MediaStream, MediaStreamTrack};

use super::peer::Peer;
use super::{media_element, Inner};
use crate::hub_protocol::{ClientMessage, StreamProperty, VideoType};
use crate::video::devices;
use crate::video::negotiation::Negotiation;
use crate::video::session::PublisherControl;

/// A published stream and its peer connections.
pub(super) struct LocalPublisher {
    session: Weak<Inner>,
    stream_id: Cell<Uuid>,
    name: String,
    media: MediaStream,
    element: HtmlVideoElement,
    has_audio: Cell<bool>,
    has_video: Cell<bool>,
    peers: RefCell<HashMap<Uuid, Rc<Peer>>>,
    closed: Cell<bool>,
}

impl LocalPublisher {
    /// Wraps opened `media`, previewed (muted) in a `<video>` in `target`.
    pub fn new(
        session: Weak<Inner>,
        stream_id: Uuid,
        name: String,
        media: MediaStream,
        target: &web_sys::HtmlElement,
    ) -> Option<Rc<LocalPublisher>> {
        let element = media_element(target, "video-feed self")?;
        devices::attach(&element, &media, true);
        let has_audio = media.get_audio_tracks().length() > 0;
        let has_video = media.get_video_tracks().length() > 0;
        Some(Rc::new(LocalPublisher {
            session,
            stream_id: Cell::new(stream_id),
            name,
            media,
            element,
            has_audio: Cell::new(has_audio),
            has_video: Cell::new(has_video),
            peers: RefCell::default(),
            closed: Cell::new(false),
        }))
    }

    /// The current stream id (a new one after each reconnection).
    pub fn stream_id(&self) -> Uuid {
        self.stream_id.get()
    }

    /// The `publish` request announcing this stream.
    pub fn announcement(&self, id: Option<String>) -> ClientMessage {
        let sends_video = self.media.get_video_tracks().length() > 0;
        ClientMessage::Publish {
            id,
            stream_id: Some(self.stream_id.get()),
            name: self.name.clone(),
            has_audio: self.has_audio.get(),
            has_video: self.has_video.get(),
            video_type: sends_video.then_some(VideoType::Camera),
        }
    }

    /// After a reconnection: the old subscribers are gone; publish anew as `stream_id`.
    pub fn restart(&self, stream_id: Uuid) {
        self.peers.borrow_mut().clear();
        self.stream_id.set(stream_id);
    }

    /// Forgets the peer connection to a subscriber that left.
    pub fn drop_peer(&self, connection: &Uuid) {
        self.peers.borrow_mut().remove(connection);
    }

    /// Handles a negotiation message from subscriber `from`.
    pub fn handle(self: &Rc<Self>, from: Uuid, message: Negotiation) {
        match message {
            Negotiation::Subscribe => {
                let this = self.clone();
                spawn_local(async move { this.offer_to(from).await });
            }
            Negotiation::Unsubscribe => self.drop_peer(&from),
            Negotiation::Answer { sdp } => {
                if let Some(peer) = self.peers.borrow().get(&from).cloned() {
                    spawn_local(async move {
                        let _ = peer.accept(&sdp).await;
                    });
                }
            }
            Negotiation::Candidate(candidate) => {
                if let Some(peer) = self.peers.borrow().get(&from).cloned() {
                    spawn_local(async move { peer.add_candidate(candidate).await });
                }
            }
            Negotiation::Offer { .. } => {}
        }
    }

    async fn offer_to(&self, subscriber: Uuid) {
        let Some(session) = self.session.upgrade() else {
            return;
        };
        if self.closed.get() {
            return;
        }
        let stream_id = self.stream_id.get();
        let relay = self.session.clone();
        let peer = match Peer::new(session.ice_servers(), move |candidate| {
            if let Some(session) = relay.upgrade() {
                session.negotiate(subscriber, stream_id, Negotiation::Candidate(candidate));
            }
        }) {
            Ok(peer) => Rc::new(peer),
            Err(_) => return,
        };
        peer.add_stream(&self.media);
        self.peers.borrow_mut().insert(subscriber, peer.clone());
        if let Ok(sdp) = peer.offer().await {
            session.negotiate(subscriber, stream_id, Negotiation::Offer { sdp });
        }
    }

    fn set_enabled(&self, audio: bool, on: bool) {
        if self.closed.get() {
            return;
        }
        let tracks = if audio {
            self.media.get_audio_tracks()
        } else {
            self.media.get_video_tracks()
        };
        if tracks.length() == 0 {
            return;
        }
        for track in tracks.iter() {
            if let Ok(track) = track.dyn_into::<MediaStreamTrack>() {
                track.set_enabled(on);
            }
        }
        let (cell, property) = if audio {
            (&self.has_audio, StreamProperty::HasAudio)
        } else {
            (&self.has_video, StreamProperty::HasVideo)
        };
        if cell.replace(on) != on {
            if let Some(session) = self.session.upgrade() {
                session.send(ClientMessage::StreamProperty {
                    id: None,
                    stream_id: self.stream_id.get(),
                    property,
                    value: on,
                });
            }
        }
    }

    /// Stops publishing: tells the hub, closes the peers, releases the devices.
    pub fn close(&self) {
        if self.closed.replace(true) {
            return;
        }
        if let Some(session) = self.session.upgrade() {
            session.unpublish(self.stream_id.get());
        }
        self.peers.borrow_mut().clear();
        devices::stop_media(&self.media);
        self.element.set_src_object(None);
        self.element.remove();
    }
}

impl PublisherControl for LocalPublisher {
    fn stream_id(&self) -> Option<String> {
        Some(self.stream_id.get().to_string())
    }

    fn set_audio(&self, on: bool) {
        self.set_enabled(true, on);
    }

    fn set_video(&self, on: bool) {
        self.set_enabled(false, on);
    }

    fn unpublish(&self) {
        self.close();
    }
}
