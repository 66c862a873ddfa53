//! Presence chat (seed 000): the shared models ([`model`]), the events the
//! server pushes over the hub ([`events`]) and, on the server side, the
//! interface the server functions call ([`backend`]).

#[cfg(feature = "ssr")]
pub mod backend;
pub mod events;
pub mod model;

pub use events::{PresenceEvent, PRESENCE_SIGNAL};
pub use model::{
    CallOptions, Chat, ChatEndReason, ChatId, DeclineReason, Invitation, InvitationId, LocalUser,
    RemoteUser, UserId, UserState,
};
