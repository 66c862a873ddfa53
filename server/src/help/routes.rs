//! Seed 002's HTTP contract. Bodies are URL-encoded forms (as the seed's
//! pages send), multipart forms or JSON objects, with the seed's field
//! names. Where the seed answered plain text, so do we; other refusals are
//! JSON `{error}`. No bad input gives a 5xx.
//!
//! - `POST /help/session` (`customer_name`, `problem_text`) → 200
//!   `{apiKey, sessionId, token, hub: {apiKey, sessionId, token}}`; 400
//!   plain text with the name's or the problem's message.
//! - `POST /help/queue` (`session_id`) → 200 `{queueId}` (the same again
//!   for a session already queued); 400 plain text "An invalid session_id
//!   was given." for a missing, unknown or ended session.
//! - `DELETE /help/queue` (representatives: session cookie or
//!   `Authorization: Bearer`) → 200 `{apiKey, sessionId, token,
//!   customerName, problemText, queueId}`, FIFO and atomic; 204 when
//!   nobody waits; 401 JSON `{error}` when not signed in.
//! - `DELETE /help/queue/{queueId}` → always 204: a waiting or never
//!   queued session is cancelled, a call ends served.
//! - `GET /help/queue/{queueId}` → `{position, waiting, estimatedWaitSecs}`
//!   while waiting (for clients that poll), else 404 JSON `{error}`.
//! - `POST` + `_METHOD=DELETE` (form) or `X-HTTP-Method-Override: DELETE`
//!   on the two queue paths acts as `DELETE` ([`super::method_override`]).

use std::collections::HashMap;

use app::accounts::backend::{AuthError, SharedAccounts};
use app::help::backend::HelpError;
use app::help::{ProblemText, QueueId};
use app::models::DisplayName;
use app::server_errors::Refusal;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::from_fn;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, post};
use axum::{Json, Router};
use serde::Serialize;
use serde_json::json;
use tower::Layer;

use super::form::fields;
use super::{method_override, EnqueueError, HelpService};

/// The largest request body the help routes read.
pub const MAX_BODY: usize = 16 * 1024;

/// Why a help route refused.
#[derive(Debug, thiserror::Error)]
pub enum RouteError {
    /// Bad input, answered in plain text as the seed did (400).
    #[error("{0}")]
    Plain(String),
    /// The service refused (its status, JSON).
    #[error(transparent)]
    Help(#[from] HelpError),
    /// Not signed in, or the accounts failed (their status, JSON).
    #[error(transparent)]
    Auth(#[from] AuthError),
}

impl IntoResponse for RouteError {
    fn into_response(self) -> Response {
        let status = |code: u16| StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_GATEWAY);
        match self {
            RouteError::Plain(message) => (StatusCode::BAD_REQUEST, message).into_response(),
            RouteError::Help(err) => (
                status(err.status()),
                Json(json!({ "error": err.to_string() })),
            )
                .into_response(),
            RouteError::Auth(err) => (
                status(err.status()),
                Json(json!({ "error": err.to_string() })),
            )
                .into_response(),
        }
    }
}

impl From<EnqueueError> for RouteError {
    fn from(err: EnqueueError) -> Self {
        match err {
            EnqueueError::InvalidSession => RouteError::Plain(err.to_string()),
            EnqueueError::Help(err) => RouteError::Help(err),
        }
    }
}

#[derive(Clone)]
struct HelpRoutes {
    service: HelpService,
    accounts: SharedAccounts,
}

/// The help routes, with the method override on the queue paths.
pub fn router(service: HelpService, accounts: SharedAccounts) -> Router {
    let state = HelpRoutes { service, accounts };
    let queue = Router::new()
        .route("/", post(enqueue).delete(dequeue))
        .route("/{queue_id}", delete(leave).get(position))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(state.clone());
    // Routing picks a handler by method, so the override runs before it.
    let overridden = from_fn(method_override::apply).layer(queue);
    Router::new()
        .route("/help/session", post(ask))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(state)
        .nest_service("/help/queue", overridden)
}

async fn ask(
    State(routes): State<HelpRoutes>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, RouteError> {
    let form = read(&headers, body).await?;
    let field = |name: &str| form.get(name).map(String::as_str).unwrap_or_default();
    let name = DisplayName::parse(field("customer_name"))
        .map_err(|err| RouteError::Plain(err.to_string()))?;
    let problem = ProblemText::parse(field("problem_text"))
        .map_err(|err| RouteError::Plain(err.to_string()))?;
    let created = routes.service.ask(name, problem).await?;
    Ok(Json(created).into_response())
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Queued {
    queue_id: QueueId,
}

async fn enqueue(
    State(routes): State<HelpRoutes>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Queued>, RouteError> {
    let form = read(&headers, body)
        .await
        .map_err(|_| RouteError::from(EnqueueError::InvalidSession))?;
    let session_id = form
        .get("session_id")
        .map(String::as_str)
        .unwrap_or_default();
    let queue_id = routes.service.enqueue(session_id).await?;
    Ok(Json(Queued { queue_id }))
}

async fn dequeue(
    State(routes): State<HelpRoutes>,
    headers: HeaderMap,
) -> Result<Response, RouteError> {
    let rep = routes.accounts.authenticate(&headers).await?;
    Ok(match routes.service.dequeue(&rep).await? {
        Some(assignment) => Json(assignment).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    })
}

async fn leave(
    State(routes): State<HelpRoutes>,
    Path(queue_id): Path<String>,
) -> Result<StatusCode, RouteError> {
    routes.service.leave(&queue_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn position(
    State(routes): State<HelpRoutes>,
    Path(queue_id): Path<String>,
) -> Result<Response, RouteError> {
    match routes.service.position(&queue_id).await? {
        Some(position) => Ok(Json(position).into_response()),
        None => Ok((
            StatusCode::NOT_FOUND,
            Json(json!({ "error": "not waiting in the queue" })),
        )
            .into_response()),
    }
}

/// The body's fields; a malformed body is 400 in plain text.
async fn read(headers: &HeaderMap, body: Bytes) -> Result<HashMap<String, String>, RouteError> {
    fields(headers, body)
        .await
        .map_err(|err| RouteError::Plain(err.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_keep_the_seeds_plain_text_and_json_elsewhere() {
        let plain = RouteError::from(EnqueueError::InvalidSession).into_response();
        assert_eq!(plain.status(), StatusCode::BAD_REQUEST);
        assert!(plain.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain"));
        let auth = RouteError::from(AuthError::NotSignedIn).into_response();
        assert_eq!(auth.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(auth.headers()["content-type"], "application/json");
        let down = RouteError::from(HelpError::Unavailable("db".into())).into_response();
        assert_eq!(down.status(), StatusCode::SERVICE_UNAVAILABLE);
    }
}
