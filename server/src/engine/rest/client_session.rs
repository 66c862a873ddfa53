//! `GET /session/{session_id}?extended=true` — the call OpenTok.js makes on
//! `session.connect` (§6.5). The *client* token goes in `X-OPENTOK-AUTH`; we
//! verify it exactly as the realtime hub will (JWT or T1, signature, expiry,
//! session ownership) and answer the session description, or the platform's
//! client-API error array `[{"error":{"code","errorMessage":{"message"}}}]`.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};

use crate::engine::error::json_response;
use crate::engine::Engine;
use crate::opentok::model::MediaMode;
use crate::opentok::session_id::SessionId;

/// The header OpenTok.js carries the client token in.
const TOKEN_HEADER: &str = "x-opentok-auth";

pub async fn describe(
    State(engine): State<Engine>,
    Path(raw_session): Path<String>,
    headers: HeaderMap,
) -> Response {
    match session_description(&engine, &raw_session, &headers).await {
        Ok(body) => json_response(StatusCode::OK, &body),
        Err((status, message)) => json_response(
            status,
            &json!([{ "error": { "code": status.as_u16(), "errorMessage": { "message": message } } }]),
        ),
    }
}

async fn session_description(
    engine: &Engine,
    raw_session: &str,
    headers: &HeaderMap,
) -> Result<Value, (StatusCode, String)> {
    let session_id = SessionId::parse(raw_session).map_err(|err| {
        (
            StatusCode::BAD_REQUEST,
            format!("invalid session id: {err}"),
        )
    })?;
    let token = headers
        .get(TOKEN_HEADER)
        .and_then(|value| value.to_str().ok())
        .ok_or((StatusCode::FORBIDDEN, "missing client token".to_owned()))?;
    let verified = engine
        .token_verifier()
        .verify(token)
        .map_err(|err| (StatusCode::FORBIDDEN, format!("invalid token: {err}")))?;
    if verified.session_id != session_id {
        return Err((
            StatusCode::FORBIDDEN,
            "the token is for another session".to_owned(),
        ));
    }
    let record = engine
        .session(&session_id)
        .await
        .map_err(|err| (err.status(), err.to_string()))?
        .ok_or((StatusCode::NOT_FOUND, "session not found".to_owned()))?;
    let p2p = match record.options.media_mode {
        MediaMode::Relayed => "enabled",
        MediaMode::Routed => "disabled",
    };
    Ok(json!([{
        "session_id": session_id.as_str(),
        "partner_id": record.owner,
        "project_id": record.owner,
        "create_dt": record.created_at.unix_timestamp() * 1000,
        "role": verified.role.as_str(),
        "connection_data": verified.connection_data,
        "media_server_hostname": null,
        "messaging_server_url": null,
        "messaging_url": null,
        "symphony_address": null,
        "ice_servers": [],
        "properties": {
            "p2p.preference": { "value": p2p },
            "e2ee": record.options.e2ee,
        },
    }]))
}
