//! Watching the partner of a 1:1 chat (the seed waited forever): when the
//! chat starts they have [`NO_SHOW_MS`] to connect; when they leave the
//! chat's session the chat ends; when their link merely dropped they get
//! the same grace to come back. [`PartnerWatch`] is plain data that turns
//! the chat session's events into what to do; the page runs the timer and
//! asks the server to end the chat.

use crate::presence::ChatEndReason;
use crate::video::{Reason, SessionEvent};

/// How long the partner has to connect (or reconnect), in milliseconds.
pub const NO_SHOW_MS: u32 = 15_000;

/// What the page should do about the partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchAction {
    /// Nothing changes.
    Nothing,
    /// The partner is here: stop the timer.
    Disarm,
    /// Start the timer; when it fires, end the chat for this reason.
    Arm(ChatEndReason),
    /// End the chat now, for this reason.
    EndNow(ChatEndReason),
}

/// Whether the partner is in the chat's session.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartnerWatch {
    /// The partner's connection, while connected.
    partner: Option<String>,
}

impl PartnerWatch {
    /// The chat just started: the partner has not connected yet.
    pub fn start() -> (Self, WatchAction) {
        (
            PartnerWatch::default(),
            WatchAction::Arm(ChatEndReason::NoShow),
        )
    }

    /// Folds in an event of the chat's session. In a 1:1 chat every other
    /// connection is the partner.
    pub fn on_event(&mut self, event: &SessionEvent) -> WatchAction {
        match event {
            SessionEvent::ConnectionCreated(connection) => {
                self.partner = Some(connection.id.clone());
                WatchAction::Disarm
            }
            SessionEvent::ConnectionDestroyed { connection, reason } => {
                if self.partner.as_deref() != Some(connection.id.as_str()) {
                    return WatchAction::Nothing;
                }
                self.partner = None;
                match reason {
                    // Their network dropped: they may come back.
                    Reason::NetworkDisconnected => WatchAction::Arm(ChatEndReason::Left),
                    Reason::ClientDisconnected | Reason::ForceDisconnected => {
                        WatchAction::EndNow(ChatEndReason::Left)
                    }
                }
            }
            _ => WatchAction::Nothing,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::video::Connection;

    fn connection(id: &str) -> Connection {
        Connection {
            id: id.into(),
            data: String::new(),
            creation_time: 1,
        }
    }

    fn gone(id: &str, reason: Reason) -> SessionEvent {
        SessionEvent::ConnectionDestroyed {
            connection: connection(id),
            reason,
        }
    }

    #[test]
    fn the_partner_must_come_and_leaving_ends_the_chat() {
        let (mut watch, first) = PartnerWatch::start();
        assert_eq!(first, WatchAction::Arm(ChatEndReason::NoShow));
        assert!(watch.partner.is_none());
        let arrived = watch.on_event(&SessionEvent::ConnectionCreated(connection("p")));
        assert_eq!(arrived, WatchAction::Disarm);
        assert!(watch.partner.is_some());
        assert_eq!(
            watch.on_event(&SessionEvent::Reconnecting),
            WatchAction::Nothing
        );
        assert_eq!(
            watch.on_event(&gone("someone-else", Reason::ClientDisconnected)),
            WatchAction::Nothing
        );
        assert_eq!(
            watch.on_event(&gone("p", Reason::ClientDisconnected)),
            WatchAction::EndNow(ChatEndReason::Left)
        );
        assert!(watch.partner.is_none());
    }

    #[test]
    fn a_dropped_partner_gets_time_to_come_back() {
        let (mut watch, _) = PartnerWatch::start();
        watch.on_event(&SessionEvent::ConnectionCreated(connection("p")));
        assert_eq!(
            watch.on_event(&gone("p", Reason::NetworkDisconnected)),
            WatchAction::Arm(ChatEndReason::Left)
        );
        // Back over a fresh connection.
        assert_eq!(
            watch.on_event(&SessionEvent::ConnectionCreated(connection("p2"))),
            WatchAction::Disarm
        );
    }
}
