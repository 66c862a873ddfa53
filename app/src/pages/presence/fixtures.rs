//! Test data shared by the presence page's unit tests: users, invitations
//! and chats with small numeric ids and names "U{n}".

use uuid::Uuid;

use crate::models::DisplayName;
use crate::presence::{
    CallOptions, Chat, ChatId, Invitation, InvitationId, RemoteUser, UserId, UserState,
};

/// User `n`.
pub fn id(n: u128) -> UserId {
    UserId(Uuid::from_u128(n))
}

/// Someone else, as the list shows them.
pub fn remote(n: u128, name: &str, state: UserState) -> RemoteUser {
    RemoteUser {
        id: id(n),
        name: DisplayName::parse(name).expect("test names are valid"),
        state,
    }
}

/// Invitation `n` from user `from` ("U{from}") to user `to`.
pub fn invitation(n: u128, from: u128, to: u128) -> Invitation {
    let name = |u| DisplayName::parse(&format!("U{u}")).expect("test names are valid");
    Invitation {
        id: InvitationId(Uuid::from_u128(n)),
        from: id(from),
        from_name: name(from),
        to: id(to),
        to_name: name(to),
        options: CallOptions::default(),
        session_id: format!("s{n}"),
    }
}

/// Chat `n` (session "s{n}") between `inviter` and `invitee`.
pub fn chat(n: u128, inviter: u128, invitee: u128) -> Chat {
    Chat {
        id: ChatId(Uuid::from_u128(n)),
        session_id: format!("s{n}"),
        inviter: remote(inviter, &format!("U{inviter}"), UserState::InChat),
        invitee: remote(invitee, &format!("U{invitee}"), UserState::InChat),
        options: CallOptions::default(),
        recording: None,
    }
}
