//! The one error type of the seed routes: every failure becomes a 4xx/5xx
//! with a JSON `{error}` body; internal causes are logged, not shown.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::provider::ProviderError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum RoomsError {
    /// Bad input from the caller (400).
    #[error("{0}")]
    InvalidInput(String),
    /// The video platform refused or failed (its own status).
    #[error(transparent)]
    Provider(#[from] ProviderError),
    /// The store failed (500, logged).
    #[error("storage failure")]
    Store(#[from] StoreError),
}

impl IntoResponse for RoomsError {
    fn into_response(self) -> Response {
        let (status, message) = match &self {
            RoomsError::InvalidInput(message) => (StatusCode::BAD_REQUEST, message.clone()),
            RoomsError::Provider(err) => (err.status(), err.to_string()),
            RoomsError::Store(err) => {
                tracing::error!(error = %err, "store failure in seed routes");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal error".to_owned(),
                )
            }
        };
        (status, Json(json!({ "error": message }))).into_response()
    }
}
