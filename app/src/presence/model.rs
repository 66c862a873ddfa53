//! The typed models of presence chat (seed 000), shared by the server's
//! state machine, the hub messages and the UI: who is online and in which
//! state, invitations with their call options, chats, and why an
//! invitation or a chat ended.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::models::DisplayName;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// Parses the canonical text form.
            pub fn parse(raw: &str) -> Option<Self> {
                Uuid::parse_str(raw.trim()).ok().map($name)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A person who joined presence (the identity cookie names it).
    UserId
);
id_type!(
    /// One invitation.
    InvitationId
);
id_type!(
    /// One chat.
    ChatId
);

/// The person using this browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalUser {
    /// Their id.
    pub id: UserId,
    /// Their display name.
    pub name: DisplayName,
}

/// Where a person stands; only `Available` people can be invited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum UserState {
    /// Free to be invited.
    Available,
    /// Waiting for an answer to their own invitation.
    InvitePending,
    /// In a chat.
    InChat,
}

/// Someone else in presence, as the buddy list shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoteUser {
    /// Their id.
    pub id: UserId,
    /// Their display name.
    pub name: DisplayName,
    /// Their state.
    pub state: UserState,
}

/// How a call should go (seed 003's `CallOptions`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallOptions {
    /// Audio only: nobody's camera is opened.
    #[serde(default)]
    pub audio_only: bool,
    /// Accept automatically after this many seconds (1–60), with a
    /// countdown shown to the invitee, who may still decline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accept_after: Option<u8>,
}

impl CallOptions {
    /// The longest auto-accept countdown, in seconds.
    pub const MAX_ACCEPT_AFTER: u8 = 60;

    /// Whether the options are acceptable.
    pub fn is_valid(&self) -> bool {
        self.accept_after
            .is_none_or(|s| (1..=Self::MAX_ACCEPT_AFTER).contains(&s))
    }
}

/// An invitation to a 1:1 chat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    /// Its id.
    pub id: InvitationId,
    /// Who invites.
    pub from: UserId,
    /// The inviter's name.
    pub from_name: DisplayName,
    /// Who is invited.
    pub to: UserId,
    /// The invitee's name.
    pub to_name: DisplayName,
    /// How the call should go.
    pub options: CallOptions,
    /// The chat session prepared for it (seed 000 creates it with the invitation).
    pub session_id: String,
}

/// Why an invitation ended without a chat; the inviter is told in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeclineReason {
    /// The invitee said no.
    Declined,
    /// The invitee was not available (inviting someone, or in a chat).
    Busy,
    /// The invitee has no usable camera.
    NoCamera,
    /// Nobody answered within the ring timeout.
    NoAnswer,
    /// The inviter withdrew it.
    Cancelled,
    /// One of the two left.
    Left,
    /// The invitee accepted another invitation (or the inviter was
    /// accepted by someone else).
    AcceptedAnother,
}

impl DeclineReason {
    /// The inviter's view, in words: "Ada declined.", "Ada is busy.", …
    pub fn describe(self, invitee: &str) -> String {
        match self {
            DeclineReason::Declined => format!("{invitee} declined."),
            DeclineReason::Busy => format!("{invitee} is busy."),
            DeclineReason::NoCamera => format!("{invitee} has no camera available."),
            DeclineReason::NoAnswer => format!("{invitee} did not answer."),
            DeclineReason::Cancelled => "The invitation was cancelled.".to_owned(),
            DeclineReason::Left => format!("{invitee} left."),
            DeclineReason::AcceptedAnother => format!("{invitee} took another call."),
        }
    }
}

/// A 1:1 chat between an inviter and an invitee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chat {
    /// Its id.
    pub id: ChatId,
    /// The media session (`GET /chats?sessionId=` hands tokens for it).
    pub session_id: String,
    /// Who invited.
    pub inviter: RemoteUser,
    /// Who accepted.
    pub invitee: RemoteUser,
    /// How the call goes.
    pub options: CallOptions,
    /// The archive recording it, if recording.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recording: Option<String>,
}

impl Chat {
    /// The other party, seen from `me`.
    pub fn partner(&self, me: UserId) -> &RemoteUser {
        if self.inviter.id == me {
            &self.invitee
        } else {
            &self.inviter
        }
    }
}

/// Why a chat ended; both parties see "chat with X ended" plus this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChatEndReason {
    /// A party pressed "End chat".
    Ended,
    /// The other party did not connect within 15 s.
    NoShow,
    /// A party left the chat or presence (tab closed, network lost).
    Left,
}
