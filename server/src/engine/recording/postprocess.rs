//! After an archive stops: its output file, made from its [`Timeline`] and
//! the stream files in `raw/` — `archive.webm` composed by ffmpeg for
//! `composed` archives, `archive.zip` for `individual` ones — and its real
//! length, read back with ffprobe. Stream files a crash left unfinished are
//! first repaired by an ffmpeg remux (which rewrites what only the end of a
//! file knows); one that cannot be read is left out.
//!
//! An archive in which nothing was recorded still gets a valid output: a
//! composed archive is black and silent for its length (at least
//! [`MIN_COMPOSED_MS`]), an individual one is a zip holding only its manifest.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tokio::process::Command;

use crate::opentok::model::{Archive, OutputMode, Resolution};

use super::compose::{compose, ComposeInput, ComposeRequest};
use super::ffmpeg::FfmpegRunner;
use super::package::{package_individual, ArchiveInfo, IndividualStream};
use super::timeline::Timeline;
use super::{RecordingError, StreamFile, TrackSpec};

/// The shortest composed archive: ffmpeg needs some length to encode.
pub const MIN_COMPOSED_MS: u64 = 1_000;
/// How long a remux of one stream file may take.
const REMUX_TIMEOUT: Duration = Duration::from_secs(120);

/// The output's file name in the archive directory, per output mode.
pub fn output_name(mode: OutputMode) -> &'static str {
    match mode {
        OutputMode::Composed => "archive.webm",
        OutputMode::Individual => "archive.zip",
    }
}

/// Produces `archive`'s output in `dir` from `timeline`. The returned
/// file's duration is the output's playing time (ffprobe's, for a WebM).
pub async fn produce(
    runner: &FfmpegRunner,
    dir: &Path,
    archive: &Archive,
    timeline: &Timeline,
) -> Result<StreamFile, RecordingError> {
    let output = dir.join(output_name(archive.output_mode));
    match archive.output_mode {
        OutputMode::Composed => {
            let request = compose_request(dir, archive, timeline, output)?;
            let mut file = compose(runner, &request).await?;
            file.duration_ms = probe_duration_ms(&file.path).await?;
            Ok(file)
        }
        OutputMode::Individual => {
            let info = ArchiveInfo {
                id: archive.id,
                name: archive.name.clone(),
                session_id: archive.session_id.clone(),
                created_at: archive.created_at,
            };
            let streams = individual_streams(dir, timeline)?;
            tokio::task::spawn_blocking(move || package_individual(&info, &streams, &output))
                .await
                .map_err(|err| RecordingError::io("package", dir)(std::io::Error::other(err)))?
        }
    }
}

/// Remuxes every unfinished stream file of `timeline` in place; entries
/// whose file cannot be read are dropped. Saves the repaired timeline.
pub async fn repair(
    runner: &FfmpegRunner,
    dir: &Path,
    timeline: &mut Timeline,
) -> Result<(), RecordingError> {
    let mut kept = Vec::with_capacity(timeline.streams.len());
    for mut entry in std::mem::take(&mut timeline.streams) {
        if !entry.closed {
            let path = entry.path(dir);
            match remux(runner, &path).await {
                Ok(()) => entry.closed = true,
                Err(err) => {
                    tracing::warn!(error = %err, file = %path.display(), "dropping an unreadable stream file");
                    continue;
                }
            }
        }
        kept.push(entry);
    }
    timeline.streams = kept;
    timeline.save(dir)
}

/// The playing time of a media file in ms, as ffprobe reads it.
pub async fn probe_duration_ms(path: &Path) -> Result<u64, RecordingError> {
    let output = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-show_entries",
            "format=duration",
            "-of",
            "csv=p=0",
        ])
        .arg(path)
        .stdin(Stdio::null())
        .kill_on_drop(true)
        .output()
        .await
        .map_err(|err| match err.kind() {
            std::io::ErrorKind::NotFound => RecordingError::ToolMissing("ffprobe".into()),
            _ => RecordingError::io("probe", path)(err),
        })?;
    let text = String::from_utf8_lossy(&output.stdout);
    let seconds: f64 = text
        .trim()
        .parse()
        .ok()
        .filter(|s: &f64| s.is_finite() && *s >= 0.0)
        .ok_or_else(|| RecordingError::FfmpegFailed {
            status: output.status.to_string(),
            stderr_tail: format!(
                "ffprobe found no duration in {}: {}",
                path.display(),
                String::from_utf8_lossy(&output.stderr).trim()
            ),
        })?;
    Ok((seconds * 1000.0).round() as u64)
}

fn compose_request(
    dir: &Path,
    archive: &Archive,
    timeline: &Timeline,
    output: PathBuf,
) -> Result<ComposeRequest, RecordingError> {
    let tracks = TrackSpec::from_flags(archive.has_audio, archive.has_video)
        .ok_or(RecordingError::EmptyArchive)?;
    let inputs: Vec<ComposeInput> = timeline
        .streams
        .iter()
        .filter_map(|entry| {
            Some(ComposeInput {
                file: StreamFile {
                    path: entry.path(dir),
                    duration_ms: entry.duration_ms(),
                    size: 0,
                },
                start_offset_ms: entry.start_time_offset,
                tracks: entry.tracks()?,
            })
        })
        .collect();
    let last_stop = timeline
        .streams
        .iter()
        .map(|entry| entry.stop_time_offset)
        .max()
        .unwrap_or(0);
    Ok(ComposeRequest {
        inputs,
        resolution: archive.resolution.unwrap_or(Resolution::Sd),
        duration_ms: timeline.duration_ms.max(last_stop).max(MIN_COMPOSED_MS),
        tracks,
        output,
    })
}

fn individual_streams(
    dir: &Path,
    timeline: &Timeline,
) -> Result<Vec<IndividualStream>, RecordingError> {
    timeline
        .streams
        .iter()
        .map(|entry| {
            let path = entry.path(dir);
            let size = std::fs::metadata(&path)
                .map_err(RecordingError::io("measure", &path))?
                .len();
            Ok(IndividualStream {
                stream_id: entry.stream_id,
                file: StreamFile {
                    path,
                    duration_ms: entry.duration_ms(),
                    size,
                },
                start_offset_ms: entry.start_time_offset,
                stop_offset_ms: entry.stop_time_offset,
                connection_data: entry.connection_data.clone(),
                video_type: entry.video_type,
            })
        })
        .collect()
}

/// Rewrites `path` with `ffmpeg -c copy` (through a temporary file).
async fn remux(runner: &FfmpegRunner, path: &Path) -> Result<(), RecordingError> {
    let repaired = path.with_extension("repaired.webm");
    let args: Vec<String> = ["-nostdin", "-y", "-v", "error", "-i"]
        .iter()
        .map(|s| s.to_string())
        .chain([path.display().to_string()])
        .chain(["-c", "copy", "-f", "webm"].iter().map(|s| s.to_string()))
        .chain([repaired.display().to_string()])
        .collect();
    let result = runner.run(&args, REMUX_TIMEOUT).await;
    if let Err(err) = result {
        let _ = std::fs::remove_file(&repaired);
        return Err(err);
    }
    std::fs::rename(&repaired, path).map_err(RecordingError::io("rename", &repaired))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::recording::timeline::TimelineEntry;
    use crate::opentok::model::{ArchiveOptions, MediaMode, ProjectId};
    use crate::opentok::session_id::SessionId;
    use uuid::Uuid;

    fn archive(has_audio: bool, has_video: bool) -> Archive {
        let mut options =
            ArchiveOptions::new(SessionId::generate("123456", None, MediaMode::Routed));
        options.has_audio = has_audio;
        options.has_video = has_video;
        Archive::started(&options, ProjectId::new("123456"), 0)
    }

    fn entry(file: &str, start: u64, stop: u64, has_video: bool) -> TimelineEntry {
        TimelineEntry {
            stream_id: Uuid::new_v4(),
            file: file.into(),
            connection_data: String::new(),
            video_type: None,
            has_audio: true,
            has_video,
            start_time_offset: start,
            stop_time_offset: stop,
            closed: true,
        }
    }

    #[test]
    fn composition_covers_the_archive_and_places_streams_at_their_offsets() {
        let mut timeline = Timeline::new(Uuid::nil());
        timeline.duration_ms = 4_000;
        timeline.streams = vec![
            entry("a.webm", 0, 4_200, true),
            entry("b.webm", 1_500, 3_000, false),
        ];
        let out = PathBuf::from("/d/archive.webm");
        let request =
            compose_request(Path::new("/d"), &archive(true, false), &timeline, out).unwrap();
        assert_eq!(request.duration_ms, 4_200, "the last frame is inside");
        assert_eq!(request.tracks, TrackSpec::Audio);
        assert_eq!(request.resolution, Resolution::Sd);
        let placed: Vec<(PathBuf, u64, u64)> = request
            .inputs
            .iter()
            .map(|i| (i.file.path.clone(), i.start_offset_ms, i.file.duration_ms))
            .collect();
        assert_eq!(
            placed,
            [
                (PathBuf::from("/d/raw/a.webm"), 0, 4_200),
                (PathBuf::from("/d/raw/b.webm"), 1_500, 1_500)
            ]
        );
    }

    #[test]
    fn empty_archives_still_compose_a_minimal_length() {
        let timeline = Timeline::new(Uuid::nil());
        let request = compose_request(
            Path::new("/d"),
            &archive(true, true),
            &timeline,
            "/d/o.webm".into(),
        )
        .unwrap();
        assert_eq!(
            (request.inputs.len(), request.duration_ms),
            (0, MIN_COMPOSED_MS)
        );
        assert_eq!(output_name(OutputMode::Individual), "archive.zip");
    }
}
