//! `GET /recordings/{archiveId}/{file}`: an available archive's output,
//! where its `url` points — `archive.webm` (`video/webm`) for composed
//! archives, `archive.zip` (`application/zip`) for individual ones. Served
//! by tower-http's `ServeFile`, so Range requests work and `<video>` can
//! seek; `?download=1` adds `Content-Disposition: attachment`. Like the
//! platform's download links it needs no credentials: the archive id is a
//! random UUID. Unknown, deleted and not-yet-available archives are 404
//! with the platform's JSON error body.

use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tower::ServiceExt;
use tower_http::services::ServeFile;
use uuid::Uuid;

use super::extract::LenientQuery;
use crate::engine::archives::OutputFile;
use crate::engine::{Engine, EngineError};
use crate::opentok::model::ArchiveStatus;

/// The query of a recording request.
#[derive(Debug, Deserialize)]
pub struct FileQuery {
    /// `1` or `true`: ask the browser to save the file.
    download: Option<String>,
}

impl FileQuery {
    fn wants_download(&self) -> bool {
        matches!(self.download.as_deref(), Some("1" | "true"))
    }
}

/// Serves an available archive's output file.
pub async fn serve(
    State(engine): State<Engine>,
    Path((archive_id, file)): Path<(String, String)>,
    LenientQuery(query): LenientQuery<FileQuery>,
    request: Request,
) -> Result<Response, EngineError> {
    let id = Uuid::parse_str(&archive_id).map_err(|_| EngineError::ArchiveNotFound(Uuid::nil()))?;
    let not_found = || EngineError::ArchiveNotFound(id);
    let archive = engine.get_archive(id).await?;
    let output = OutputFile::parse(&file)
        .filter(|output| output.mode() == archive.output_mode)
        .filter(|_| archive.status == ArchiveStatus::Available)
        .ok_or_else(not_found)?;
    let path = engine.archive_config().archive_dir(id).join(output.name());
    let response = match ServeFile::new(&path).oneshot(request).await {
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    };
    if response.status() == StatusCode::NOT_FOUND {
        tracing::error!(file = %path.display(), "an available archive's file is missing");
        return Err(not_found());
    }
    let mut response = response.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(output.content_type()),
    );
    if query.wants_download() {
        let disposition = format!("attachment; filename=\"{id}-{}\"", output.name());
        if let Ok(value) = HeaderValue::from_str(&disposition) {
            headers.insert(header::CONTENT_DISPOSITION, value);
        }
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_explicit_downloads_are_attachments() {
        let query = |download: Option<&str>| FileQuery {
            download: download.map(str::to_owned),
        };
        assert!(query(Some("1")).wants_download());
        assert!(query(Some("true")).wants_download());
        assert!(!query(Some("0")).wants_download());
        assert!(!query(None).wants_download());
    }
}
