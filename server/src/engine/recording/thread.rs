//! The state a recorder thread owns: the streams it knows are live, a
//! [`StreamSink`] per recorded stream, and the [`Timeline`] it keeps in
//! `streams.json` — saved whenever a file opens or closes, and at most
//! every [`SAVE_EVERY`] while frames flow, so a crash loses little.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use uuid::Uuid;

use crate::engine::hub::protocol::StreamView;
use crate::engine::media::TapEvent;

use super::recorder::RecorderSpec;
use super::selection::{Selection, StreamChange};
use super::sink::{Span, StreamSink};
use super::timeline::{archive_ms, Timeline, TimelineEntry, RAW_DIR};
use super::{RecordingError, TrackKind, TrackSpec};

/// How often a recording timeline is saved while nothing opens or closes.
pub const SAVE_EVERY: Duration = Duration::from_secs(1);

/// A live stream as the tap announced it.
#[derive(Debug, Clone)]
struct Known {
    view: StreamView,
    connection_data: String,
}

/// A stream being recorded, and its timeline entry once its file opened.
#[derive(Debug)]
struct Recording {
    sink: StreamSink,
    tracks: TrackSpec,
    file: String,
    entry: Option<usize>,
}

/// See the module documentation.
#[derive(Debug)]
pub(super) struct RecorderThread {
    dir: PathBuf,
    started: Instant,
    selection: Selection,
    timeline: Timeline,
    known: HashMap<Uuid, Known>,
    recording: HashMap<Uuid, Recording>,
    saved_at: Instant,
}

impl RecorderThread {
    pub(super) fn new(spec: RecorderSpec, timeline: Timeline) -> RecorderThread {
        RecorderThread {
            dir: spec.dir,
            started: spec.started,
            selection: spec.selection,
            timeline,
            known: HashMap::new(),
            recording: HashMap::new(),
            saved_at: Instant::now(),
        }
    }

    pub(super) fn on_event(&mut self, event: TapEvent) {
        match event {
            TapEvent::StreamStarted {
                stream,
                connection_data,
            } => {
                let id = stream.stream_id;
                self.known.insert(
                    id,
                    Known {
                        view: stream,
                        connection_data: connection_data.unwrap_or_default(),
                    },
                );
                self.consider(id);
            }
            TapEvent::Frame(frame) => {
                let ms = archive_ms(self.started, frame.captured);
                let Some(recording) = self.recording.get_mut(&frame.stream_id) else {
                    return;
                };
                if let Err(err) = recording.sink.push(ms, &frame) {
                    tracing::error!(error = %err, stream = %frame.stream_id, "cannot record a stream");
                    self.close(frame.stream_id);
                    return;
                }
                self.note_span(frame.stream_id);
            }
            TapEvent::StreamEnded { stream_id } => {
                self.known.remove(&stream_id);
                self.close(stream_id);
            }
        }
    }

    pub(super) fn on_change(&mut self, change: &StreamChange) {
        self.selection.apply(change);
        let id = match *change {
            StreamChange::Add { stream_id, .. } | StreamChange::Remove { stream_id } => stream_id,
        };
        self.consider(id);
    }

    /// Saves the timeline if it is due.
    pub(super) fn tick(&mut self) {
        if self.saved_at.elapsed() >= SAVE_EVERY {
            self.save();
        }
    }

    /// Closes every file and saves the final timeline.
    pub(super) fn finish(mut self) -> Result<Timeline, RecordingError> {
        let ids: Vec<Uuid> = self.recording.keys().copied().collect();
        for id in ids {
            self.close(id);
        }
        self.timeline.duration_ms = archive_ms(self.started, Instant::now());
        self.timeline.complete = true;
        self.timeline.save(&self.dir)?;
        Ok(self.timeline)
    }

    /// Starts, keeps, restarts or stops recording stream `id` to match the
    /// selection.
    fn consider(&mut self, id: Uuid) {
        let wanted = self
            .known
            .get(&id)
            .and_then(|known| self.selection.tracks(&known.view));
        let current = self.recording.get(&id).map(|r| r.tracks);
        if wanted == current {
            return;
        }
        self.close(id);
        if let Some(tracks) = wanted {
            let file = self.timeline.next_file_name(id);
            let path = self.dir.join(RAW_DIR).join(&file);
            let recording = Recording {
                sink: StreamSink::new(path, tracks),
                tracks,
                file,
                entry: None,
            };
            self.recording.insert(id, recording);
        }
    }

    /// Records where stream `id`'s file now ends (adding its timeline
    /// entry when the file has just opened).
    fn note_span(&mut self, id: Uuid) {
        let Some(recording) = self.recording.get_mut(&id) else {
            return;
        };
        let Some(span) = recording.sink.span() else {
            return;
        };
        match recording.entry {
            Some(at) => self.timeline.streams[at].stop_time_offset = span.last_ms,
            None => {
                let known = self.known.get(&id);
                let entry = TimelineEntry {
                    stream_id: id,
                    file: recording.file.clone(),
                    connection_data: known.map(|k| k.connection_data.clone()).unwrap_or_default(),
                    video_type: known
                        .and_then(|k| k.view.video_type)
                        .filter(|_| recording.tracks.has(TrackKind::Video)),
                    has_audio: recording.tracks.has(TrackKind::Audio),
                    has_video: recording.tracks.has(TrackKind::Video),
                    start_time_offset: span.start_ms,
                    stop_time_offset: span.last_ms,
                    closed: false,
                };
                recording.entry = Some(self.timeline.streams.len());
                self.timeline.streams.push(entry);
                self.save();
            }
        }
    }

    /// Stops recording stream `id`: completes its file and its entry.
    fn close(&mut self, id: Uuid) {
        let Some(recording) = self.recording.remove(&id) else {
            return;
        };
        let Some(at) = recording.entry else {
            return;
        };
        match recording.sink.finish() {
            Ok(span) => {
                let entry = &mut self.timeline.streams[at];
                if let Some(Span { last_ms, .. }) = span {
                    entry.stop_time_offset = last_ms;
                }
                entry.closed = true;
            }
            // Left unclosed: recovery repairs what the file holds.
            Err(err) => tracing::error!(error = %err, stream = %id, "cannot finish a stream file"),
        }
        self.save();
    }

    fn save(&mut self) {
        self.timeline.duration_ms = archive_ms(self.started, Instant::now());
        if let Err(err) = self.timeline.save(&self.dir) {
            tracing::error!(error = %err, "cannot save an archive timeline");
        }
        self.saved_at = Instant::now();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    use crate::engine::media::MediaFrame;
    use crate::opentok::model::{
        Archive, ArchiveOptions, MediaMode, ProjectId, StreamMode, VideoType,
    };
    use crate::opentok::session_id::SessionId;

    /// A 64×48 VP8 keyframe header.
    const KEY: [u8; 10] = [0x50, 0x42, 0x00, 0x9D, 0x01, 0x2A, 0x40, 0x00, 0x30, 0x00];

    struct Feed {
        thread: RecorderThread,
        start: Instant,
        _dir: tempfile::TempDir,
    }

    fn feed(mode: StreamMode) -> Feed {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(RAW_DIR)).unwrap();
        let mut options = ArchiveOptions::new(SessionId::generate("1", None, MediaMode::Routed));
        options.stream_mode = mode;
        let archive = Archive::started(&options, ProjectId::new("1"), 0);
        let start = Instant::now();
        let spec = RecorderSpec {
            archive_id: archive.id,
            dir: dir.path().to_path_buf(),
            selection: Selection::of(&archive),
            started: start,
        };
        Feed {
            thread: RecorderThread::new(spec, Timeline::new(archive.id)),
            start,
            _dir: dir,
        }
    }

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    impl Feed {
        fn started(&mut self, n: u128) {
            let stream = StreamView {
                stream_id: id(n),
                connection_id: id(100 + n),
                name: String::new(),
                has_audio: true,
                has_video: true,
                video_type: Some(VideoType::Camera),
                creation_time: 0,
            };
            self.thread.on_event(TapEvent::StreamStarted {
                stream,
                connection_data: Some(format!("n={n}")),
            });
        }

        fn frame(&mut self, n: u128, kind: TrackKind, ms: u64) {
            let data: &[u8] = match kind {
                TrackKind::Audio => &[0xFC, 0xFF, 0xFE],
                TrackKind::Video => &KEY,
            };
            self.thread.on_event(TapEvent::Frame(Arc::new(MediaFrame {
                stream_id: id(n),
                kind,
                captured: self.start + Duration::from_millis(ms),
                data: data.into(),
                keyframe: true,
            })));
        }

        fn spans(self) -> Vec<(String, u64, u64, bool)> {
            let timeline = self.thread.finish().unwrap();
            assert!(timeline.complete);
            timeline
                .streams
                .into_iter()
                .map(|e| (e.file, e.start_time_offset, e.stop_time_offset, e.closed))
                .collect()
        }
    }

    #[test]
    fn each_stream_gets_a_file_placed_at_its_own_offsets() {
        let mut feed = feed(StreamMode::Auto);
        feed.started(1);
        feed.frame(1, TrackKind::Video, 100);
        feed.frame(1, TrackKind::Audio, 900);
        feed.started(2);
        feed.frame(2, TrackKind::Audio, 1_500);
        feed.frame(2, TrackKind::Video, 1_600);
        feed.frame(2, TrackKind::Video, 2_400);
        feed.thread
            .on_event(TapEvent::StreamEnded { stream_id: id(2) });
        feed.frame(2, TrackKind::Video, 2_500);
        feed.frame(3, TrackKind::Video, 2_600);
        feed.frame(1, TrackKind::Video, 3_000);
        assert_eq!(
            feed.spans(),
            [
                (format!("{}.webm", id(1)), 100, 3_000, true),
                (format!("{}.webm", id(2)), 1_500, 2_400, true),
            ]
        );
    }

    #[test]
    fn manual_mode_follows_changes_and_numbers_re_added_files() {
        let mut feed = feed(StreamMode::Manual);
        feed.started(1);
        feed.frame(1, TrackKind::Video, 100);
        let add = StreamChange::Add {
            stream_id: id(1),
            has_audio: true,
            has_video: true,
        };
        feed.thread.on_change(&add);
        feed.frame(1, TrackKind::Video, 200);
        feed.thread
            .on_change(&StreamChange::Remove { stream_id: id(1) });
        feed.frame(1, TrackKind::Video, 300);
        feed.thread.on_change(&add);
        feed.frame(1, TrackKind::Video, 400);
        feed.frame(1, TrackKind::Video, 500);
        assert_eq!(
            feed.spans(),
            [
                (format!("{}.webm", id(1)), 200, 200, true),
                (format!("{}-2.webm", id(1)), 400, 500, true),
            ]
        );
    }
}
