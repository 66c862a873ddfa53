//! Watching the customer in their call (seed 002's 5-second rule): once the
//! representative is connected, the customer's stream has [`ARRIVAL_MS`]
//! to arrive, or the customer is skipped; when it goes away for good the
//! call is over; when their link merely dropped they get the same time to
//! come back. [`CustomerWatch`] is plain data that turns the call's events
//! into what to do; the page runs the timer and tells the server.

use crate::video::{Reason, SessionEvent};

/// How long the customer's stream has to arrive (or come back), in ms.
pub const ARRIVAL_MS: u32 = 5_000;

/// What the page should do about the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchAction {
    /// Nothing changes.
    Nothing,
    /// The customer's stream is here: stop the timer.
    Disarm,
    /// Their link dropped: start the timer again.
    Arm,
    /// They left: the call is over.
    Left,
}

/// What the timer running out means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    /// The stream never arrived: skip the customer.
    Skip,
    /// It arrived once and did not come back: the customer left.
    Lost,
    /// It is here after all.
    Present,
}

/// Whether the customer's stream is in the call. In a help session every
/// other stream is the customer's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerWatch {
    /// The stream being received, and its connection.
    stream: Option<(String, String)>,
    /// Whether a stream ever arrived.
    seen: bool,
}

impl CustomerWatch {
    /// Whether the customer's stream is here now.
    pub fn present(&self) -> bool {
        self.stream.is_some()
    }

    /// Folds in an event of the customer's call.
    pub fn on_event(&mut self, event: &SessionEvent) -> WatchAction {
        match event {
            SessionEvent::StreamCreated(stream) => {
                self.stream = Some((stream.id.clone(), stream.connection_id.clone()));
                self.seen = true;
                WatchAction::Disarm
            }
            SessionEvent::StreamDestroyed { stream, reason } => {
                if self.stream.as_ref().map(|(id, _)| id) != Some(&stream.id) {
                    return WatchAction::Nothing;
                }
                self.stream = None;
                match reason {
                    Reason::NetworkDisconnected => WatchAction::Arm,
                    Reason::ClientDisconnected | Reason::ForceDisconnected => WatchAction::Left,
                }
            }
            SessionEvent::ConnectionDestroyed { connection, reason } => {
                let theirs = self
                    .stream
                    .as_ref()
                    .is_some_and(|(_, owner)| *owner == connection.id);
                if !theirs {
                    return WatchAction::Nothing;
                }
                self.stream = None;
                match reason {
                    Reason::NetworkDisconnected => WatchAction::Arm,
                    Reason::ClientDisconnected | Reason::ForceDisconnected => WatchAction::Left,
                }
            }
            _ => WatchAction::Nothing,
        }
    }

    /// The timer ran out.
    pub fn expired(&self) -> Expiry {
        match (self.present(), self.seen) {
            (true, _) => Expiry::Present,
            (false, false) => Expiry::Skip,
            (false, true) => Expiry::Lost,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::video::{Connection, StreamInfo, VideoType};

    fn stream(id: &str) -> StreamInfo {
        StreamInfo {
            id: id.into(),
            connection_id: format!("c-{id}"),
            name: "Ann".into(),
            has_audio: true,
            has_video: true,
            video_type: Some(VideoType::Camera),
        }
    }

    fn gone(id: &str, reason: Reason) -> SessionEvent {
        SessionEvent::StreamDestroyed {
            stream: stream(id),
            reason,
        }
    }

    #[test]
    fn a_customer_who_never_publishes_is_skipped() {
        let mut watch = CustomerWatch::default();
        assert_eq!(watch.expired(), Expiry::Skip);
        let someone = SessionEvent::ConnectionCreated(Connection {
            id: "c-x".into(),
            data: String::new(),
            creation_time: 1,
        });
        // A connection alone is not video.
        assert_eq!(watch.on_event(&someone), WatchAction::Nothing);
        assert_eq!(watch.expired(), Expiry::Skip);
    }

    #[test]
    fn the_stream_arriving_disarms_and_leaving_ends() {
        let mut watch = CustomerWatch::default();
        assert_eq!(
            watch.on_event(&SessionEvent::StreamCreated(stream("s"))),
            WatchAction::Disarm
        );
        assert_eq!(watch.expired(), Expiry::Present);
        assert_eq!(
            watch.on_event(&gone("other", Reason::ClientDisconnected)),
            WatchAction::Nothing
        );
        assert_eq!(
            watch.on_event(&gone("s", Reason::ClientDisconnected)),
            WatchAction::Left
        );
        assert!(!watch.present());
    }

    #[test]
    fn a_dropped_customer_gets_time_to_come_back() {
        let mut watch = CustomerWatch::default();
        watch.on_event(&SessionEvent::StreamCreated(stream("s")));
        let dropped = SessionEvent::ConnectionDestroyed {
            connection: Connection {
                id: "c-s".into(),
                data: String::new(),
                creation_time: 1,
            },
            reason: Reason::NetworkDisconnected,
        };
        assert_eq!(watch.on_event(&dropped), WatchAction::Arm);
        assert_eq!(watch.expired(), Expiry::Lost);
        assert_eq!(
            watch.on_event(&SessionEvent::StreamCreated(stream("s2"))),
            WatchAction::Disarm
        );
        assert_eq!(watch.expired(), Expiry::Present);
    }
}
