//! What the presence pages' server functions need from the server, as a
//! trait the server implements and provides in the Leptos context
//! (`Arc<dyn PresenceBackend>`). Every call names the acting user, whom the
//! server function identified from the identity cookie; the server decides
//! every state change atomically and pushes the resulting
//! [`PresenceEvent`](super::PresenceEvent)s over the hub.

use std::sync::Arc;

use async_trait::async_trait;
use thiserror::Error;

use crate::server_errors::Refusal;

use super::model::{
    CallOptions, Chat, ChatEndReason, ChatId, DeclineReason, Invitation, InvitationId, LocalUser,
    UserId,
};

/// Why a presence request was refused; each maps to an HTTP status.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PresenceError {
    /// No (valid) identity cookie: join first. (401)
    #[error("join presence first")]
    NotJoined,
    /// Not a party of that invitation or chat. (403)
    #[error("that is not yours")]
    Forbidden,
    /// No such user, invitation or chat (any more). (404)
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The request does not fit the current state, e.g. inviting while
    /// already inviting. (409)
    #[error("{0}")]
    Conflict(String),
    /// Bad input. (400)
    #[error("{0}")]
    Invalid(String),
    /// The media platform failed. (502)
    #[error("the video service failed: {0}")]
    Unavailable(String),
}

impl Refusal for PresenceError {
    fn status(&self) -> u16 {
        match self {
            PresenceError::NotJoined => 401,
            PresenceError::Forbidden => 403,
            PresenceError::NotFound(_) => 404,
            PresenceError::Conflict(_) => 409,
            PresenceError::Invalid(_) => 400,
            PresenceError::Unavailable(_) => 502,
        }
    }
}

/// The server side of presence chat.
#[async_trait]
pub trait PresenceBackend: Send + Sync + 'static {
    /// Who the identity cookie (the `Cookie` header's value) belongs to.
    fn identify(&self, cookie_header: &str) -> Result<LocalUser, PresenceError>;

    /// `user` invites `to` (creating the chat session, as seed 000 does).
    async fn invite(
        &self,
        user: UserId,
        to: UserId,
        options: CallOptions,
    ) -> Result<Invitation, PresenceError>;

    /// The inviter withdraws their invitation.
    async fn cancel(&self, user: UserId, invitation: InvitationId) -> Result<(), PresenceError>;

    /// The invitee accepts: both are in the chat, every other invitation of
    /// either is closed.
    async fn accept(&self, user: UserId, invitation: InvitationId) -> Result<Chat, PresenceError>;

    /// The invitee declines, saying why (`declined`, `busy`, `no-camera`).
    async fn decline(
        &self,
        user: UserId,
        invitation: InvitationId,
        reason: DeclineReason,
    ) -> Result<(), PresenceError>;

    /// A party ends the chat (or reports the partner never came / left).
    async fn end_chat(
        &self,
        user: UserId,
        chat: ChatId,
        reason: ChatEndReason,
    ) -> Result<(), PresenceError>;

    /// A party starts recording the chat; the archive id.
    async fn start_recording(&self, user: UserId, chat: ChatId) -> Result<String, PresenceError>;

    /// A party stops recording the chat.
    async fn stop_recording(&self, user: UserId, chat: ChatId) -> Result<(), PresenceError>;

    /// Whether recording chats is possible on this server (not yet on the
    /// embedded engine).
    fn can_record(&self) -> bool;
}

/// The handle server functions take from the context.
pub type SharedPresence = Arc<dyn PresenceBackend>;
