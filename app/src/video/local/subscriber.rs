//! A stream this browser receives on the local backend: one [`Peer`] to the
//! stream's publisher, answering its offer, playing the remote tracks in a
//! `<video>` inside the page's element.

use std::cell::Cell;
use std::rc::{Rc, Weak};

use uuid::Uuid;
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlVideoElement;

use super::peer::Peer;
use super::{media_element, Inner};
use crate::video::devices;
use crate::video::negotiation::Negotiation;
use crate::video::session::SubscriberControl;
use crate::video::VideoError;

/// A subscription and its peer connection.
pub(super) struct LocalSubscriber {
    session: Weak<Inner>,
    stream_id: Uuid,
    publisher: Uuid,
    peer: Rc<Peer>,
    element: HtmlVideoElement,
    closed: Cell<bool>,
}

impl LocalSubscriber {
    /// Prepares to receive `stream_id` from `publisher` into `target`; the
    /// caller then asks the publisher with [`Negotiation::Subscribe`].
    pub fn new(
        session: &Rc<Inner>,
        stream_id: Uuid,
        publisher: Uuid,
        target: &web_sys::HtmlElement,
    ) -> Result<Rc<LocalSubscriber>, VideoError> {
        let element = media_element(target, "video-feed")
            .ok_or_else(|| VideoError::Unsupported("cannot create a video element".into()))?;
        let relay = Rc::downgrade(session);
        let peer = Peer::new(session.ice_servers(), move |candidate| {
            if let Some(session) = relay.upgrade() {
                session.negotiate(publisher, stream_id, Negotiation::Candidate(candidate));
            }
        })?;
        let screen = element.clone();
        peer.on_stream(move |media| devices::attach(&screen, &media, false));
        Ok(Rc::new(LocalSubscriber {
            session: Rc::downgrade(session),
            stream_id,
            publisher,
            peer: Rc::new(peer),
            element,
            closed: Cell::new(false),
        }))
    }

    /// Handles a negotiation message from the publisher.
    pub fn handle(&self, message: Negotiation) {
        if self.closed.get() {
            return;
        }
        let peer = self.peer.clone();
        match message {
            Negotiation::Offer { sdp } => {
                let session = self.session.clone();
                let (publisher, stream_id) = (self.publisher, self.stream_id);
                spawn_local(async move {
                    if let Ok(answer) = peer.answer(&sdp).await {
                        if let Some(session) = session.upgrade() {
                            session.negotiate(
                                publisher,
                                stream_id,
                                Negotiation::Answer { sdp: answer },
                            );
                        }
                    }
                });
            }
            Negotiation::Candidate(candidate) => {
                spawn_local(async move { peer.add_candidate(candidate).await });
            }
            Negotiation::Subscribe | Negotiation::Unsubscribe | Negotiation::Answer { .. } => {}
        }
    }

    /// Stops receiving and removes the `<video>`; `tell` asks the publisher
    /// to close its side too (pointless when it is gone).
    pub fn close(&self, tell: bool) {
        if self.closed.replace(true) {
            return;
        }
        if let Some(session) = self.session.upgrade() {
            if tell {
                session.negotiate(self.publisher, self.stream_id, Negotiation::Unsubscribe);
            }
            session.forget_subscriber(self.stream_id);
        }
        self.peer.close();
        self.element.set_src_object(None);
        self.element.remove();
    }
}

impl SubscriberControl for LocalSubscriber {
    fn unsubscribe(&self) {
        self.close(true);
    }
}
