//! Lenient request extractors for the REST API (§4.3, §9.8). Bodies are read
//! whatever their `Content-Type`, an empty body counts as `{}`, query strings
//! may carry empty segments, and ids in the path are parsed into their types
//! here — every failure becomes an [`EngineError`] (400 / 413 JSON body).

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use uuid::Uuid;

use crate::engine::EngineError;
use crate::opentok::session_id::SessionId;

/// The raw request body, whatever its `Content-Type`.
#[derive(Debug)]
pub struct RawBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = EngineError;

    async fn from_request(request: Request, state: &S) -> Result<Self, EngineError> {
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    EngineError::PayloadTooLarge(rejection.body_text())
                } else {
                    EngineError::invalid(rejection.body_text())
                }
            })?;
        Ok(RawBody(bytes))
    }
}

/// A JSON body parsed into `T`; an empty (or blank) body parses as `{}`.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = EngineError;

    async fn from_request(request: Request, state: &S) -> Result<Self, EngineError> {
        let RawBody(bytes) = RawBody::from_request(request, state).await?;
        parse_json(&bytes).map(JsonBody)
    }
}

/// Parses `bytes` as JSON, treating a blank body as an empty object.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, EngineError> {
    let text: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        bytes
    };
    serde_json::from_slice(text)
        .map_err(|err| EngineError::invalid(format!("invalid request body: {err}")))
}

/// The query string parsed into `T`; empty segments (`?a=1&&b=2&`) are skipped.
#[derive(Debug)]
pub struct LenientQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for LenientQuery<T> {
    type Rejection = EngineError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, EngineError> {
        serde_urlencoded::from_str(parts.uri.query().unwrap_or(""))
            .map(LenientQuery)
            .map_err(|err| EngineError::invalid(format!("invalid query: {err}")))
    }
}

/// Path segments as text, by name (the `project` segment is ignored here: the
/// authentication layer has checked it).
#[derive(Debug, Deserialize)]
struct RawIds {
    session_id: Option<String>,
    archive_id: Option<String>,
    connection_id: Option<String>,
    stream_id: Option<String>,
}

/// The ids named in the request path, parsed into their types on demand.
#[derive(Debug)]
pub struct PathIds(RawIds);

impl<S: Send + Sync> FromRequestParts<S> for PathIds {
    type Rejection = EngineError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, EngineError> {
        let Path(raw) = Path::<RawIds>::from_request_parts(parts, state).await?;
        Ok(PathIds(raw))
    }
}

impl PathIds {
    /// The `{session_id}` segment as a session id (400 when malformed).
    pub fn session(&self) -> Result<SessionId, EngineError> {
        let text = segment(&self.0.session_id, "session id")?;
        SessionId::parse(text)
            .map_err(|err| EngineError::invalid(format!("invalid session id: {err}")))
    }

    /// The `{archive_id}` segment (400 unless a UUID).
    pub fn archive(&self) -> Result<Uuid, EngineError> {
        uuid(&self.0.archive_id, "archive id")
    }

    /// The `{connection_id}` segment (400 unless a UUID).
    pub fn connection(&self) -> Result<Uuid, EngineError> {
        uuid(&self.0.connection_id, "connection id")
    }

    /// The `{stream_id}` segment (400 unless a UUID).
    pub fn stream(&self) -> Result<Uuid, EngineError> {
        uuid(&self.0.stream_id, "stream id")
    }
}

fn segment<'a>(value: &'a Option<String>, what: &str) -> Result<&'a str, EngineError> {
    value
        .as_deref()
        .ok_or_else(|| EngineError::invalid(format!("missing {what}")))
}

fn uuid(value: &Option<String>, what: &str) -> Result<Uuid, EngineError> {
    let text = segment(value, what)?;
    Uuid::parse_str(text).map_err(|_| EngineError::invalid(format!("invalid {what}: {text:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Body {
        #[serde(default)]
        name: Option<String>,
    }

    #[test]
    fn blank_bodies_parse_as_empty_objects() {
        assert_eq!(parse_json::<Body>(b"").unwrap(), Body { name: None });
        assert_eq!(parse_json::<Body>(b" \n").unwrap(), Body { name: None });
        assert_eq!(
            parse_json::<Body>(br#"{"name":"x"}"#)
                .unwrap()
                .name
                .as_deref(),
            Some("x")
        );
    }

    #[test]
    fn malformed_bodies_are_400() {
        let err = parse_json::<Body>(b"{not json").unwrap_err();
        assert_eq!(err.status(), StatusCode::BAD_REQUEST);
        assert!(err.to_string().starts_with("invalid request body"));
    }

    #[test]
    fn ids_are_parsed_from_their_segments() {
        let ids = PathIds(RawIds {
            session_id: Some("SESSIONID".into()),
            archive_id: Some("30B3EBF1-BA36-4F5B-8DEF-6F70D9986FE9".into()),
            connection_id: Some("nope".into()),
            stream_id: None,
        });
        assert_eq!(ids.session().unwrap_err().status(), StatusCode::BAD_REQUEST);
        assert_eq!(
            ids.archive().unwrap().to_string(),
            "30b3ebf1-ba36-4f5b-8def-6f70d9986fe9"
        );
        assert!(ids
            .connection()
            .unwrap_err()
            .to_string()
            .contains("invalid connection id"));
        assert!(ids
            .stream()
            .unwrap_err()
            .to_string()
            .contains("missing stream id"));
    }
}
