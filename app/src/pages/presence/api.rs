//! The presence page's calls to seed 000's HTTP routes (browser only, same
//! origin so the identity cookie is stored and sent): the presence session
//! (`GET /presence`), joining (`POST /users`), who this browser is after a reload
//! (`GET /users/me`) and a chat's credentials (`GET /chats?sessionId=`).
//! Tokens are not `Debug`: they never reach a log.

use gloo_net::http::{Request, Response};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::models::{DisplayName, ErrorBody, RoomCredentials};
use crate::presence::LocalUser;

/// Why a call failed, in words for people.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ApiError {
    /// No answer at all.
    #[error("The server could not be reached. Check your connection and try again.")]
    Unreachable,
    /// The server refused, with its own message.
    #[error("{message}")]
    Refused {
        /// The HTTP status.
        status: u16,
        /// The server's `{error}` text.
        message: String,
    },
    /// The answer was not what the route promises.
    #[error("The server gave an unexpected answer ({0}).")]
    Unexpected(String),
}

/// `GET /presence`: the presence session (no token).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PresenceSession {
    /// The session everyone's presence travels in.
    pub session_id: String,
}

#[derive(Serialize)]
struct JoinRequest<'a> {
    name: &'a str,
}

/// `POST /users` and `GET /users/me`: who this browser is, with a presence token.
#[derive(Deserialize)]
pub struct Me {
    /// The person.
    pub user: LocalUser,
    /// A client token for the presence session (subscriber).
    pub token: String,
}

async fn read<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    if response.ok() {
        return response
            .json::<T>()
            .await
            .map_err(|error| ApiError::Unexpected(error.to_string()));
    }
    let status = response.status();
    let message = match response.json::<ErrorBody>().await {
        Ok(body) => body.error,
        Err(_) => format!("The server answered {status}."),
    };
    Err(ApiError::Refused { status, message })
}

/// The presence session's id.
pub async fn presence_session() -> Result<PresenceSession, ApiError> {
    // The page lives at the same path: ask for JSON.
    let response = Request::get("/presence")
        .header("Accept", "application/json")
        .send()
        .await
        .map_err(|_| ApiError::Unreachable)?;
    read(response).await
}

/// Joins under `name`; the server sets the identity cookie.
pub async fn join(name: &DisplayName) -> Result<Me, ApiError> {
    let response = Request::post("/users")
        .json(&JoinRequest {
            name: name.as_str(),
        })
        .map_err(|error| ApiError::Unexpected(error.to_string()))?
        .send()
        .await
        .map_err(|_| ApiError::Unreachable)?;
    read(response).await
}

/// Who the identity cookie names; `None` when there is none (or it is
/// no longer valid).
pub async fn me() -> Result<Option<Me>, ApiError> {
    let response = Request::get("/users/me")
        .send()
        .await
        .map_err(|_| ApiError::Unreachable)?;
    match read::<Me>(response).await {
        Ok(me) => Ok(Some(me)),
        Err(ApiError::Refused { status: 401, .. }) => Ok(None),
        Err(error) => Err(error),
    }
}

/// Credentials for the chat in `session_id` (only its two parties get them).
pub async fn chat_credentials(session_id: &str) -> Result<RoomCredentials, ApiError> {
    let url = format!(
        "/chats?sessionId={}",
        js_sys::encode_uri_component(session_id)
    );
    let response = Request::get(&url)
        .send()
        .await
        .map_err(|_| ApiError::Unreachable)?;
    read(response).await
}
