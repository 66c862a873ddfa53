//! The engine's one error type. Each variant is a refusal the platform
//! makes, with the status it makes it with (§5.0, §5.2–5.6); as a response it
//! becomes the platform's JSON error body `{"code","message","description"}`
//! with `Content-Type: application/json`. Storage failures are logged and
//! answered with a generic 500 body.

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use crate::opentok::model::{ApiErrorBody, ArchiveStatus};
use crate::store::StoreError;

/// A refusal of the embedded engine.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The request is malformed or breaks a rule (400).
    #[error("{0}")]
    InvalidRequest(String),
    /// REST authentication failed, or the project is not ours (403).
    #[error("{0}")]
    Forbidden(String),
    /// No session with this id exists on the engine (404).
    #[error("session not found")]
    SessionNotFound,
    /// No archive with this id exists (404).
    #[error("archive not found")]
    ArchiveNotFound(Uuid),
    /// No stream with this id is published in the session (404).
    #[error("stream not found")]
    StreamNotFound,
    /// The connection (or, for a session-wide signal, any client) is not connected (404).
    #[error("not connected")]
    NotConnected,
    /// The path exists but not with this HTTP method (405).
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The archive's stream mode is automatic, so streams cannot be picked (405).
    #[error("the archive is not in manual stream mode")]
    NotManualStreamMode,
    /// Archiving a relayed session (409).
    #[error("Session is relayed; archiving needs a routed session (p2p.preference=disabled)")]
    SessionRelayed,
    /// Nobody is connected, so there is nothing to record (400).
    #[error("no clients are connected to the session")]
    NoClientsConnected,
    /// The session already records an archive with this (or no) tag (409).
    #[error("the session is already being recorded")]
    AlreadyRecording,
    /// Stopping an archive that is not recording (409).
    #[error("the archive is not being recorded (its status is {})", status_name(.0))]
    NotRecording(ArchiveStatus),
    /// Deleting an archive that is not `available` or `uploaded` (409).
    #[error("only available or uploaded archives can be deleted (its status is {})", status_name(.0))]
    NotDeletable(ArchiveStatus),
    /// A limit was exceeded, e.g. signal data over 8 KB (413).
    #[error("{0}")]
    PayloadTooLarge(String),
    /// The connection is not draining its events (429).
    #[error("too many undelivered signals for this connection")]
    Congested,
    /// The store failed (500; logged, not shown).
    #[error("storage failure: {0}")]
    Store(#[from] StoreError),
}

impl EngineError {
    /// The HTTP status the platform answers this refusal with.
    pub fn status(&self) -> StatusCode {
        match self {
            EngineError::InvalidRequest(_) | EngineError::NoClientsConnected => {
                StatusCode::BAD_REQUEST
            }
            EngineError::Forbidden(_) => StatusCode::FORBIDDEN,
            EngineError::SessionNotFound
            | EngineError::ArchiveNotFound(_)
            | EngineError::StreamNotFound
            | EngineError::NotConnected => StatusCode::NOT_FOUND,
            EngineError::MethodNotAllowed | EngineError::NotManualStreamMode => {
                StatusCode::METHOD_NOT_ALLOWED
            }
            EngineError::SessionRelayed
            | EngineError::AlreadyRecording
            | EngineError::NotRecording(_)
            | EngineError::NotDeletable(_) => StatusCode::CONFLICT,
            EngineError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            EngineError::Congested => StatusCode::TOO_MANY_REQUESTS,
            EngineError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A 400 with `message`.
    pub fn invalid(message: impl std::fmt::Display) -> Self {
        EngineError::InvalidRequest(message.to_string())
    }

    /// The body: `code` is `-1` for authentication failures (as the platform
    /// records show) and the HTTP status otherwise.
    fn body(&self) -> ApiErrorBody {
        match self {
            EngineError::Forbidden(message) => ApiErrorBody::new(-1, message.clone()),
            EngineError::Store(_) => ApiErrorBody::new(500, "internal error"),
            other => ApiErrorBody::new(i64::from(other.status().as_u16()), other.to_string()),
        }
    }
}

impl IntoResponse for EngineError {
    fn into_response(self) -> Response {
        if let EngineError::Store(err) = &self {
            tracing::error!(error = %err, "engine storage failure");
        }
        json_response(self.status(), &self.body())
    }
}

impl From<PathRejection> for EngineError {
    fn from(rejection: PathRejection) -> Self {
        EngineError::invalid(rejection.body_text())
    }
}

impl From<QueryRejection> for EngineError {
    fn from(rejection: QueryRejection) -> Self {
        EngineError::invalid(rejection.body_text())
    }
}

/// The wire name of a status: serde renames the variants to lowercase.
fn status_name(status: &ArchiveStatus) -> String {
    format!("{status:?}").to_lowercase()
}

/// A JSON response with `Content-Type: application/json` exactly (no charset),
/// which every SDK's parser accepts.
pub(crate) fn json_response(status: StatusCode, body: &impl serde::Serialize) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => {
            let mut response = (status, bytes).into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            response
        }
        Err(err) => {
            tracing::error!(error = %err, "cannot serialise an engine response");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body_of(response: Response) -> serde_json::Value {
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[tokio::test]
    async fn errors_render_the_platform_body_with_an_exact_json_content_type() {
        let response = EngineError::SessionRelayed.into_response();
        assert_eq!(response.status(), StatusCode::CONFLICT);
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
        let body = body_of(response).await;
        assert_eq!(body["code"], 409);
        assert!(body["message"]
            .as_str()
            .unwrap()
            .starts_with("Session is relayed"));
        assert_eq!(body["description"], body["message"]);
    }

    #[tokio::test]
    async fn auth_failures_use_code_minus_one() {
        let response = EngineError::Forbidden("Issuer not found".into()).into_response();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let body = body_of(response).await;
        assert_eq!(
            body,
            serde_json::json!({"code": -1, "message": "Issuer not found", "description": "Issuer not found"})
        );
    }

    #[tokio::test]
    async fn storage_failures_do_not_leak_details() {
        let err = EngineError::Store(StoreError::Corrupt("secret path /var/x".into()));
        let response = err.into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = body_of(response).await;
        assert_eq!(body["message"], "internal error");
    }

    #[test]
    fn statuses_follow_the_platform() {
        assert_eq!(
            EngineError::NoClientsConnected.status(),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(EngineError::NotConnected.status(), StatusCode::NOT_FOUND);
        assert_eq!(
            EngineError::NotManualStreamMode.status(),
            StatusCode::METHOD_NOT_ALLOWED
        );
        assert_eq!(
            EngineError::NotDeletable(ArchiveStatus::Stopped).status(),
            StatusCode::CONFLICT
        );
        assert_eq!(
            EngineError::PayloadTooLarge("x".into()).status(),
            StatusCode::PAYLOAD_TOO_LARGE
        );
    }

    #[test]
    fn messages_name_statuses_as_the_wire_does() {
        let message = EngineError::NotDeletable(ArchiveStatus::Stopped).to_string();
        assert!(message.ends_with("(its status is stopped)"), "{message}");
    }
}
