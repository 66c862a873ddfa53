//! What the archives page's and the rooms page's server functions need from
//! the server, as a trait the server implements over its media provider
//! and provides in the Leptos context (`Arc<dyn ArchivesBackend>`): list
//! and delete archives, and start or stop recording a room. Refusals carry
//! their HTTP status and are said in words people understand.

use std::sync::Arc;

use async_trait::async_trait;
use thiserror::Error;
use uuid::Uuid;

use super::filter::ArchiveFilter;
use super::model::{ArchiveListing, ArchiveSummary};
use crate::models::RoomName;
use crate::server_errors::Refusal;

/// Why an archive request was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ArchivesError {
    /// Bad input, or nothing to record. (400)
    #[error("{0}")]
    Invalid(String),
    /// That archive is not this room's. (403)
    #[error("{0}")]
    Forbidden(String),
    /// No such archive or room. (404)
    #[error("{0}")]
    NotFound(String),
    /// Does not fit the archive's state: already recording, not
    /// recording, not deletable. (409)
    #[error("{0}")]
    Conflict(String),
    /// The video platform or the store failed. (502)
    #[error("The video service is unavailable: {0}")]
    Unavailable(String),
}

impl Refusal for ArchivesError {
    fn status(&self) -> u16 {
        match self {
            ArchivesError::Invalid(_) => 400,
            ArchivesError::Forbidden(_) => 403,
            ArchivesError::NotFound(_) => 404,
            ArchivesError::Conflict(_) => 409,
            ArchivesError::Unavailable(_) => 502,
        }
    }
}

/// The server side of archives for the pages.
#[async_trait]
pub trait ArchivesBackend: Send + Sync + 'static {
    /// The archives passing `filter`, newest first: the newest
    /// [`SCAN_LIMIT`](super::SCAN_LIMIT) are searched, at most
    /// [`SHOW_LIMIT`](super::SHOW_LIMIT) returned.
    async fn list(&self, filter: &ArchiveFilter) -> Result<ArchiveListing, ArchivesError>;

    /// Deletes an archive (only available or uploaded ones; the caller
    /// has checked who may).
    async fn delete(&self, id: Uuid) -> Result<(), ArchivesError>;

    /// Starts recording the call of room `room` (a composed archive named
    /// after the room).
    async fn start_room_recording(&self, room: &RoomName) -> Result<ArchiveSummary, ArchivesError>;

    /// Stops recording archive `id` of room `room`.
    async fn stop_room_recording(
        &self,
        room: &RoomName,
        id: Uuid,
    ) -> Result<ArchiveSummary, ArchivesError>;
}

/// The handle server functions take from the context.
pub type SharedArchives = Arc<dyn ArchivesBackend>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_map_to_statuses() {
        let statuses: Vec<u16> = [
            ArchivesError::Invalid("x".into()),
            ArchivesError::Forbidden("x".into()),
            ArchivesError::NotFound("x".into()),
            ArchivesError::Conflict("x".into()),
            ArchivesError::Unavailable("x".into()),
        ]
        .iter()
        .map(Refusal::status)
        .collect();
        assert_eq!(statuses, [400, 403, 404, 409, 502]);
        assert_eq!(
            ArchivesError::Unavailable("timed out".into()).to_string(),
            "The video service is unavailable: timed out"
        );
    }
}
