//! Seed 000's HTTP contract, with identity: every failure is a 4xx/5xx with
//! a JSON `{error}` body.
//!
//! - `GET /presence` (asking for JSON) → `{apiKey, sessionId}` of the
//!   presence session, no token. The page of the same path answers
//!   browsers, so this one is served by a layer ([`serve_presence_info`])
//!   to requests whose `Accept` names JSON and not HTML.
//! - `POST /users` `{name}` → `{token, user}` (a subscriber token whose
//!   data is `{"name","userId"}`) and the identity cookie. A bad name or
//!   body is 400 with neither. With a valid cookie and no name, the same
//!   person rejoins. A new name is a new person.
//! - `GET /users/me` (cookie) → `{user, token}`, or 401.
//! - `POST /chats` (cookie) `{invitee, options?}` → invites and answers
//!   `{apiKey, sessionId, token, invitationId}`: the inviter's token for
//!   the chat session. 401 / 404 (no such invitee) / 409 (inviter busy).
//! - `GET /chats?sessionId=` (cookie) → `{apiKey, sessionId, token}` for
//!   the two parties of that chat or open invitation only: 403 for anyone
//!   else, 401 without identity, 404 for a missing or unknown session.

use app::models::{DisplayName, RoomCredentials};
use app::presence::backend::{PresenceBackend, PresenceError};
use app::presence::{CallOptions, InvitationId, LocalUser, UserId};
use app::server_errors::Refusal;
use axum::body::Bytes;
use axum::extract::{RawQuery, Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use super::service::PresenceService;

/// Why a presence route refused.
#[derive(Debug, thiserror::Error)]
pub enum RouteError {
    /// The request body or query is malformed (400).
    #[error("{0}")]
    BadRequest(String),
    /// The service refused (its own status).
    #[error(transparent)]
    Presence(#[from] PresenceError),
}

impl IntoResponse for RouteError {
    fn into_response(self) -> Response {
        let status = match &self {
            RouteError::BadRequest(_) => StatusCode::BAD_REQUEST,
            RouteError::Presence(err) => {
                StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            }
        };
        (status, Json(json!({ "error": self.to_string() }))).into_response()
    }
}

/// `/users`, `/users/me` and `/chats`, with their state.
pub fn router(service: PresenceService) -> Router {
    Router::new()
        .route("/users", post(join))
        .route("/users/me", get(me))
        .route("/chats", post(create_chat).get(chat))
        .with_state(service)
}

/// Wraps `router` so that `GET /presence` asking for JSON gets the
/// presence session, while the page at the same path keeps answering
/// browsers.
pub fn serve_presence_info(router: Router, service: PresenceService) -> Router {
    router.layer(middleware::from_fn_with_state(service, presence_info))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PresenceInfo<'a> {
    api_key: &'a str,
    session_id: &'a str,
}

async fn presence_info(
    State(service): State<PresenceService>,
    request: Request,
    next: Next,
) -> Response {
    let asks_json = request.method() == Method::GET
        && request.uri().path() == "/presence"
        && wants_json(request.headers());
    if !asks_json {
        return next.run(request).await;
    }
    Json(PresenceInfo {
        api_key: service.api_key(),
        session_id: service.session_id().as_str(),
    })
    .into_response()
}

/// Whether `Accept` names JSON and not HTML (a script, not a browser tab).
fn wants_json(headers: &HeaderMap) -> bool {
    let accept = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .collect::<Vec<_>>()
        .join(",");
    accept.contains("application/json") && !accept.contains("text/html")
}

#[derive(Deserialize)]
struct JoinRequest {
    name: Option<String>,
}

#[derive(Serialize)]
struct Joined {
    token: String,
    user: LocalUser,
}

async fn join(
    State(service): State<PresenceService>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, RouteError> {
    let name = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        let request: JoinRequest = serde_json::from_slice(&body)
            .map_err(|err| RouteError::BadRequest(format!("expected {{\"name\": …}}: {err}")))?;
        request.name
    };
    let user = match name {
        Some(raw) => LocalUser {
            id: UserId(Uuid::new_v4()),
            name: DisplayName::parse(&raw)
                .map_err(|err| RouteError::BadRequest(err.to_string()))?,
        },
        None => identify(&service, &headers)
            .map_err(|_| RouteError::BadRequest("Enter a name.".into()))?,
    };
    let token = service.presence_token(&user)?;
    let cookie = service.sign_in(&user);
    Ok(([(header::SET_COOKIE, cookie)], Json(Joined { token, user })).into_response())
}

async fn me(
    State(service): State<PresenceService>,
    headers: HeaderMap,
) -> Result<Json<Joined>, RouteError> {
    let user = identify(&service, &headers)?;
    let token = service.presence_token(&user)?;
    Ok(Json(Joined { token, user }))
}

#[derive(Deserialize)]
struct ChatRequest {
    invitee: UserId,
    #[serde(default)]
    options: CallOptions,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ChatCreated {
    #[serde(flatten)]
    credentials: RoomCredentials,
    invitation_id: InvitationId,
}

async fn create_chat(
    State(service): State<PresenceService>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<ChatCreated>, RouteError> {
    let user = identify(&service, &headers)?;
    let request: ChatRequest = serde_json::from_slice(&body).map_err(|err| {
        RouteError::BadRequest(format!(
            "expected {{\"invitee\": user id, \"options\"?}}: {err}"
        ))
    })?;
    let invitation = service
        .invite(user.id, request.invitee, request.options)
        .await?;
    let credentials = service.chat_token(&user, &invitation.session_id)?;
    Ok(Json(ChatCreated {
        credentials,
        invitation_id: invitation.id,
    }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ChatQuery {
    session_id: Option<String>,
}

async fn chat(
    State(service): State<PresenceService>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Json<RoomCredentials>, RouteError> {
    let user = identify(&service, &headers)?;
    let query: ChatQuery = serde_urlencoded::from_str(query.as_deref().unwrap_or_default())
        .map_err(|err| RouteError::BadRequest(format!("bad query string: {err}")))?;
    let session_id = query
        .session_id
        .filter(|id| !id.trim().is_empty())
        .ok_or(PresenceError::NotFound("sessionId"))?;
    Ok(Json(service.chat_credentials(&user, &session_id)?))
}

/// The identity cookie's person, or 401.
fn identify(service: &PresenceService, headers: &HeaderMap) -> Result<LocalUser, PresenceError> {
    let cookies = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .collect::<Vec<_>>()
        .join("; ");
    service.identify(&cookies)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn accept(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn only_scripts_asking_for_json_get_the_presence_session() {
        assert!(wants_json(&accept("application/json")));
        assert!(wants_json(&accept(
            "application/json, text/javascript, */*; q=0.01"
        )));
        assert!(!wants_json(&accept(
            "text/html,application/xhtml+xml,application/json;q=0.9"
        )));
        assert!(!wants_json(&accept("*/*")));
        assert!(!wants_json(&HeaderMap::new()));
    }

    #[test]
    fn refusals_carry_their_status_and_a_json_message() {
        let status = |err: RouteError| err.into_response().status();
        assert_eq!(
            status(RouteError::BadRequest("x".into())),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            status(PresenceError::NotJoined.into()),
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            status(PresenceError::Forbidden.into()),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            status(PresenceError::NotFound("chat").into()),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            status(PresenceError::Conflict("busy".into()).into()),
            StatusCode::CONFLICT
        );
        assert_eq!(
            status(PresenceError::Unavailable("down".into()).into()),
            StatusCode::BAD_GATEWAY
        );
    }
}
