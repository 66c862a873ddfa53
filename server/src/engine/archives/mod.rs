//! Engine operations on archives (§5.2–5.3): the recording lifecycle
//! `started → stopped`, look-ups, paged lists, deletion, layouts and manual
//! stream selection, with the platform's refusals.
//!
//! Media is not recorded yet, so archives never reach `available`: their
//! `url` stays null and their `size` 0, and — as on the platform — only
//! `available`/`uploaded` archives can be deleted.

mod config;

use uuid::Uuid;

pub use config::ArchiveConfig;

use super::{now_ms, Engine, EngineError};
use crate::opentok::model::{
    Archive, ArchiveLayout, ArchiveList, ArchiveOptions, ArchiveQuery, ArchiveStatus,
    ArchiveStream, MediaMode, OutputMode, ProjectId, StreamMode,
};
use crate::store::{ArchiveRecord, StoreError};

/// The reason recorded when the API stops an archive.
pub const USER_INITIATED: &str = "user initiated";

/// A `PATCH /archive/{id}/streams` request (manual stream mode).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamChange {
    /// Include a stream, with or without its audio and video.
    Add {
        stream_id: Uuid,
        has_audio: bool,
        has_video: bool,
    },
    /// Stop including a stream.
    Remove { stream_id: Uuid },
}

impl Engine {
    /// Starts recording a session: 404 unknown session, 409 relayed session,
    /// 400 when nobody is connected or the options break a rule, 409 when
    /// the session already records an archive with the same (or no) tag.
    pub async fn start_archive(&self, options: ArchiveOptions) -> Result<Archive, EngineError> {
        options.validate().map_err(EngineError::invalid)?;
        let session = self.existing_session(&options.session_id).await?;
        if session.options.media_mode == MediaMode::Relayed {
            return Err(EngineError::SessionRelayed);
        }
        if self.connections().count(&session.id) == 0 {
            return Err(EngineError::NoClientsConnected);
        }
        let record = new_archive(options, self.api_key(), now_ms());
        match self.store().insert_archive(&record).await {
            Ok(()) => Ok(record.archive),
            Err(StoreError::Conflict(_)) => Err(EngineError::AlreadyRecording),
            Err(err) => Err(err.into()),
        }
    }

    /// Stops a recording archive: 404 unknown, 409 not recording.
    pub async fn stop_archive(&self, archive_id: Uuid) -> Result<Archive, EngineError> {
        let record = self.archive_record(archive_id).await?;
        let previous = record.archive.status;
        if !matches!(previous, ArchiveStatus::Started | ArchiveStatus::Paused) {
            return Err(EngineError::NotRecording(previous));
        }
        let stopped = stop(record, now_ms());
        self.replace(&stopped, previous).await?;
        Ok(stopped.archive)
    }

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

    /// Deletes an archive: 404 unknown, 409 unless `available` or `uploaded`.
    pub async fn delete_archive(&self, archive_id: Uuid) -> Result<(), EngineError> {
        let record = self.archive_record(archive_id).await?;
        let status = record.archive.status;
        if !matches!(status, ArchiveStatus::Available | ArchiveStatus::Uploaded) {
            return Err(EngineError::NotDeletable(status));
        }
        if self.store().delete_archive(archive_id).await? {
            Ok(())
        } else {
            Err(EngineError::ArchiveNotFound(archive_id))
        }
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

    /// Adds a stream to, or removes one from, a manual-stream-mode archive:
    /// 404 unknown archive, 405 automatic stream mode, 404 unknown stream.
    pub async fn change_archive_streams(
        &self,
        archive_id: Uuid,
        change: StreamChange,
    ) -> Result<(), EngineError> {
        let mut record = self.archive_record(archive_id).await?;
        if record.archive.stream_mode != StreamMode::Manual {
            return Err(EngineError::NotManualStreamMode);
        }
        let status = record.archive.status;
        let streams = &mut record.archive.streams;
        match change {
            StreamChange::Add {
                stream_id,
                has_audio,
                has_video,
            } => {
                self.published_streams(&record.archive.session_id)
                    .iter()
                    .find(|stream| stream.id == stream_id)
                    .ok_or(EngineError::StreamNotFound)?;
                let stream_id = stream_id.to_string();
                streams.retain(|stream| stream.stream_id != stream_id);
                streams.push(ArchiveStream {
                    stream_id,
                    has_audio,
                    has_video,
                });
            }
            StreamChange::Remove { stream_id } => {
                let stream_id = stream_id.to_string();
                let before = streams.len();
                streams.retain(|stream| stream.stream_id != stream_id);
                if streams.len() == before {
                    return Err(EngineError::StreamNotFound);
                }
            }
        }
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

/// A freshly started archive for `options`, owned by `project`, created at `now`.
fn new_archive(options: ArchiveOptions, project: &str, now: u64) -> ArchiveRecord {
    ArchiveRecord {
        archive: Archive::started(&options, ProjectId::new(project), now),
        layout: options.layout,
    }
}

/// `record` stopped by the API at `now`: duration in whole elapsed seconds.
fn stop(mut record: ArchiveRecord, now: u64) -> ArchiveRecord {
    let archive = &mut record.archive;
    archive.status = ArchiveStatus::Stopped;
    archive.reason = USER_INITIATED.to_owned();
    archive.duration = now.saturating_sub(archive.created_at) / 1000;
    archive.updated_at = Some(now);
    record
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opentok::model::{LayoutType, Resolution};
    use crate::opentok::session_id::SessionId;

    fn session() -> SessionId {
        SessionId::parse("1_MX4xMjM0NTZ-flNhdCBNYXIgMTUgMTQ6NDI6MjMgUERUIDIwMTR-MC40OTAxMzAyNX4")
            .expect("fixture id")
    }

    #[test]
    fn new_composed_archives_default_to_sd_and_start_empty() {
        let mut options = ArchiveOptions::new(session());
        options.name = Some("demo".into());
        options.layout = Some(ArchiveLayout::new(LayoutType::Pip));
        let record = new_archive(options, "123456", 1_000);
        let archive = &record.archive;
        assert_eq!(archive.status, ArchiveStatus::Started);
        assert_eq!(archive.resolution, Some(Resolution::Sd));
        assert_eq!(
            (archive.size, archive.duration, archive.url.as_deref()),
            (0, 0, None)
        );
        assert_eq!(
            (archive.created_at, archive.updated_at),
            (1_000, Some(1_000))
        );
        assert_eq!(archive.project_id.as_str(), "123456");
        assert_eq!(archive.name.as_deref(), Some("demo"));
        assert_eq!(record.layout, Some(ArchiveLayout::new(LayoutType::Pip)));
    }

    #[test]
    fn individual_archives_have_no_resolution() {
        let mut options = ArchiveOptions::new(session());
        options.output_mode = OutputMode::Individual;
        assert_eq!(new_archive(options, "123456", 0).archive.resolution, None);
    }

    #[test]
    fn stopping_records_whole_elapsed_seconds_and_the_reason() {
        let started = new_archive(ArchiveOptions::new(session()), "123456", 10_000);
        let stopped = stop(started, 72_999).archive;
        assert_eq!(stopped.status, ArchiveStatus::Stopped);
        assert_eq!(stopped.duration, 62);
        assert_eq!(stopped.reason, USER_INITIATED);
        assert_eq!(stopped.updated_at, Some(72_999));
        let clock_went_back = stop(
            new_archive(ArchiveOptions::new(session()), "1", 5_000),
            4_000,
        );
        assert_eq!(clock_went_back.archive.duration, 0);
    }
}
