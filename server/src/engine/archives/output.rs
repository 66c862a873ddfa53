//! After an archive stopped, in a spawned task: wait for its recorder to
//! close the files (or read what a previous run left on disk), produce the
//! output ([`postprocess`]) with ffmpeg — one job at a time in the whole
//! process — and store the archive `available` with its `url`, `size`
//! (bytes) and `duration` (seconds, of the output), or `failed` with the
//! reason `"failure"` (the cause is logged).

use std::sync::LazyLock;

use uuid::Uuid;

use super::files::OutputFile;
use super::lifecycle::FAILURE;
use crate::engine::recording::postprocess::{produce, repair};
use crate::engine::recording::recorder::Finished;
use crate::engine::recording::{FfmpegRunner, RecordingError, StreamFile, Timeline};
use crate::engine::{now_ms, Engine, EngineError};
use crate::opentok::model::{Archive, ArchiveStatus};

/// ffmpeg for every archive of the process: one job at a time.
static FFMPEG: LazyLock<FfmpegRunner> = LazyLock::new(FfmpegRunner::new);

/// Where the stopped archive's timeline comes from.
#[derive(Debug)]
pub(super) enum Source {
    /// Its recorder, which is finishing in this process.
    Recorder(Finished),
    /// `streams.json` and `raw/`, as a previous run (or a failed recorder)
    /// left them: unfinished files are repaired first.
    Disk,
}

impl Engine {
    /// Produces archive `archive_id`'s output in a spawned task.
    pub(super) fn produce_output(&self, archive_id: Uuid, source: Source) {
        let engine = self.clone();
        tokio::spawn(async move {
            if let Err(err) = engine.finish_archive(archive_id, source).await {
                tracing::error!(error = %err, archive = %archive_id, "cannot store the archive's output");
            }
        });
    }

    async fn finish_archive(&self, archive_id: Uuid, source: Source) -> Result<(), EngineError> {
        let from_recorder = match source {
            Source::Recorder(finished) => match finished.await {
                Ok(Ok(timeline)) => Some(timeline),
                Ok(Err(err)) => {
                    tracing::error!(error = %err, archive = %archive_id, "the recorder did not finish cleanly");
                    None
                }
                Err(_) => None,
            },
            Source::Disk => None,
        };
        let mut record = self.archive_record(archive_id).await?;
        if record.archive.status != ArchiveStatus::Stopped {
            return Ok(());
        }
        match self.make_output(&record.archive, from_recorder).await {
            Ok(file) => {
                let url = self
                    .archive_config()
                    .file_url(archive_id, OutputFile::of(record.archive.output_mode));
                available(&mut record.archive, &file, url);
            }
            Err(err) => {
                tracing::error!(error = %err, archive = %archive_id, "archive output failed");
                record.archive.status = ArchiveStatus::Failed;
                record.archive.reason = FAILURE.to_owned();
            }
        }
        record.archive.updated_at = Some(now_ms());
        // A delete that came first wins: `replace` then reports a conflict.
        match self.replace(&record, ArchiveStatus::Stopped).await {
            Ok(()) | Err(EngineError::NotRecording(_) | EngineError::ArchiveNotFound(_)) => Ok(()),
            Err(err) => Err(err),
        }
    }

    async fn make_output(
        &self,
        archive: &Archive,
        timeline: Option<Timeline>,
    ) -> Result<StreamFile, RecordingError> {
        let dir = self.archive_config().archive_dir(archive.id);
        let timeline = match timeline {
            Some(timeline) => timeline,
            None => {
                let from = dir.clone();
                let loaded = tokio::task::spawn_blocking(move || Timeline::load(&from))
                    .await
                    .map_err(|err| {
                        RecordingError::io("read", &dir)(std::io::Error::other(err))
                    })??;
                let mut timeline = loaded.unwrap_or_else(|| {
                    let mut empty = Timeline::new(archive.id);
                    empty.duration_ms = archive.duration * 1000;
                    empty
                });
                if timeline.streams.iter().any(|entry| !entry.closed) {
                    tokio::fs::create_dir_all(&dir)
                        .await
                        .map_err(RecordingError::io("create", &dir))?;
                    repair(&FFMPEG, &dir, &mut timeline).await?;
                }
                timeline
            }
        };
        produce(&FFMPEG, &dir, archive, &timeline).await
    }
}

/// `archive` made available as `file` at `url`.
fn available(archive: &mut Archive, file: &StreamFile, url: String) {
    archive.status = ArchiveStatus::Available;
    archive.url = Some(url);
    archive.size = file.size;
    archive.duration = (file.duration_ms + 500) / 1000;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opentok::model::{ArchiveOptions, MediaMode, ProjectId};
    use crate::opentok::session_id::SessionId;

    #[test]
    fn available_archives_carry_their_file_in_whole_seconds() {
        let options = ArchiveOptions::new(SessionId::generate("1", None, MediaMode::Routed));
        let mut archive = Archive::started(&options, ProjectId::new("1"), 0);
        let file = StreamFile {
            path: "/a/archive.webm".into(),
            duration_ms: 4_600,
            size: 12_345,
        };
        available(&mut archive, &file, "/recordings/x/archive.webm".into());
        assert_eq!(archive.status, ArchiveStatus::Available);
        assert_eq!((archive.size, archive.duration), (12_345, 5));
        assert_eq!(archive.url.as_deref(), Some("/recordings/x/archive.webm"));
    }
}
