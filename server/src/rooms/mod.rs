//! Seed 001 (learning-opentok-node): named rooms and archive routes, kept
//! wire-compatible so the OpenTok web samples still work against us.
//!
//! - `GET /session` → 302 to `/room/session`
//! - `GET /room/{name}` → `{apiKey, sessionId, token}`; the room→session map
//!   is persisted (it was an in-memory object in the seed), sessions are
//!   routed, and every call mints a fresh publisher token. Our rooms page
//!   adds `?name=` (a [`DisplayName`]) so the token's connection data tells
//!   the others who joined.
//! - `/archive/...` → see [`archive`].
//!
//! [`RoomArchives`] serves the same archives to the pages: the `/archives`
//! list and the rooms page's record button.
//!
//! Unlike the seed, failures are 4xx with a JSON `{error}` body carrying the
//! platform's message (the seed answered 500 for everything). CORS is open on
//! these routes because the web samples call them cross-origin.

mod archive;
mod archives_backend;
mod error;

use std::sync::Arc;

use app::models::{ConnectionData, DisplayName, RoomCredentials, RoomName};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use tower_http::cors::{Any, CorsLayer};

pub use archives_backend::{summary, RoomArchives};
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

/// The optional query of `GET /room/{name}`.
#[derive(Debug, Deserialize)]
struct JoinQuery {
    /// The joining person's display name.
    name: Option<String>,
}

async fn room(
    State(state): State<RoomsState>,
    Path(name): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Json<RoomCredentials>, RoomsError> {
    let name = RoomName::parse(&name).map_err(|err| RoomsError::InvalidInput(err.to_string()))?;
    let query: JoinQuery = serde_urlencoded::from_str(query.as_deref().unwrap_or_default())
        .map_err(|err| RoomsError::InvalidInput(format!("bad query string: {err}")))?;
    let data = match query.name {
        Some(raw) => Some(
            ConnectionData {
                name: DisplayName::parse(&raw)
                    .map_err(|err| RoomsError::InvalidInput(err.to_string()))?,
                user_id: None,
            }
            .to_json(),
        ),
        None => None,
    };
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
    let options = TokenOptions {
        data,
        ..TokenOptions::default()
    };
    let token = state.provider.client_token(&session_id, &options)?;
    Ok(Json(RoomCredentials {
        api_key: state.provider.api_key(),
        session_id: session_id.to_string(),
        token,
    }))
}
