//! Engine operations on archives (§5.2–5.3): real recordings of routed
//! sessions, with the platform's lifecycle `started → stopped → available`
//! (or `failed`), its refusals and its JSON.
//!
//! - `lifecycle`: start (checks, record, recorder on the session's
//!   media tap, `archiveStarted`), stop (`stopped`, `archiveStopped`,
//!   untap), delete (record and files).
//! - `watchdog`: automatic stops 60 s after the last client left and at the
//!   4-hour cap (both from [`ArchiveConfig`]).
//! - `output`: after stop, the files finished and the output produced,
//!   then `available` with `url`, `size`, `duration` — or `failed`.
//! - `streams`: manual stream mode, applied live to the recorder.
//! - `recovery`: at start-up, archives a previous run left are finished.
//! - [`files`]: where files live and the `/recordings/…` URLs serving them.
//!
//! This module covers the look-ups, lists and layouts.

mod config;
pub mod files;
mod lifecycle;
mod output;
mod recovery;
mod streams;
mod watchdog;

use uuid::Uuid;

pub use config::ArchiveConfig;
pub use files::OutputFile;

pub use crate::engine::recording::StreamChange;

use super::{now_ms, Engine, EngineError};
use crate::opentok::model::{
    Archive, ArchiveLayout, ArchiveList, ArchiveQuery, ArchiveStatus, OutputMode,
};
use crate::store::ArchiveRecord;

impl Engine {
    /// One archive: 404 when unknown or deleted.
    pub async fn get_archive(&self, archive_id: Uuid) -> Result<Archive, EngineError> {
        Ok(self.archive_record(archive_id).await?.archive)
    }

    /// A page of archives, newest first; `count` is the total matching.
    pub async fn list_archives(&self, query: &ArchiveQuery) -> Result<ArchiveList, EngineError> {
        query.validate().map_err(EngineError::invalid)?;
        let page = self.store().list_archives(query).await?;
        let items = page
            .items
            .into_iter()
            .map(|record| record.archive)
            .collect();
        Ok(ArchiveList {
            count: page.total,
            items,
        })
    }

    /// Changes the layout of a composed archive: 400 invalid layout, 404 unknown.
    pub async fn set_archive_layout(
        &self,
        archive_id: Uuid,
        layout: ArchiveLayout,
    ) -> Result<(), EngineError> {
        layout.validate().map_err(EngineError::invalid)?;
        let mut record = self.archive_record(archive_id).await?;
        if record.archive.output_mode != OutputMode::Composed {
            return Err(EngineError::invalid(
                "layouts apply to composed archives only",
            ));
        }
        let status = record.archive.status;
        record.layout = Some(layout);
        record.archive.updated_at = Some(now_ms());
        self.replace(&record, status).await
    }

    async fn archive_record(&self, archive_id: Uuid) -> Result<ArchiveRecord, EngineError> {
        self.store()
            .archive(archive_id)
            .await?
            .ok_or(EngineError::ArchiveNotFound(archive_id))
    }

    /// Writes `record` if the stored status is still `expected`; otherwise
    /// reports what a concurrent request left behind.
    async fn replace(
        &self,
        record: &ArchiveRecord,
        expected: ArchiveStatus,
    ) -> Result<(), EngineError> {
        if self.store().update_archive(record, expected).await? {
            return Ok(());
        }
        let current = self.archive_record(record.archive.id).await?;
        Err(EngineError::NotRecording(current.archive.status))
    }
}
