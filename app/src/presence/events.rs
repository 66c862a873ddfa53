//! What the server tells presence clients over the hub: one JSON signal
//! of type [`PRESENCE_SIGNAL`] per [`PresenceEvent`], from the server
//! (`from: null`). A newcomer gets the list once (in chunks that respect
//! the platform's 8 KB signal limit), then only changes — one broadcast per
//! change.

use serde::{Deserialize, Serialize};

use super::model::{
    Chat, ChatEndReason, ChatId, DeclineReason, Invitation, InvitationId, RemoteUser, UserId,
    UserState,
};

/// The signal type presence events travel under.
pub const PRESENCE_SIGNAL: &str = "presence";

/// One presence event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "event",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum PresenceEvent {
    /// To a newcomer: part of the list of everyone else; `last` on the final part.
    Snapshot {
        /// Some of the others.
        users: Vec<RemoteUser>,
        /// Whether this completes the list.
        last: bool,
    },
    /// Someone joined (to everyone else).
    UserJoined {
        /// Who.
        user: RemoteUser,
    },
    /// Someone left (to everyone else).
    UserLeft {
        /// Who.
        id: UserId,
    },
    /// Someone's state changed (to everyone, them included).
    UserChanged {
        /// Who.
        id: UserId,
        /// The new state.
        state: UserState,
    },
    /// To the invitee: an invitation to answer (and, to the inviter, its echo).
    Invited {
        /// The invitation.
        invitation: Invitation,
    },
    /// To both parties: the invitation is over without a chat.
    InvitationClosed {
        /// Which.
        id: InvitationId,
        /// Why.
        reason: DeclineReason,
    },
    /// To both parties: the chat begins; fetch a token with `GET /chats?sessionId=`.
    ChatStarted {
        /// The chat.
        chat: Chat,
    },
    /// To both parties: the chat is over.
    ChatEnded {
        /// Which.
        id: ChatId,
        /// Why.
        reason: ChatEndReason,
        /// Who ended it or left, when a person did.
        by: Option<UserId>,
    },
    /// To both parties: recording started (`archive_id`) or stopped (`None`).
    RecordingChanged {
        /// Which chat.
        id: ChatId,
        /// The archive while recording.
        archive_id: Option<String>,
        /// The last finished archive, to link to afterwards.
        finished_archive_id: Option<String>,
    },
}

impl PresenceEvent {
    /// The signal data.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("presence events serialise")
    }

    /// Reads signal data; `None` if it is not a presence event.
    pub fn parse(data: &str) -> Option<Self> {
        serde_json::from_str(data).ok()
    }
}
