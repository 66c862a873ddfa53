//! Manual stream mode: `PATCH /archive/{id}/streams` adds a stream to, or
//! removes one from, `archive.streams`. While the archive records, the
//! change reaches its recorder at once: a removed stream's file is closed
//! (its stop offset recorded); an added stream is announced to the recorder
//! again by re-tapping the session, which also asks its publisher for a
//! keyframe, so its file opens promptly (`{streamId}-2.webm` if it had
//! been recorded before).

use uuid::Uuid;

use crate::engine::recording::{recorders, StreamChange};
use crate::engine::{now_ms, Engine, EngineError};
use crate::opentok::model::{ArchiveStatus, ArchiveStream, StreamMode};

impl Engine {
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
        self.replace(&record, status).await?;
        if matches!(status, ArchiveStatus::Started | ArchiveStatus::Paused) {
            let adds = matches!(change, StreamChange::Add { .. });
            if recorders().change(archive_id, change).await && adds {
                if let Some(tap) = recorders().input(archive_id) {
                    self.media()
                        .tap(&record.archive.session_id, archive_id, tap);
                }
            }
        }
        Ok(())
    }
}
