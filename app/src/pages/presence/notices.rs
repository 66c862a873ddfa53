//! What the presence page tells the person, in words: how an invitation
//! to them went away, and how a chat ended ("Chat with X ended", and why).
//! The inviter's words for a closed invitation are the shared
//! [`DeclineReason::describe`].

use crate::presence::{ChatEndReason, DeclineReason};

/// Something to tell the person, with an archive link when one was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The message.
    pub text: String,
    /// A finished recording to link to (`/archive/{id}/view`).
    pub archive: Option<String>,
}

impl Notice {
    pub(super) fn text(text: String) -> Self {
        Notice {
            text,
            archive: None,
        }
    }
}

/// The invitee's view of an invitation that went away; `None` when the
/// invitee caused it (declined, accepted another).
pub fn incoming_closed_text(inviter: &str, reason: DeclineReason) -> Option<String> {
    match reason {
        DeclineReason::Cancelled => Some(format!("{inviter} cancelled the call.")),
        DeclineReason::NoAnswer => Some(format!("You missed a call from {inviter}.")),
        DeclineReason::Left => Some(format!("{inviter} left.")),
        DeclineReason::Declined
        | DeclineReason::Busy
        | DeclineReason::NoCamera
        | DeclineReason::AcceptedAnother => None,
    }
}

/// "Chat with X ended", and why. `by_partner`: the partner reported it (a
/// no-show report names the other side). `own_failure`: this side's video
/// could not start or broke, in words — then that is the reason to give.
pub fn ended_text(
    partner: &str,
    reason: ChatEndReason,
    by_partner: bool,
    own_failure: Option<&str>,
) -> String {
    if let Some(why) = own_failure {
        return format!("Chat with {partner} ended. {why}");
    }
    match (reason, by_partner) {
        (ChatEndReason::Ended, _) => format!("Chat with {partner} ended."),
        (ChatEndReason::NoShow, false) => {
            format!("Chat with {partner} ended: {partner} did not connect.")
        }
        (ChatEndReason::NoShow, true) => {
            format!("Chat with {partner} ended: your video did not connect in time.")
        }
        // Either the server saw them leave, or this side saw them go.
        (ChatEndReason::Left, _) => format!("Chat with {partner} ended: {partner} left."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn end_texts() {
        assert_eq!(
            ended_text("Bo", ChatEndReason::Left, false, None),
            "Chat with Bo ended: Bo left."
        );
        assert_eq!(
            ended_text("Bo", ChatEndReason::NoShow, false, None),
            "Chat with Bo ended: Bo did not connect."
        );
        assert_eq!(
            ended_text("Bo", ChatEndReason::NoShow, true, None),
            "Chat with Bo ended: your video did not connect in time."
        );
        assert_eq!(
            ended_text("Bo", ChatEndReason::Left, false, Some("No camera.")),
            "Chat with Bo ended. No camera."
        );
        assert_eq!(
            incoming_closed_text("Bo", DeclineReason::NoAnswer).as_deref(),
            Some("You missed a call from Bo.")
        );
        assert_eq!(
            incoming_closed_text("Bo", DeclineReason::AcceptedAnother),
            None
        );
    }
}
