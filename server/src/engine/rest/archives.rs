//! Archive endpoints under `/v2/project/{project}/archive` (§5.2): start,
//! list, get, stop, delete, layout and manual stream selection. Successes are
//! 200 with the archive (or list) as JSON, 204 for delete and stream changes.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use super::extract::{JsonBody, LenientQuery, PathIds};
use crate::engine::error::json_response;
use crate::engine::{Engine, EngineError, StreamChange};
use crate::opentok::model::{ArchiveLayout, ArchiveOptions, ArchiveQuery, LenientBool};

/// `POST /archive`: start recording.
pub async fn start(
    State(engine): State<Engine>,
    JsonBody(options): JsonBody<ArchiveOptions>,
) -> Result<Response, EngineError> {
    let archive = engine.start_archive(options).await?;
    Ok(json_response(StatusCode::OK, &archive))
}

/// `GET /archive?offset&count&sessionId`: a page of archives, newest first.
pub async fn list(
    State(engine): State<Engine>,
    LenientQuery(query): LenientQuery<ArchiveQuery>,
) -> Result<Response, EngineError> {
    let list = engine.list_archives(&query).await?;
    Ok(json_response(StatusCode::OK, &list))
}

/// `GET /archive/{archive_id}`.
pub async fn get(State(engine): State<Engine>, ids: PathIds) -> Result<Response, EngineError> {
    let archive = engine.get_archive(ids.archive()?).await?;
    Ok(json_response(StatusCode::OK, &archive))
}

/// `POST /archive/{archive_id}/stop` (any body, usually none or `{}`, is ignored).
pub async fn stop(State(engine): State<Engine>, ids: PathIds) -> Result<Response, EngineError> {
    let archive = engine.stop_archive(ids.archive()?).await?;
    Ok(json_response(StatusCode::OK, &archive))
}

/// `DELETE /archive/{archive_id}` → 204.
pub async fn delete(State(engine): State<Engine>, ids: PathIds) -> Result<StatusCode, EngineError> {
    engine.delete_archive(ids.archive()?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `PUT /archive/{archive_id}/layout` → 200 with an empty body.
pub async fn layout(
    State(engine): State<Engine>,
    ids: PathIds,
    JsonBody(layout): JsonBody<ArchiveLayout>,
) -> Result<StatusCode, EngineError> {
    engine.set_archive_layout(ids.archive()?, layout).await?;
    Ok(StatusCode::OK)
}

/// `PATCH /archive/{archive_id}/streams` → 204.
pub async fn streams(
    State(engine): State<Engine>,
    ids: PathIds,
    JsonBody(body): JsonBody<StreamsBody>,
) -> Result<StatusCode, EngineError> {
    let archive_id = ids.archive()?;
    // An unknown archive is 404 even when the body is also wrong.
    engine.get_archive(archive_id).await?;
    engine
        .change_archive_streams(archive_id, body.into_change()?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The PATCH body: `{"addStream", "hasAudio"?, "hasVideo"?}` or `{"removeStream"}`,
/// booleans possibly sent as strings (Ruby).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StreamsBody {
    add_stream: Option<String>,
    remove_stream: Option<String>,
    has_audio: Option<LenientBool>,
    has_video: Option<LenientBool>,
}

impl StreamsBody {
    fn into_change(self) -> Result<StreamChange, EngineError> {
        let stream_id = |text: &str| {
            Uuid::parse_str(text)
                .map_err(|_| EngineError::invalid(format!("invalid stream id: {text:?}")))
        };
        match (self.add_stream, self.remove_stream) {
            (Some(add), None) => Ok(StreamChange::Add {
                stream_id: stream_id(&add)?,
                has_audio: self.has_audio.is_none_or(|b| b.0),
                has_video: self.has_video.is_none_or(|b| b.0),
            }),
            (None, Some(remove)) => Ok(StreamChange::Remove {
                stream_id: stream_id(&remove)?,
            }),
            _ => Err(EngineError::invalid(
                "give exactly one of addStream and removeStream",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::rest::extract::parse_json;

    const STREAM: &str = "8b732909-0a06-46a2-8ea8-074e64d43422";

    fn change(json: &str) -> Result<StreamChange, EngineError> {
        parse_json::<StreamsBody>(json.as_bytes())?.into_change()
    }

    #[test]
    fn stream_changes_parse_leniently() {
        let id = Uuid::parse_str(STREAM).unwrap();
        let add = change(&format!(r#"{{"addStream":"{STREAM}","hasAudio":"false"}}"#)).unwrap();
        assert_eq!(
            add,
            StreamChange::Add {
                stream_id: id,
                has_audio: false,
                has_video: true
            }
        );
        let remove = change(&format!(r#"{{"removeStream":"{STREAM}"}}"#)).unwrap();
        assert_eq!(remove, StreamChange::Remove { stream_id: id });
    }

    #[test]
    fn ambiguous_or_empty_stream_changes_are_400() {
        for body in [
            "",
            "{}",
            &format!(r#"{{"addStream":"{STREAM}","removeStream":"{STREAM}"}}"#),
        ] {
            assert_eq!(
                change(body).unwrap_err().status(),
                StatusCode::BAD_REQUEST,
                "{body}"
            );
        }
        assert_eq!(
            change(r#"{"addStream":"x"}"#).unwrap_err().status(),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            change(&format!(r#"{{"addStream":"{STREAM}","hasVideo":"maybe"}}"#))
                .unwrap_err()
                .status(),
            StatusCode::BAD_REQUEST
        );
    }
}
