//! Session endpoints under `/v2/project/{project}/session/{session_id}`
//! (§5.4–5.6): signals to a session or one connection, forced disconnects,
//! the connection list and the stream look-ups.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::extract::{JsonBody, PathIds};
use crate::engine::error::json_response;
use crate::engine::{ConnectionInfo, Engine, EngineError};
use crate::opentok::model::{Signal, SignalError};
use crate::opentok::session_id::SessionId;

/// `POST …/signal` → 204; 404 when nobody is connected.
pub async fn signal(
    State(engine): State<Engine>,
    ids: PathIds,
    JsonBody(body): JsonBody<SignalBody>,
) -> Result<StatusCode, EngineError> {
    engine
        .signal(&ids.session()?, None, body.into_signal()?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST …/connection/{connection_id}/signal` → 204; 404 when not connected.
pub async fn signal_connection(
    State(engine): State<Engine>,
    ids: PathIds,
    JsonBody(body): JsonBody<SignalBody>,
) -> Result<StatusCode, EngineError> {
    let (session, connection) = (ids.session()?, ids.connection()?);
    engine
        .signal(&session, Some(connection), body.into_signal()?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE …/connection/{connection_id}` → 204; 404 when not connected.
pub async fn force_disconnect(
    State(engine): State<Engine>,
    ids: PathIds,
) -> Result<StatusCode, EngineError> {
    engine
        .force_disconnect(&ids.session()?, ids.connection()?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET …/connection`: `{count, projectId, sessionId, items}`.
pub async fn connections(
    State(engine): State<Engine>,
    ids: PathIds,
) -> Result<Response, EngineError> {
    let session_id = ids.session()?;
    let items: Vec<ConnectionItem> = engine
        .list_connections(&session_id)
        .await?
        .iter()
        .map(ConnectionItem::from)
        .collect();
    let list = ConnectionList {
        count: items.len(),
        project_id: engine.api_key().to_owned(),
        session_id,
        items,
    };
    Ok(json_response(StatusCode::OK, &list))
}

/// `GET …/stream`: `{count, items}`.
pub async fn streams(State(engine): State<Engine>, ids: PathIds) -> Result<Response, EngineError> {
    let list = engine.list_streams(&ids.session()?).await?;
    Ok(json_response(StatusCode::OK, &list))
}

/// `GET …/stream/{stream_id}`.
pub async fn stream(State(engine): State<Engine>, ids: PathIds) -> Result<Response, EngineError> {
    let stream = engine.get_stream(&ids.session()?, ids.stream()?).await?;
    Ok(json_response(StatusCode::OK, &stream))
}

/// The signal body as sent; the limits are checked by [`Signal::new`] so the
/// status (400 or 413) follows the platform's.
#[derive(Debug, Deserialize)]
pub struct SignalBody {
    #[serde(rename = "type", default)]
    signal_type: String,
    #[serde(default)]
    data: String,
}

impl SignalBody {
    fn into_signal(self) -> Result<Signal, EngineError> {
        Signal::new(self.signal_type, self.data).map_err(|err| match err {
            SignalError::TypeTooLong | SignalError::DataTooLong => {
                EngineError::PayloadTooLarge(err.to_string())
            }
            SignalError::TypeCharacters => EngineError::invalid(err),
        })
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ConnectionList {
    count: usize,
    project_id: String,
    session_id: SessionId,
    items: Vec<ConnectionItem>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ConnectionItem {
    connection_id: Uuid,
    connection_state: &'static str,
    created_at: u64,
}

impl From<&ConnectionInfo> for ConnectionItem {
    fn from(info: &ConnectionInfo) -> Self {
        // Registered connections are the ones that completed the handshake.
        ConnectionItem {
            connection_id: info.id,
            connection_state: "Connected",
            created_at: info.created_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::rest::extract::parse_json;

    fn signal(json: &str) -> Result<Signal, EngineError> {
        parse_json::<SignalBody>(json.as_bytes())?.into_signal()
    }

    #[test]
    fn signal_limits_map_to_the_platform_statuses() {
        let ok = signal(r#"{"type":"chat","data":"Hello"}"#).unwrap();
        assert_eq!((ok.signal_type(), ok.data()), ("chat", "Hello"));
        assert_eq!(
            signal(r#"{"type":"no spaces"}"#).unwrap_err().status(),
            StatusCode::BAD_REQUEST
        );
        let long_type = format!(r#"{{"type":"{}"}}"#, "t".repeat(129));
        assert_eq!(
            signal(&long_type).unwrap_err().status(),
            StatusCode::PAYLOAD_TOO_LARGE
        );
        let long_data = format!(r#"{{"type":"t","data":"{}"}}"#, "d".repeat(8193));
        assert_eq!(
            signal(&long_data).unwrap_err().status(),
            StatusCode::PAYLOAD_TOO_LARGE
        );
        assert_eq!(
            signal(r#"{"type":"t","data":5}"#).unwrap_err().status(),
            StatusCode::BAD_REQUEST
        );
    }

    #[test]
    fn connection_items_use_the_java_field_names() {
        let info = ConnectionInfo {
            id: Uuid::nil(),
            session_id: SessionId::parse(
                "1_MX4xMjM0NTZ-flNhdCBNYXIgMTUgMTQ6NDI6MjMgUERUIDIwMTR-MC40OTAxMzAyNX4",
            )
            .unwrap(),
            data: None,
            created_at: 1_747_655_658_197,
        };
        let json = serde_json::to_value(ConnectionItem::from(&info)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"connectionId": Uuid::nil(), "connectionState": "Connected", "createdAt": 1_747_655_658_197u64})
        );
    }
}
