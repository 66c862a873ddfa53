//! An archive's timeline: which stream files it has, where each sits in the
//! archive (`startTimeOffset` / `stopTimeOffset`, ms after the archive
//! started) and how long the archive has recorded. The recorder keeps it in
//! `streams.json` beside the files (written to a temporary file and renamed,
//! so a crash leaves the previous version whole), which is all a restarted
//! server needs to finish an archive from what `raw/` holds.
//!
//! Archive time is the server's monotonic clock: a frame's offset is its
//! `captured` instant minus the archive's start; a stream file's own
//! timestamps start at 0 with its first frame.

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::opentok::model::VideoType;

use super::{RecordingError, TrackSpec};

/// The timeline's file name in an archive's directory.
pub const TIMELINE_FILE: &str = "streams.json";
/// The sub-directory of an archive's directory holding the stream files.
pub const RAW_DIR: &str = "raw";

/// `streams.json`: what an archive recorded so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Timeline {
    /// The archive.
    pub archive_id: Uuid,
    /// How long the archive has recorded, in ms (final once `complete`).
    pub duration_ms: u64,
    /// Whether the recorder finished: every file is closed and complete.
    pub complete: bool,
    /// One entry per stream file, in the order they were opened.
    pub streams: Vec<TimelineEntry>,
}

/// One stream file of the [`Timeline`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TimelineEntry {
    /// The recorded stream.
    pub stream_id: Uuid,
    /// The file's name in `raw/` (`{streamId}.webm`, then `-2`, `-3` … when
    /// the stream is recorded again).
    pub file: String,
    /// The publisher's connection data.
    pub connection_data: String,
    /// What the stream's video shows (`None` without video).
    pub video_type: Option<VideoType>,
    /// Whether the file has an audio track.
    pub has_audio: bool,
    /// Whether the file has a video track.
    pub has_video: bool,
    /// The archive time of the file's first frame, ms.
    pub start_time_offset: u64,
    /// The archive time of its last frame so far, ms.
    pub stop_time_offset: u64,
    /// Whether the file was finished (else a crash cut it short).
    pub closed: bool,
}

impl Timeline {
    /// An empty timeline for `archive_id`.
    pub fn new(archive_id: Uuid) -> Timeline {
        Timeline {
            archive_id,
            duration_ms: 0,
            complete: false,
            streams: Vec::new(),
        }
    }

    /// The file name a new recording of `stream_id` gets: `{id}.webm` the
    /// first time, `{id}-2.webm` the second, and so on.
    pub fn next_file_name(&self, stream_id: Uuid) -> String {
        let earlier = self
            .streams
            .iter()
            .filter(|entry| entry.stream_id == stream_id)
            .count();
        match earlier {
            0 => format!("{stream_id}.webm"),
            n => format!("{stream_id}-{}.webm", n + 1),
        }
    }

    /// Reads `dir/streams.json`; `None` when the archive never wrote one.
    pub fn load(dir: &Path) -> Result<Option<Timeline>, RecordingError> {
        let path = dir.join(TIMELINE_FILE);
        match std::fs::read(&path) {
            Ok(bytes) => Ok(Some(serde_json::from_slice(&bytes)?)),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(RecordingError::io("read", path)(err)),
        }
    }

    /// Writes `dir/streams.json` atomically (temporary file, then rename).
    pub fn save(&self, dir: &Path) -> Result<(), RecordingError> {
        let path = dir.join(TIMELINE_FILE);
        let partial = dir.join(format!("{TIMELINE_FILE}.tmp"));
        let bytes = serde_json::to_vec_pretty(self)?;
        std::fs::write(&partial, bytes).map_err(RecordingError::io("write", &partial))?;
        std::fs::rename(&partial, &path).map_err(RecordingError::io("rename", &partial))
    }
}

impl TimelineEntry {
    /// The tracks its file holds; `None` for an entry with neither (never
    /// written by the recorder, but `streams.json` is input on restart).
    pub fn tracks(&self) -> Option<TrackSpec> {
        TrackSpec::from_flags(self.has_audio, self.has_video)
    }

    /// Where its file is, under the archive directory `dir`.
    pub fn path(&self, dir: &Path) -> PathBuf {
        dir.join(RAW_DIR).join(&self.file)
    }

    /// How long it lasted, ms.
    pub fn duration_ms(&self) -> u64 {
        self.stop_time_offset.saturating_sub(self.start_time_offset)
    }
}

/// A moment as archive time: ms after `start` (0 for moments before it).
pub fn archive_ms(start: Instant, moment: Instant) -> u64 {
    let elapsed = moment.saturating_duration_since(start).as_millis();
    u64::try_from(elapsed).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn entry(stream_id: Uuid, file: &str) -> TimelineEntry {
        TimelineEntry {
            stream_id,
            file: file.into(),
            connection_data: "name=a".into(),
            video_type: Some(VideoType::Camera),
            has_audio: true,
            has_video: false,
            start_time_offset: 1_500,
            stop_time_offset: 4_200,
            closed: false,
        }
    }

    #[test]
    fn a_re_recorded_stream_gets_a_numbered_file() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let mut timeline = Timeline::new(Uuid::from_u128(9));
        assert_eq!(timeline.next_file_name(a), format!("{a}.webm"));
        timeline.streams.push(entry(a, &format!("{a}.webm")));
        assert_eq!(timeline.next_file_name(a), format!("{a}-2.webm"));
        timeline.streams.push(entry(a, &format!("{a}-2.webm")));
        assert_eq!(timeline.next_file_name(a), format!("{a}-3.webm"));
        assert_eq!(timeline.next_file_name(b), format!("{b}.webm"));
    }

    #[test]
    fn offsets_are_ms_after_the_start_and_never_negative() {
        let start = Instant::now();
        assert_eq!(
            archive_ms(start, start + Duration::from_micros(1_500_900)),
            1_500
        );
        assert_eq!(archive_ms(start + Duration::from_secs(1), start), 0);
        let e = entry(Uuid::nil(), "x.webm");
        assert_eq!(e.duration_ms(), 2_700);
        assert_eq!(e.tracks(), Some(TrackSpec::Audio));
        assert_eq!(e.path(Path::new("/a")), PathBuf::from("/a/raw/x.webm"));
    }

    #[test]
    fn saving_replaces_the_file_and_loading_reads_it_back() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Timeline::load(dir.path()).unwrap(), None);
        let mut timeline = Timeline::new(Uuid::from_u128(7));
        timeline.streams.push(entry(Uuid::from_u128(1), "one.webm"));
        timeline.save(dir.path()).unwrap();
        timeline.duration_ms = 9_000;
        timeline.complete = true;
        timeline.save(dir.path()).unwrap();
        assert_eq!(Timeline::load(dir.path()).unwrap(), Some(timeline));
        assert!(!dir.path().join("streams.json.tmp").exists());
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.path().join(TIMELINE_FILE)).unwrap())
                .unwrap();
        assert_eq!(json["streams"][0]["startTimeOffset"], 1_500);
        assert_eq!(json["streams"][0]["stopTimeOffset"], 4_200);
        std::fs::write(dir.path().join(TIMELINE_FILE), b"{").unwrap();
        assert!(matches!(
            Timeline::load(dir.path()),
            Err(RecordingError::Manifest(_))
        ));
    }
}
