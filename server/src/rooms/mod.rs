//! Seed 001 (learning-opentok-node): named rooms and archive routes, kept
//! wire-compatible so the OpenTok web samples still work against us.
//!
//! - `GET /session` → 302 to `/room/session`
//! - `GET /room/{name}` → `{apiKey, sessionId, token}`; the room→session map
//!   is persisted (it was an in-memory object in the seed), sessions are
//!   routed, and every call mints a fresh publisher token.
//! - `/archive/...` → see [`archive`].
//!
//! Unlike the seed, failures are 4xx with a JSON `{error}` body carrying the
//! platform's message (the seed answered 500 for everything). CORS is open on
//! these routes because the web samples call them cross-origin.

mod archive;
mod error;

use std::sync::Arc;

use app::models::RoomCredentials;
use axum::extract::{Path, State};
use axum::http::{header, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use tower_http::cors::{Any, CorsLayer};

pub use error::RoomsError;

use crate::opentok::model::{MediaMode, SessionOptions};
use crate::opentok::token::TokenOptions;
use crate::provider::MediaProvider;
use crate::store::Store;

/// What the seed routes need.
#[derive(Clone)]
pub struct RoomsState {
    provider: Arc<dyn MediaProvider>,
    store: Arc<dyn Store>,
}

/// The seed 001 router, with its state and CORS applied.
pub fn router(provider: Arc<dyn MediaProvider>, store: Arc<dyn Store>) -> Router {
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::POST])
        .allow_headers(Any);
    Router::new()
        .route("/session", get(|| async { found("/room/session") }))
        .route("/room/{name}", get(room))
        .route("/archive", get(archive::list))
        .route("/archive/start", post(archive::start))
        .route("/archive/{archive_id}", get(archive::get))
        .route("/archive/{archive_id}/stop", post(archive::stop))
        .route("/archive/{archive_id}/view", get(archive::view))
        .layer(cors)
        .with_state(RoomsState { provider, store })
}

/// A `302 Found` redirect, as Express's `res.redirect` sends (axum's
/// `Redirect::to` would be a 303).
pub(crate) fn found(location: &str) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, location.to_owned())]).into_response()
}

/// A room name as it appears in `/room/{name}`: 1–100 characters of letters,
/// digits, `-`, `_`, `.` or space.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomName(String);

impl RoomName {
    pub fn parse(raw: &str) -> Result<Self, RoomsError> {
        let name = raw.trim();
        let valid_chars = name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ' '));
        if name.is_empty() || name.chars().count() > 100 || !valid_chars {
            return Err(RoomsError::InvalidInput(
                "a room name is 1-100 letters, digits, spaces, '-', '_' or '.'".into(),
            ));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

async fn room(
    State(state): State<RoomsState>,
    Path(name): Path<String>,
) -> Result<Json<RoomCredentials>, RoomsError> {
    let name = RoomName::parse(&name)?;
    let session_id = match state.store.room_session(name.as_str()).await? {
        Some(session_id) => session_id,
        None => {
            let options = SessionOptions {
                media_mode: MediaMode::Routed,
                ..SessionOptions::default()
            };
            let created = state.provider.create_session(&options).await?;
            // Two first visitors may race: the store keeps whichever came first.
            state.store.claim_room(name.as_str(), &created).await?
        }
    };
    let token = state
        .provider
        .client_token(&session_id, &TokenOptions::default())?;
    Ok(Json(RoomCredentials {
        api_key: state.provider.api_key(),
        session_id: session_id.to_string(),
        token,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_names() {
        assert_eq!(
            RoomName::parse(" daily standup ").unwrap().as_str(),
            "daily standup"
        );
        assert!(RoomName::parse("session").is_ok());
        assert!(RoomName::parse("").is_err());
        assert!(RoomName::parse("<script>").is_err());
        assert!(RoomName::parse(&"x".repeat(101)).is_err());
    }
}
