//! The support page's calls to seed 002's HTTP routes (browser only, same
//! origin): create a help session (`POST /help/session`), join the queue
//! (`POST /help/queue`), leave it (`DELETE /help/queue/{queueId}`), and the
//! same leave as a beacon for a closing tab (`POST` with `_METHOD=DELETE`,
//! which survives the page). The server refuses bad input with a plain-text
//! message, which is passed through for display.

use gloo_net::http::{Request, Response};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::form::HelpRequest;
use crate::help::{HelpSessionCreated, QueueId};
use crate::models::ErrorBody;

/// Why a call failed, in words for people.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ApiError {
    /// No answer at all.
    #[error("The server could not be reached. Check your connection and try again.")]
    Unreachable,
    /// The server refused, with its own message.
    #[error("{0}")]
    Refused(String),
    /// The answer was not what the route promises.
    #[error("The server gave an unexpected answer ({0}).")]
    Unexpected(String),
}

#[derive(Serialize)]
struct SessionRequest<'a> {
    customer_name: &'a str,
    problem_text: &'a str,
}

#[derive(Serialize)]
struct QueueRequest<'a> {
    session_id: &'a str,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Queued {
    queue_id: QueueId,
}

/// The refusal's text: seed 002's routes answer in plain text, others in
/// JSON `{error}`.
async fn refusal(response: Response) -> ApiError {
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    let message = match serde_json::from_str::<ErrorBody>(&body) {
        Ok(json) => json.error,
        Err(_) => body.trim().to_owned(),
    };
    if message.is_empty() {
        ApiError::Refused(format!("The server answered {status}."))
    } else {
        ApiError::Refused(message)
    }
}

async fn post_json<T: Serialize>(url: &str, body: &T) -> Result<Response, ApiError> {
    let response = Request::post(url)
        .json(body)
        .map_err(|error| ApiError::Unexpected(error.to_string()))?
        .send()
        .await
        .map_err(|_| ApiError::Unreachable)?;
    if response.ok() {
        Ok(response)
    } else {
        Err(refusal(response).await)
    }
}

/// `POST /help/session`: a help session for `request`, with the media and
/// hub credentials.
pub async fn create_session(request: &HelpRequest) -> Result<HelpSessionCreated, ApiError> {
    let body = SessionRequest {
        customer_name: request.name.as_str(),
        problem_text: request.problem.as_str(),
    };
    post_json("/help/session", &body)
        .await?
        .json()
        .await
        .map_err(|error| ApiError::Unexpected(error.to_string()))
}

/// `POST /help/queue`: puts the help session in the queue.
pub async fn enqueue(session_id: &str) -> Result<QueueId, ApiError> {
    let queued: Queued = post_json("/help/queue", &QueueRequest { session_id })
        .await?
        .json()
        .await
        .map_err(|error| ApiError::Unexpected(error.to_string()))?;
    Ok(queued.queue_id)
}

/// The queue entry's path (the id is one path segment).
fn queue_path(queue_id: &QueueId) -> String {
    format!(
        "/help/queue/{}",
        js_sys::encode_uri_component(queue_id.as_str())
    )
}

/// `DELETE /help/queue/{queueId}`: leaves the queue, or ends the call.
pub async fn dequeue(queue_id: &QueueId) -> Result<(), ApiError> {
    let response = Request::delete(&queue_path(queue_id))
        .send()
        .await
        .map_err(|_| ApiError::Unreachable)?;
    if response.ok() {
        Ok(())
    } else {
        Err(refusal(response).await)
    }
}

/// The same as [`dequeue`] for a page that is going away: a beacon (form
/// body `_METHOD=DELETE`), which the browser delivers after the page is
/// gone. Returns whether the browser accepted it.
pub fn dequeue_beacon(queue_id: &QueueId) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let Ok(body) = web_sys::UrlSearchParams::new_with_str("_METHOD=DELETE") else {
        return false;
    };
    window
        .navigator()
        .send_beacon_with_opt_url_search_params(&queue_path(queue_id), Some(&body))
        .unwrap_or(false)
}
