//! The `connect` handshake of a new socket: the first frame must be
//! `connect` with a session id and a token, in time; the token must be
//! valid and for that session, and the session must exist. What it admits
//! includes whether the session's media is routed through the server.

use axum::extract::ws::{Message, WebSocket};

use super::super::error::HubError;
use super::super::protocol::ClientMessage;
use crate::engine::Engine;
use crate::opentok::model::MediaMode;
use crate::opentok::session_id::SessionId;
use crate::opentok::token::Role;

/// What a verified `connect` admits.
pub(super) struct Admission {
    /// The session joined.
    pub session_id: SessionId,
    /// Whether its media is routed through the server.
    pub routed: bool,
    /// The token's role.
    pub role: Role,
    /// The token's connection data.
    pub data: Option<String>,
}

/// Reads and checks the `connect` frame.
pub(super) async fn handshake(
    engine: &Engine,
    socket: &mut WebSocket,
) -> Result<Admission, HubError> {
    let timeout = engine.hub().config().handshake_timeout;
    let first = tokio::time::timeout(timeout, socket.recv())
        .await
        .map_err(|_| HubError::Invalid("no connect message in time".into()))?;
    let Some(Ok(Message::Text(text))) = first else {
        return Err(HubError::Invalid(
            "the first message must be connect".into(),
        ));
    };
    let Ok(ClientMessage::Connect { session_id, token }) = serde_json::from_str(text.as_str())
    else {
        return Err(HubError::Invalid(
            "the first message must be connect".into(),
        ));
    };
    let session_id =
        SessionId::parse(&session_id).map_err(|_| HubError::not_found("session not found"))?;
    let verified = engine
        .token_verifier()
        .verify(token.expose())
        .map_err(|err| HubError::forbidden(err.to_string()))?;
    if verified.session_id != session_id {
        return Err(HubError::forbidden("the token is for another session"));
    }
    let routed = match engine.session(&session_id).await {
        Ok(Some(session)) => session.options.media_mode == MediaMode::Routed,
        Ok(None) => return Err(HubError::not_found("session not found")),
        Err(err) => {
            tracing::error!(error = %err, "session look-up failed during connect");
            return Err(HubError::not_found("session not found"));
        }
    };
    Ok(Admission {
        session_id,
        routed,
        role: verified.role,
        data: verified.connection_data,
    })
}
