//! `POST /session/create` (§5.1): a form body of session options, answered
//! as a one-element JSON array when the client accepts JSON and as the
//! legacy `<sessions><Session>…` XML otherwise (PHP sends no `Accept`, Ruby
//! sends `*/*`). The JSON `Content-Type` is exactly `application/json`,
//! because Python compares the header string.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::extract::RawBody;
use crate::engine::error::json_response;
use crate::engine::{Engine, EngineError};
use crate::opentok::model::{SessionInfo, SessionOptions};

/// Creates a session from the form body.
pub async fn create(
    State(engine): State<Engine>,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> Result<Response, EngineError> {
    let options: SessionOptions = serde_urlencoded::from_bytes(&body)
        .map_err(|err| EngineError::invalid(format!("invalid session options: {err}")))?;
    let record = engine.create_session_record(options).await?;
    let created_ms =
        u64::try_from(record.created_at.unix_timestamp_nanos() / 1_000_000).unwrap_or(0);
    let info = SessionInfo::new(record.id, created_ms);
    Ok(if accepts_json(&headers) {
        json_response(StatusCode::OK, &[info])
    } else {
        let mut response = (StatusCode::OK, info.to_xml()).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/xml"));
        response
    })
}

/// Whether any `Accept` header mentions `application/json`.
fn accepts_json(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .any(|value| value.to_ascii_lowercase().contains("application/json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_accept(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(header::ACCEPT, HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    #[test]
    fn json_is_chosen_only_when_accepted() {
        assert!(accepts_json(&with_accept(&["application/json"])));
        assert!(accepts_json(&with_accept(&[
            "text/html, Application/JSON;q=0.9"
        ])));
        assert!(accepts_json(&with_accept(&["*/*", "application/json"])));
        assert!(!accepts_json(&with_accept(&["*/*"])));
        assert!(!accepts_json(&with_accept(&[])));
    }
}
