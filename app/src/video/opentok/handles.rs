//! The OpenTok.js publisher and subscriber behind the pages' [`Publisher`]
//! and [`Subscriber`](crate::video::Subscriber) handles: muting maps to
//! `publishAudio` / `publishVideo`, leaving to `unpublish` + `destroy` and
//! `unsubscribe`.
//!
//! [`Publisher`]: crate::video::Publisher

use leptos::logging::warn;

use super::ffi;
use crate::video::session::{PublisherControl, SubscriberControl};

/// A published `OT.Publisher`.
pub(super) struct OtPublisher {
    session: ffi::Session,
    publisher: ffi::Publisher,
}

impl OtPublisher {
    /// Wraps `publisher`, published into `session`.
    pub(super) fn new(session: ffi::Session, publisher: ffi::Publisher) -> OtPublisher {
        OtPublisher { session, publisher }
    }
}

impl PublisherControl for OtPublisher {
    fn stream_id(&self) -> Option<String> {
        self.publisher.stream().map(|stream| stream.stream_id())
    }

    fn set_audio(&self, on: bool) {
        if let Err(error) = self.publisher.publish_audio(on) {
            warn!("OpenTok.js publishAudio({on}) failed: {error:?}");
        }
    }

    fn set_video(&self, on: bool) {
        if let Err(error) = self.publisher.publish_video(on) {
            warn!("OpenTok.js publishVideo({on}) failed: {error:?}");
        }
    }

    fn unpublish(&self) {
        // Both are no-ops when already done (e.g. after the session ended).
        let _ = self.session.unpublish(&self.publisher);
        destroy_publisher(&self.publisher);
    }
}

/// Stops `publisher`, releases its devices and removes its element.
pub(super) fn destroy_publisher(publisher: &ffi::Publisher) {
    if let Err(error) = publisher.destroy() {
        warn!("OpenTok.js publisher.destroy() failed: {error:?}");
    }
}

/// A subscribed `OT.Subscriber`.
pub(super) struct OtSubscriber {
    session: ffi::Session,
    subscriber: ffi::Subscriber,
}

impl OtSubscriber {
    /// Wraps `subscriber`, subscribed through `session`.
    pub(super) fn new(session: ffi::Session, subscriber: ffi::Subscriber) -> OtSubscriber {
        OtSubscriber {
            session,
            subscriber,
        }
    }
}

impl SubscriberControl for OtSubscriber {
    fn unsubscribe(&self) {
        // OpenTok.js removes the subscriber's element itself; unsubscribing a
        // subscriber whose stream already ended is a no-op.
        if let Err(error) = self.session.unsubscribe(&self.subscriber) {
            warn!("OpenTok.js unsubscribe failed: {error:?}");
        }
    }
}
