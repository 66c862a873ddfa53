//! Seed 001's archive routes over the media provider:
//!
//! - `POST /archive/start` `{sessionId, outputMode?}` → archive JSON (named
//!   after the session's room; `outputMode` `composed` — the default — or
//!   `individual`, an extension of the seed)
//! - `POST /archive/{id}/stop` → archive JSON
//! - `GET /archive/{id}` → archive JSON
//! - `GET /archive/{id}/view` → 302 to the recording when available, else a
//!   small page that reloads itself every 3 s (final states say so and stop)
//! - `GET /archive?count&offset&sessionId` → JSON array of archives (newest
//!   first, at most 1000), the total in `X-Total-Count`.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::header::HeaderName;
use axum::http::HeaderValue;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use uuid::Uuid;

use super::{RoomsError, RoomsState};
use crate::opentok::model::{Archive, ArchiveOptions, ArchiveQuery, ArchiveStatus, OutputMode};
use crate::opentok::session_id::SessionId;

/// Body of `POST /archive/start`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct StartBody {
    session_id: String,
    /// One composed file (the default) or one file per stream.
    #[serde(default)]
    output_mode: OutputMode,
}

fn archive_id(raw: &str) -> Result<Uuid, RoomsError> {
    Uuid::parse_str(raw).map_err(|_| RoomsError::InvalidInput(format!("invalid archive id: {raw}")))
}

fn session_id(raw: &str) -> Result<SessionId, RoomsError> {
    SessionId::parse(raw).map_err(|_| RoomsError::InvalidInput("invalid sessionId".into()))
}

pub(super) async fn start(
    State(state): State<RoomsState>,
    body: Result<Json<StartBody>, JsonRejection>,
) -> Result<Json<Archive>, RoomsError> {
    let Json(body) = body.map_err(|rejection| {
        RoomsError::InvalidInput(format!(
            "expected a JSON body {{\"sessionId\": ..., \"outputMode\": \"composed\" | \"individual\"}}: {}",
            rejection.body_text()
        ))
    })?;
    let session_id = session_id(&body.session_id)?;
    let mut options = ArchiveOptions::new(session_id.clone());
    options.name = state.store.room_for_session(&session_id).await?;
    options.output_mode = body.output_mode;
    Ok(Json(state.provider.start_archive(&options).await?))
}

pub(super) async fn stop(
    State(state): State<RoomsState>,
    Path(id): Path<String>,
) -> Result<Json<Archive>, RoomsError> {
    Ok(Json(state.provider.stop_archive(archive_id(&id)?).await?))
}

pub(super) async fn get(
    State(state): State<RoomsState>,
    Path(id): Path<String>,
) -> Result<Json<Archive>, RoomsError> {
    Ok(Json(state.provider.get_archive(archive_id(&id)?).await?))
}

/// Query of `GET /archive`: all optional, as in the seed.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ListQuery {
    count: Option<u32>,
    offset: Option<u32>,
    session_id: Option<String>,
}

pub(super) async fn list(
    State(state): State<RoomsState>,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Response, RoomsError> {
    let Query(query) = query.map_err(|rejection| {
        RoomsError::InvalidInput(format!(
            "count and offset must be non-negative integers: {}",
            rejection.body_text()
        ))
    })?;
    let count = query.count.unwrap_or(1000);
    if count == 0 || count > 1000 {
        return Err(RoomsError::InvalidInput(
            "count must be between 1 and 1000".into(),
        ));
    }
    let session_id = query.session_id.as_deref().map(session_id).transpose()?;
    let archive_query = ArchiveQuery {
        offset: query.offset.unwrap_or(0),
        count,
        session_id,
    };
    let page = state.provider.list_archives(&archive_query).await?;
    let mut response = Json(page.items).into_response();
    response.headers_mut().insert(
        HeaderName::from_static("x-total-count"),
        HeaderValue::from(page.count),
    );
    Ok(response)
}

pub(super) async fn view(
    State(state): State<RoomsState>,
    Path(id): Path<String>,
) -> Result<Response, RoomsError> {
    let archive = state.provider.get_archive(archive_id(&id)?).await?;
    if let (ArchiveStatus::Available, Some(url)) = (archive.status, archive.url.as_deref()) {
        return Ok(super::found(url));
    }
    Ok(Html(view_page(&archive)).into_response())
}

/// The waiting page. Only typed values (a UUID, a fixed status word) are
/// interpolated, so nothing needs escaping.
fn view_page(archive: &Archive) -> String {
    let (title, message, reload) = match archive.status {
        ArchiveStatus::Started | ArchiveStatus::Paused => (
            "Recording in progress",
            "The recording is still running. This page refreshes every 3 seconds.",
            true,
        ),
        ArchiveStatus::Stopped | ArchiveStatus::Uploaded | ArchiveStatus::Available => (
            "Waiting for the archive…",
            "The recording is being processed. This page refreshes every 3 seconds.",
            true,
        ),
        ArchiveStatus::Expired => (
            "Archive expired",
            "This recording has expired and can no longer be viewed.",
            false,
        ),
        ArchiveStatus::Failed => (
            "Archive failed",
            "This recording failed and cannot be viewed.",
            false,
        ),
        ArchiveStatus::Deleted => ("Archive deleted", "This recording was deleted.", false),
    };
    let refresh = if reload {
        r#"<meta http-equiv="refresh" content="3">"#
    } else {
        ""
    };
    let spinner = if reload {
        r#"<span class="spinner" aria-hidden="true"></span>"#
    } else {
        ""
    };
    format!(
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">{refresh}<title>{title}</title><link rel="stylesheet" href="/pkg/rendezvous.css"></head><body><main class="page narrow"><h1>{title}</h1><p class="status" role="status">{spinner}{message}</p><p class="muted">Archive <code>{id}</code> — status <strong>{status}</strong></p><p><a href="/">Back to Rendezvous</a></p></main></body></html>"#,
        id = archive.id,
        status = archive.status.as_str(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn archive(status: &str) -> Archive {
        serde_json::from_value(serde_json::json!({
            "createdAt": 1395187836000u64, "duration": 62, "id": "f6e7ee58-d6cf-4a59-896b-6d56b158ec71",
            "name": "", "partnerId": 123456, "reason": "",
            "sessionId": "1_MX4xMjM0NTZ-flNhdCBNYXIgMTUgMTQ6NDI6MjMgUERUIDIwMTR-MC40OTAxMzAyNX4",
            "size": 0, "status": status, "hasAudio": true, "hasVideo": true, "outputMode": "composed", "url": null
        }))
        .expect("fixture parses")
    }

    #[test]
    fn start_bodies_may_ask_for_individual_files() {
        let plain: StartBody = serde_json::from_str(r#"{"sessionId":"s"}"#).unwrap();
        assert_eq!(plain.output_mode, OutputMode::Composed);
        let individual: StartBody =
            serde_json::from_str(r#"{"sessionId":"s","outputMode":"individual"}"#).unwrap();
        assert_eq!(individual.output_mode, OutputMode::Individual);
        assert!(
            serde_json::from_str::<StartBody>(r#"{"sessionId":"s","outputMode":"mixed"}"#).is_err()
        );
    }

    #[test]
    fn pending_archives_reload_every_three_seconds() {
        for status in ["started", "paused", "stopped", "uploaded"] {
            let page = view_page(&archive(status));
            assert!(
                page.contains(r#"<meta http-equiv="refresh" content="3">"#),
                "{status}"
            );
            assert!(page.contains("f6e7ee58-d6cf-4a59-896b-6d56b158ec71"));
        }
    }

    #[test]
    fn final_states_say_so_and_stop_reloading() {
        for (status, title) in [
            ("expired", "Archive expired"),
            ("failed", "Archive failed"),
            ("deleted", "Archive deleted"),
        ] {
            let page = view_page(&archive(status));
            assert!(!page.contains("http-equiv"), "{status}");
            assert!(page.contains(title), "{status}");
        }
    }
}
