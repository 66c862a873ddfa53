//! One recorded stream inside the recorder: its file opens at the stream's
//! first video keyframe (nothing before it can be decoded), with the audio
//! of the last [`AUDIO_BUFFER_MS`] before that keyframe kept so the file
//! does not start silent; a stream recorded without video opens at its
//! first audio frame. File timestamps count from the file's first frame.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;

use crate::engine::media::MediaFrame;

use super::{RecordingError, TrackKind, TrackSpec, WebmWriter};

/// How much audio is kept while a stream waits for its first keyframe.
pub const AUDIO_BUFFER_MS: u64 = 2_000;

/// Where a stream file sits in the archive: archive times (ms) of its
/// first and last frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// The first frame's archive time.
    pub start_ms: u64,
    /// The last frame's archive time so far.
    pub last_ms: u64,
}

/// A stream being recorded into one file; see the module documentation.
#[derive(Debug)]
pub struct StreamSink {
    path: PathBuf,
    tracks: TrackSpec,
    state: State,
}

#[derive(Debug)]
enum State {
    /// No keyframe yet: audio frames with their archive times.
    Waiting(VecDeque<(u64, Arc<MediaFrame>)>),
    Open {
        writer: Box<WebmWriter>,
        span: Span,
    },
    /// Writing failed; frames are ignored.
    Broken,
}

impl StreamSink {
    /// A sink that will write `tracks` to `path` (created on the first
    /// usable frame).
    pub fn new(path: PathBuf, tracks: TrackSpec) -> StreamSink {
        StreamSink {
            path,
            tracks,
            state: State::Waiting(VecDeque::new()),
        }
    }

    /// The file's span, once it is open.
    pub fn span(&self) -> Option<Span> {
        match &self.state {
            State::Open { span, .. } => Some(*span),
            _ => None,
        }
    }

    /// Takes `frame`, captured at archive time `ms`. On a write failure the
    /// sink stops recording and the error is returned once.
    pub fn push(&mut self, ms: u64, frame: &Arc<MediaFrame>) -> Result<(), RecordingError> {
        if !self.tracks.has(frame.kind) {
            return Ok(());
        }
        let result = match &mut self.state {
            State::Broken => Ok(()),
            State::Open { writer, span } => {
                span.last_ms = span.last_ms.max(ms);
                write(writer, ms.saturating_sub(span.start_ms), frame)
            }
            State::Waiting(audio) => {
                let opens = !self.tracks.has(TrackKind::Video)
                    || (frame.kind == TrackKind::Video && frame.keyframe);
                if opens {
                    let buffered = std::mem::take(audio);
                    self.open(ms, buffered, frame)
                } else {
                    if frame.kind == TrackKind::Audio {
                        audio.push_back((ms, frame.clone()));
                        while audio
                            .front()
                            .is_some_and(|(first, _)| first + AUDIO_BUFFER_MS < ms)
                        {
                            audio.pop_front();
                        }
                    }
                    Ok(())
                }
            }
        };
        if result.is_err() {
            self.state = State::Broken;
        }
        result
    }

    /// Completes the file; returns its span, or `None` if it never opened.
    pub fn finish(self) -> Result<Option<Span>, RecordingError> {
        match self.state {
            State::Open { writer, span } => writer.finish().map(|_| Some(span)),
            State::Waiting(_) | State::Broken => Ok(None),
        }
    }

    fn open(
        &mut self,
        ms: u64,
        buffered: VecDeque<(u64, Arc<MediaFrame>)>,
        first: &Arc<MediaFrame>,
    ) -> Result<(), RecordingError> {
        let start_ms = buffered.front().map_or(ms, |(at, _)| (*at).min(ms));
        let mut writer = WebmWriter::create(&self.path, self.tracks)?;
        for (at, frame) in &buffered {
            write(&mut writer, at - start_ms, frame)?;
        }
        write(&mut writer, ms - start_ms, first)?;
        let last_ms = buffered.back().map_or(ms, |(at, _)| (*at).max(ms));
        self.state = State::Open {
            writer: Box::new(writer),
            span: Span { start_ms, last_ms },
        };
        Ok(())
    }
}

fn write(writer: &mut WebmWriter, ts_ms: u64, frame: &MediaFrame) -> Result<(), RecordingError> {
    match frame.kind {
        TrackKind::Audio => writer.write_audio(ts_ms, &frame.data),
        TrackKind::Video => writer.write_video(ts_ms, &frame.data, frame.keyframe),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;
    use uuid::Uuid;

    /// A 64×48 VP8 keyframe header (enough for the writer's size probe).
    const KEY: [u8; 10] = [0x50, 0x42, 0x00, 0x9D, 0x01, 0x2A, 0x40, 0x00, 0x30, 0x00];

    fn frame(kind: TrackKind, keyframe: bool) -> Arc<MediaFrame> {
        let data: &[u8] = match kind {
            TrackKind::Audio => &[0xFC, 0xFF, 0xFE],
            TrackKind::Video if keyframe => &KEY,
            TrackKind::Video => &[0x51, 0x00, 0x00, 1, 2, 3],
        };
        Arc::new(MediaFrame {
            stream_id: Uuid::nil(),
            kind,
            captured: Instant::now(),
            data: data.into(),
            keyframe,
        })
    }

    #[test]
    fn video_streams_open_at_the_first_keyframe_with_two_seconds_of_audio() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.webm");
        let mut sink = StreamSink::new(path.clone(), TrackSpec::AudioVideo);
        for ms in (0..=3_000).step_by(500) {
            sink.push(ms, &frame(TrackKind::Audio, true)).unwrap();
        }
        sink.push(3_100, &frame(TrackKind::Video, false)).unwrap();
        assert_eq!(sink.span(), None);
        assert!(!path.exists(), "nothing decodable yet");
        sink.push(3_200, &frame(TrackKind::Video, true)).unwrap();
        // Audio older than 2 s before the newest buffered frame was dropped.
        assert_eq!(
            sink.span(),
            Some(Span {
                start_ms: 1_000,
                last_ms: 3_200
            })
        );
        sink.push(3_900, &frame(TrackKind::Audio, true)).unwrap();
        let span = sink.finish().unwrap();
        assert_eq!(
            span,
            Some(Span {
                start_ms: 1_000,
                last_ms: 3_900
            })
        );
        assert!(path.exists());
    }

    #[test]
    fn streams_without_video_open_at_once_and_never_opened_ones_leave_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut audio = StreamSink::new(dir.path().join("a.webm"), TrackSpec::Audio);
        audio.push(700, &frame(TrackKind::Video, true)).unwrap();
        assert_eq!(audio.span(), None, "video is not recorded");
        audio.push(800, &frame(TrackKind::Audio, true)).unwrap();
        assert_eq!(
            audio.span(),
            Some(Span {
                start_ms: 800,
                last_ms: 800
            })
        );
        let never = StreamSink::new(dir.path().join("v.webm"), TrackSpec::Video);
        assert_eq!(never.finish().unwrap(), None);
        assert!(!dir.path().join("v.webm").exists());
    }

    #[test]
    fn a_failed_file_stops_recording_its_stream() {
        let mut sink = StreamSink::new("/nonexistent/dir/s.webm".into(), TrackSpec::Audio);
        assert!(sink.push(0, &frame(TrackKind::Audio, true)).is_err());
        sink.push(20, &frame(TrackKind::Audio, true)).unwrap();
        assert_eq!(sink.finish().unwrap(), None);
    }
}
