//! How peer tasks talk to browsers: as the reserved connection
//! [`MEDIA_SERVER`] in the hub's `rtc` messages, with the same
//! [`Negotiation`] payloads browsers exchange in relayed sessions. The
//! router reaches the hub through the [`Signalling`] trait (the engine
//! implements it), so the media code does not depend on the hub's rooms.

use std::fmt;
use std::sync::Arc;

use app::hub_protocol::{ServerMessage, MEDIA_SERVER};
use app::video::negotiation::Negotiation;
use uuid::Uuid;

use crate::engine::Engine;
use crate::opentok::session_id::SessionId;

/// Delivery of negotiation messages to the browsers of a session.
pub trait Signalling: Send + Sync + 'static {
    /// Sends `payload` about `stream_id` to connection `to`, as coming from
    /// [`MEDIA_SERVER`]; `false` when `to` is not connected.
    fn send(&self, session: &SessionId, to: Uuid, stream_id: Uuid, payload: &Negotiation) -> bool;
}

impl Signalling for Engine {
    fn send(&self, session: &SessionId, to: Uuid, stream_id: Uuid, payload: &Negotiation) -> bool {
        let Ok(payload) = serde_json::to_value(payload) else {
            return false;
        };
        let message = ServerMessage::Rtc {
            from: MEDIA_SERVER,
            stream_id,
            payload,
        };
        self.hub().send_to(session, to, &message)
    }
}

/// One peer connection's line to its browser.
#[derive(Clone)]
pub struct Line {
    signals: Arc<dyn Signalling>,
    session: SessionId,
    to: Uuid,
    stream_id: Uuid,
}

impl fmt::Debug for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Line")
            .field("to", &self.to)
            .field("stream_id", &self.stream_id)
            .finish_non_exhaustive()
    }
}

impl Line {
    /// A line to connection `to` of `session`, about `stream_id`.
    pub fn new(
        signals: Arc<dyn Signalling>,
        session: SessionId,
        to: Uuid,
        stream_id: Uuid,
    ) -> Self {
        Line {
            signals,
            session,
            to,
            stream_id,
        }
    }

    /// Sends `payload`; `false` when the browser is gone.
    pub fn send(&self, payload: &Negotiation) -> bool {
        self.signals
            .send(&self.session, self.to, self.stream_id, payload)
    }

    /// The session.
    pub fn session(&self) -> &SessionId {
        &self.session
    }

    /// The stream negotiated.
    pub fn stream_id(&self) -> Uuid {
        self.stream_id
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Records what would be sent (for the roles' unit tests).
    #[derive(Default)]
    pub(crate) struct Recorded(pub Mutex<Vec<(Uuid, Uuid, Negotiation)>>);

    impl Signalling for Recorded {
        fn send(&self, _: &SessionId, to: Uuid, stream_id: Uuid, payload: &Negotiation) -> bool {
            let mut sent = self.0.lock().expect("not poisoned");
            sent.push((to, stream_id, payload.clone()));
            true
        }
    }

    #[test]
    fn a_line_addresses_its_browser_about_its_stream() {
        let recorded = Arc::new(Recorded::default());
        let session = SessionId::generate("123456", None, crate::opentok::model::MediaMode::Routed);
        let (to, stream) = (Uuid::new_v4(), Uuid::new_v4());
        let line = Line::new(recorded.clone(), session, to, stream);
        assert!(line.send(&Negotiation::Subscribe));
        let sent = recorded.0.lock().expect("not poisoned");
        assert_eq!(*sent, [(to, stream, Negotiation::Subscribe)]);
    }
}
