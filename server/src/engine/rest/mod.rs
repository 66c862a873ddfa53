//! The engine's OpenTok-compatible REST API (§5): `POST /session/create` and
//! the `/v2/project/{project}/…` endpoints for archives, signals, connections
//! and streams, plus OpenTok.js's session-info call `GET /session/{id}`.
//! Every endpoint is authenticated (§4); the project in the path, or the
//! issuer for `/session/create`, must be the engine's own. Archive files
//! are served at `/recordings/{archiveId}/{file}`, the archives' `url`.
//!
//! Input is read with this module's own extractors, so every refusal —
//! malformed JSON, bad ids, failed auth — is the platform's JSON error body
//! with a 4xx status, never axum's plain-text rejections.

mod archives;
mod client_session;
mod extract;
mod recordings;
mod session_create;
mod sessions;

use axum::extract::{RawPathParams, Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use super::{Engine, EngineError};

/// The REST API and the realtime hub's `GET /rtc`, with `engine` as their
/// state, ready to be merged into the app.
pub fn router(engine: Engine) -> Router {
    let project = Router::new()
        .route(
            "/v2/project/{project}/archive",
            get(archives::list).post(archives::start),
        )
        .route(
            "/v2/project/{project}/archive/{archive_id}",
            get(archives::get).delete(archives::delete),
        )
        .route(
            "/v2/project/{project}/archive/{archive_id}/stop",
            post(archives::stop),
        )
        .route(
            "/v2/project/{project}/archive/{archive_id}/layout",
            axum::routing::put(archives::layout),
        )
        .route(
            "/v2/project/{project}/archive/{archive_id}/streams",
            axum::routing::patch(archives::streams),
        )
        .route(
            "/v2/project/{project}/session/{session_id}/signal",
            post(sessions::signal),
        )
        .route(
            "/v2/project/{project}/session/{session_id}/connection",
            get(sessions::connections),
        )
        .route(
            "/v2/project/{project}/session/{session_id}/connection/{connection_id}",
            axum::routing::delete(sessions::force_disconnect),
        )
        .route(
            "/v2/project/{project}/session/{session_id}/connection/{connection_id}/signal",
            post(sessions::signal_connection),
        )
        .route(
            "/v2/project/{project}/session/{session_id}/stream",
            get(sessions::streams),
        )
        .route(
            "/v2/project/{project}/session/{session_id}/stream/{stream_id}",
            get(sessions::stream),
        )
        .route_layer(middleware::from_fn_with_state(
            engine.clone(),
            authorize_project,
        ));
    let create = Router::new()
        .route("/session/create", post(session_create::create))
        .route_layer(middleware::from_fn_with_state(
            engine.clone(),
            authorize_issuer,
        ));
    // Authenticated by the client token itself, not by project credentials.
    let client = Router::new().route("/session/{session_id}", get(client_session::describe));
    // Download links need no credentials: archive ids are random UUIDs.
    let files = Router::new().route("/recordings/{archive_id}/{file}", get(recordings::serve));
    project
        .merge(create)
        .merge(client)
        .merge(files)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(engine.clone())
        .merge(super::hub::router(engine))
}

/// Authenticates a `/v2/project/{project}/…` request for the path's project.
async fn authorize_project(
    State(engine): State<Engine>,
    params: Result<RawPathParams, axum::extract::rejection::RawPathParamsRejection>,
    request: Request,
    next: Next,
) -> Response {
    let project = params.ok().and_then(|params| {
        params
            .iter()
            .find(|(name, _)| *name == "project")
            .map(|(_, value)| value.to_owned())
    });
    let Some(project) = project else {
        return EngineError::Forbidden("no project in the path".into()).into_response();
    };
    match engine.authorize(request.headers(), &project) {
        Ok(()) => next.run(request).await,
        Err(err) => err.into_response(),
    }
}

/// Authenticates `/session/create`: the JWT's issuer must be our project.
async fn authorize_issuer(State(engine): State<Engine>, request: Request, next: Next) -> Response {
    let project = engine.api_key().to_owned();
    match engine.authorize(request.headers(), &project) {
        Ok(()) => next.run(request).await,
        Err(err) => err.into_response(),
    }
}

async fn method_not_allowed() -> EngineError {
    EngineError::MethodNotAllowed
}
