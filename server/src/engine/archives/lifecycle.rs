//! Starting, stopping and deleting archives. Start: the platform's checks,
//! the stored record, a recorder on the session's tap, `archiveStarted` to
//! every client, and a watchdog for the automatic stops. Stop (API,
//! watchdog, restart): `stopped` stored first, `archiveStopped`, the tap
//! removed, then — after the HTTP answer — the recorder finished and the
//! output produced ([`super::output`]).

use std::time::Instant;

use uuid::Uuid;

use super::output::Source;
use crate::engine::recording::{recorders, RecorderSpec, RecordingError, Selection};
use crate::engine::{now_ms, Engine, EngineError};
use crate::opentok::model::{Archive, ArchiveOptions, ArchiveStatus, MediaMode, ProjectId};
use crate::store::{ArchiveRecord, StoreError};

/// The reason recorded when the API stops an archive.
pub const USER_INITIATED: &str = "user initiated";
/// The reason recorded when an archive stops after everyone left (and
/// when a restart of the server ended its session).
pub const SESSION_ENDED: &str = "session ended";
/// The reason recorded when an archive reaches the recording cap.
pub const MAXIMUM_DURATION: &str = "maximum duration exceeded";
/// The reason of an archive whose recording or output failed.
pub const FAILURE: &str = "failure";

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
            Ok(()) => {}
            Err(StoreError::Conflict(_)) => return Err(EngineError::AlreadyRecording),
            Err(err) => return Err(err.into()),
        }
        let archive = record.archive.clone();
        let spec = RecorderSpec {
            archive_id: archive.id,
            dir: self.archive_config().archive_dir(archive.id),
            selection: Selection::of(&archive),
            started: Instant::now(),
        };
        let started = match recorders().start(spec) {
            Ok(started) => started,
            Err(err) => return Err(self.fail_to_start(record, err).await),
        };
        self.media()
            .tap(&archive.session_id, archive.id, started.tap);
        self.hub()
            .archive_started(&archive.session_id, archive.id, archive.name.clone());
        self.watch(&archive, started.ended);
        Ok(archive)
    }

    /// Stops a recording archive: 404 unknown, 409 not recording.
    pub async fn stop_archive(&self, archive_id: Uuid) -> Result<Archive, EngineError> {
        self.stop_for(archive_id, USER_INITIATED).await
    }

    /// Deletes an archive and its files: 404 unknown, 409 unless
    /// `available` or `uploaded`.
    pub async fn delete_archive(&self, archive_id: Uuid) -> Result<(), EngineError> {
        let record = self.archive_record(archive_id).await?;
        let status = record.archive.status;
        if !matches!(status, ArchiveStatus::Available | ArchiveStatus::Uploaded) {
            return Err(EngineError::NotDeletable(status));
        }
        if !self.store().delete_archive(archive_id).await? {
            return Err(EngineError::ArchiveNotFound(archive_id));
        }
        let dir = self.archive_config().archive_dir(archive_id);
        match tokio::fs::remove_dir_all(&dir).await {
            Ok(()) => {}
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => {
                tracing::error!(error = %err, dir = %dir.display(), "cannot remove archive files")
            }
        }
        Ok(())
    }

    /// Stops a recording archive with `reason` (see [`stop_archive`](Self::stop_archive)).
    pub(super) async fn stop_for(
        &self,
        archive_id: Uuid,
        reason: &str,
    ) -> Result<Archive, EngineError> {
        let record = self.archive_record(archive_id).await?;
        let previous = record.archive.status;
        if !matches!(previous, ArchiveStatus::Started | ArchiveStatus::Paused) {
            return Err(EngineError::NotRecording(previous));
        }
        let stopped = stop(record, now_ms(), reason);
        self.replace(&stopped, previous).await?;
        let archive = stopped.archive;
        self.hub().archive_stopped(&archive.session_id, archive.id);
        self.media().untap(&archive.session_id, archive.id);
        let source = recorders()
            .finish(archive.id)
            .map_or(Source::Disk, Source::Recorder);
        self.produce_output(archive.id, source);
        Ok(archive)
    }

    /// Marks an archive whose recorder could not start as failed (freeing
    /// its tag) and turns the cause into the 500 answer.
    async fn fail_to_start(&self, mut record: ArchiveRecord, err: RecordingError) -> EngineError {
        tracing::error!(error = %err, archive = %record.archive.id, "cannot start recording");
        record.archive.status = ArchiveStatus::Failed;
        record.archive.reason = FAILURE.to_owned();
        record.archive.updated_at = Some(now_ms());
        if let Err(store) = self.replace(&record, ArchiveStatus::Started).await {
            tracing::error!(error = %store, "cannot mark the archive failed");
        }
        let dir = self.archive_config().archive_dir(record.archive.id);
        EngineError::Store(StoreError::DataDir {
            path: dir,
            source: match err {
                RecordingError::Io { source, .. } => source,
                other => std::io::Error::other(other.to_string()),
            },
        })
    }
}

/// A freshly started archive for `options`, owned by `project`, created at `now`.
pub(super) fn new_archive(options: ArchiveOptions, project: &str, now: u64) -> ArchiveRecord {
    ArchiveRecord {
        archive: Archive::started(&options, ProjectId::new(project), now),
        layout: options.layout,
    }
}

/// `record` stopped at `now` for `reason`: duration in whole elapsed seconds.
pub(super) fn stop(mut record: ArchiveRecord, now: u64, reason: &str) -> ArchiveRecord {
    let archive = &mut record.archive;
    archive.status = ArchiveStatus::Stopped;
    archive.reason = reason.to_owned();
    archive.duration = now.saturating_sub(archive.created_at) / 1000;
    archive.updated_at = Some(now);
    record
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opentok::model::{ArchiveLayout, LayoutType, OutputMode, Resolution};
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
        let stopped = stop(started, 72_999, MAXIMUM_DURATION).archive;
        assert_eq!(stopped.status, ArchiveStatus::Stopped);
        assert_eq!(stopped.duration, 62);
        assert_eq!(stopped.reason, "maximum duration exceeded");
        assert_eq!(stopped.updated_at, Some(72_999));
        let clock_went_back = stop(
            new_archive(ArchiveOptions::new(session()), "1", 5_000),
            4_000,
            USER_INITIATED,
        );
        assert_eq!(clock_went_back.archive.duration, 0);
        assert_eq!(clock_went_back.archive.reason, "user initiated");
    }

    #[test]
    fn reasons_are_worded_as_the_platform_words_them() {
        assert_eq!(
            [USER_INITIATED, SESSION_ENDED, MAXIMUM_DURATION, FAILURE],
            [
                "user initiated",
                "session ended",
                "maximum duration exceeded",
                "failure"
            ]
        );
    }
}
