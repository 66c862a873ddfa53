//! Restart recovery: archives and their files survive a restart, so at
//! start-up the engine finishes what the previous run left. An archive
//! still `started` or `paused` is stopped (reason `"session ended"`: the
//! restart disconnected everyone) with the length its timeline recorded,
//! and its output is produced from what `raw/` holds, unfinished files
//! repaired; a `stopped` archive whose output was never stored gets it now.

use crate::engine::recording::{recorders, Timeline};
use crate::engine::{now_ms, Engine, EngineError};
use crate::opentok::model::archive_query::MAX_LIST_COUNT;
use crate::opentok::model::{ArchiveQuery, ArchiveStatus};

use super::lifecycle::{stop, SESSION_ENDED};
use super::output::Source;

impl Engine {
    /// Finishes the archives a previous run left recording or processing
    /// (their outputs are produced in spawned tasks); returns how many.
    pub async fn recover_archives(&self) -> Result<usize, EngineError> {
        let mut recovered = 0;
        let mut query = ArchiveQuery {
            offset: 0,
            count: MAX_LIST_COUNT,
            session_id: None,
        };
        loop {
            let page = self.store().list_archives(&query).await?;
            let fetched = page.items.len();
            for record in page.items {
                let archive = &record.archive;
                match archive.status {
                    ArchiveStatus::Started | ArchiveStatus::Paused => {
                        let dir = self.archive_config().archive_dir(archive.id);
                        let recorded = tokio::task::spawn_blocking(move || Timeline::load(&dir))
                            .await
                            .ok()
                            .and_then(Result::ok)
                            .flatten()
                            .map(|timeline| timeline.duration_ms / 1000);
                        let previous = archive.status;
                        let id = archive.id;
                        let mut stopped = stop(record, now_ms(), SESSION_ENDED);
                        if let Some(seconds) = recorded {
                            stopped.archive.duration = seconds;
                        }
                        self.replace(&stopped, previous).await?;
                        // Only an engine dropped mid-recording in this same
                        // process leaves a recorder running.
                        let source = recorders()
                            .finish(id)
                            .map_or(Source::Disk, Source::Recorder);
                        self.produce_output(id, source);
                        recovered += 1;
                    }
                    ArchiveStatus::Stopped => {
                        self.produce_output(archive.id, Source::Disk);
                        recovered += 1;
                    }
                    _ => {}
                }
            }
            if fetched < MAX_LIST_COUNT as usize {
                break;
            }
            query.offset += MAX_LIST_COUNT;
        }
        if recovered > 0 {
            tracing::info!(
                archives = recovered,
                "finishing archives left by the previous run"
            );
        }
        Ok(recovered)
    }
}
