//! [`WebmWriter`]: writes one stream — an Opus and/or a VP8 track — into a
//! WebM file as its frames arrive, with millisecond timestamps relative to
//! the stream's start. The file is streamable while it grows (Segment of
//! unknown size, Clusters written whole, at the latest every 5 s and at every
//! video keyframe); [`WebmWriter::finish`] then fills in what only the end
//! knows: the Segment size, the Duration, Cues for seeking, a SeekHead, and
//! the picture size if the first keyframe came after the header. A writer
//! dropped without `finish` leaves a playable file without its last cluster.
//! Blocking I/O: run it on a thread of its own (or `spawn_blocking`).

use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::ebml::{self, id};
use super::reorder::{Frame, Reorder};
use super::segment::{self, Cluster, Cue, SEEK_HEAD_SPACE};
use super::tracks::{tracks_header, TrackSpec, VideoSize};
use super::{RecordingError, StreamFile, TrackKind};

/// How long frames wait for late ones before being written.
const REORDER_WINDOW_MS: u64 = 300;

/// Writes one stream file; see the module documentation.
#[derive(Debug)]
pub struct WebmWriter {
    path: PathBuf,
    out: BufWriter<File>,
    spec: TrackSpec,
    /// Bytes written so far (the file position).
    pos: u64,
    /// Where the file's start left room for patches.
    layout: segment::Start,
    /// Where the Tracks element and its pixel size went, once written.
    tracks: Option<TracksAt>,
    /// The picture size from the first keyframe.
    size: Option<VideoSize>,
    /// Whether a video keyframe has been accepted (earlier frames are useless).
    video_started: bool,
    window: Reorder,
    cluster: Option<Cluster>,
    cues: Vec<Cue>,
    ends: [TrackEnd; 2],
}

#[derive(Debug)]
struct TracksAt {
    at: u64,
    pixels_at: Option<(u64, u64)>,
    size: VideoSize,
}

/// The last two timestamps written for one track, to estimate its end.
#[derive(Debug, Default, Clone, Copy)]
struct TrackEnd {
    last_ms: Option<u64>,
    step_ms: u64,
}

impl WebmWriter {
    /// Creates (or truncates) `path` and writes the file's header.
    pub fn create(path: impl AsRef<Path>, spec: TrackSpec) -> Result<WebmWriter, RecordingError> {
        let path = path.as_ref().to_path_buf();
        let file = File::create(&path).map_err(RecordingError::io("create", &path))?;
        let layout = segment::start();
        let mut out = BufWriter::with_capacity(64 * 1024, file);
        out.write_all(&layout.bytes)
            .map_err(RecordingError::io("write", &path))?;
        Ok(WebmWriter {
            out,
            path,
            spec,
            pos: layout.bytes.len() as u64,
            layout,
            tracks: None,
            size: None,
            video_started: false,
            window: Reorder::new(REORDER_WINDOW_MS),
            cluster: None,
            cues: Vec::new(),
            ends: [TrackEnd::default(); 2],
        })
    }

    /// Adds an Opus frame at `ts_ms` after the stream's start.
    pub fn write_audio(&mut self, ts_ms: u64, data: &[u8]) -> Result<(), RecordingError> {
        self.push(ts_ms, TrackKind::Audio, data, true)
    }

    /// Adds a VP8 frame at `ts_ms`. Frames before the first keyframe are
    /// dropped, since nothing can decode them.
    pub fn write_video(
        &mut self,
        ts_ms: u64,
        data: &[u8],
        keyframe: bool,
    ) -> Result<(), RecordingError> {
        if !self.spec.has(TrackKind::Video) {
            return Err(RecordingError::NoSuchTrack(TrackKind::Video));
        }
        if keyframe {
            self.video_started = true;
            self.size = self.size.or_else(|| VideoSize::from_vp8_keyframe(data));
        } else if !self.video_started {
            return Ok(());
        }
        self.push(ts_ms, TrackKind::Video, data, keyframe)
    }

    /// Writes what is still buffered, completes the file and closes it.
    pub fn finish(mut self) -> Result<StreamFile, RecordingError> {
        while let Some(frame) = self.window.pop() {
            self.emit(frame)?;
        }
        self.write_tracks()?;
        self.close_cluster()?;
        let cues_at = self.write_cues()?;
        let end = self.pos;
        let duration_ms = self.duration_ms();
        let layout = &self.layout;
        let mut segment_size = Vec::new();
        ebml::put_size_fixed(&mut segment_size, end - layout.segment_data_at, 8);
        let mut patches = vec![
            (layout.segment_size_at, segment_size),
            (layout.duration_at, segment::duration(duration_ms)),
            (layout.segment_data_at, self.seek_head(cues_at)),
        ];
        if let Some(tracks) = &self.tracks {
            if let (Some((width_at, height_at)), Some(size)) = (tracks.pixels_at, self.size) {
                if size != tracks.size {
                    patches.push((width_at, size.width.to_be_bytes().to_vec()));
                    patches.push((height_at, size.height.to_be_bytes().to_vec()));
                }
            }
        }
        for (at, bytes) in patches {
            self.out
                .seek(SeekFrom::Start(at))
                .and_then(|_| self.out.write_all(&bytes))
                .map_err(RecordingError::io("complete", &self.path))?;
        }
        self.out
            .flush()
            .and_then(|()| self.out.get_ref().sync_all())
            .map_err(RecordingError::io("write", &self.path))?;
        Ok(StreamFile {
            path: self.path,
            duration_ms,
            size: end,
        })
    }

    fn push(
        &mut self,
        ts_ms: u64,
        kind: TrackKind,
        data: &[u8],
        keyframe: bool,
    ) -> Result<(), RecordingError> {
        if !self.spec.has(kind) {
            return Err(RecordingError::NoSuchTrack(kind));
        }
        self.window.push(Frame {
            ts_ms,
            kind,
            keyframe,
            data: data.to_vec(),
        });
        while let Some(frame) = self.window.pop_ready() {
            self.emit(frame)?;
        }
        Ok(())
    }

    /// The Tracks element, once: with the keyframe's size if known by now.
    fn write_tracks(&mut self) -> Result<(), RecordingError> {
        if self.tracks.is_some() {
            return Ok(());
        }
        let size = self.size.unwrap_or(VideoSize::FALLBACK);
        let header = tracks_header(self.spec, size);
        let at = self.pos;
        let pixels_at = header
            .pixel_width_at
            .zip(header.pixel_height_at)
            .map(|(w, h)| (at + w as u64, at + h as u64));
        self.write(&header.bytes)?;
        self.tracks = Some(TracksAt {
            at,
            pixels_at,
            size,
        });
        Ok(())
    }

    /// Appends one frame as a SimpleBlock, starting a cluster when needed.
    fn emit(&mut self, frame: Frame) -> Result<(), RecordingError> {
        self.write_tracks()?;
        let track = self
            .spec
            .number(frame.kind)
            .expect("only frames of the file's own tracks are queued");
        let video_key = frame.kind == TrackKind::Video && frame.keyframe;
        let fits = self.cluster.as_ref().is_some_and(|c| c.fits(frame.ts_ms));
        if video_key || !fits {
            self.close_cluster()?;
            let seekable = video_key || !self.spec.has(TrackKind::Video);
            self.cluster = Some(Cluster::new(frame.ts_ms, seekable.then_some(track)));
        }
        self.cluster
            .as_mut()
            .expect("a cluster was just ensured")
            .push_block(frame.ts_ms, track, frame.keyframe, &frame.data);
        let end = &mut self.ends[match frame.kind {
            TrackKind::Audio => 0,
            TrackKind::Video => 1,
        }];
        end.step_ms = end.last_ms.map_or(0, |last| frame.ts_ms - last);
        end.last_ms = Some(frame.ts_ms);
        Ok(())
    }

    fn close_cluster(&mut self) -> Result<(), RecordingError> {
        let Some(cluster) = self.cluster.take() else {
            return Ok(());
        };
        if let Some(track) = cluster.cue_track {
            self.cues.push(Cue {
                time_ms: cluster.start_ms,
                track,
                cluster_at: self.pos - self.layout.segment_data_at,
            });
        }
        self.write(&cluster.encode())
    }

    /// Writes the Cues, if any cluster can be sought to; returns where.
    fn write_cues(&mut self) -> Result<Option<u64>, RecordingError> {
        let Some(cues) = segment::cues(&self.cues) else {
            return Ok(None);
        };
        let at = self.pos;
        self.write(&cues)?;
        Ok(Some(at))
    }

    /// The SeekHead (to Info, Tracks and Cues) padded to its reserved room.
    fn seek_head(&self, cues_at: Option<u64>) -> Vec<u8> {
        let base = self.layout.segment_data_at;
        let targets: Vec<(u32, u64)> = [
            Some((id::INFO, self.layout.info_at)),
            self.tracks.as_ref().map(|t| (id::TRACKS, t.at)),
            cues_at.map(|at| (id::CUES, at)),
        ]
        .into_iter()
        .flatten()
        .map(|(target, at)| (target, at - base))
        .collect();
        segment::seek_head(&targets, SEEK_HEAD_SPACE)
    }

    /// The end of the last frame of the longest track.
    fn duration_ms(&self) -> u64 {
        self.ends
            .iter()
            .filter_map(|end| end.last_ms.map(|last| last + end.step_ms))
            .max()
            .unwrap_or(0)
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), RecordingError> {
        self.out
            .write_all(bytes)
            .map_err(RecordingError::io("write", &self.path))?;
        self.pos += bytes.len() as u64;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::ebml::read::{blocks, child, children, uint, Element};
    use super::*;

    /// A VP8 keyframe header for 320×240; an interframe has the low bit set.
    const KEYFRAME: [u8; 10] = [0x50, 0x42, 0x00, 0x9D, 0x01, 0x2A, 0x40, 0x01, 0xF0, 0x00];
    const INTERFRAME: [u8; 4] = [0x01, 0x02, 0x03, 0x04];

    /// The file's bytes and the Segment's children, checking the sizes.
    fn read(file: &StreamFile) -> (Vec<u8>, Vec<Element>) {
        let bytes = std::fs::read(&file.path).unwrap();
        assert_eq!(file.size, bytes.len() as u64);
        let top = children(&bytes, 0..bytes.len());
        assert_eq!(
            top.iter().map(|e| e.id).collect::<Vec<_>>(),
            [id::EBML, id::SEGMENT]
        );
        assert_ne!(
            bytes[top[1].at + 4..top[1].body.start],
            ebml::UNKNOWN_SIZE,
            "size patched"
        );
        let segment = children(&bytes, top[1].body.clone());
        (bytes, segment)
    }

    fn all(segment: &[Element], id: u32) -> Vec<&Element> {
        segment.iter().filter(|e| e.id == id).collect()
    }

    #[test]
    fn audio_files_get_five_second_clusters_and_are_completed_on_finish() {
        let dir = tempfile::tempdir().unwrap();
        let mut writer = WebmWriter::create(dir.path().join("a.webm"), TrackSpec::Audio).unwrap();
        for i in 0..600u64 {
            writer.write_audio(i * 20, &[0xFC, i as u8]).unwrap();
        }
        let file = writer.finish().unwrap();
        assert_eq!(file.duration_ms, 12_000);
        let (bytes, segment) = read(&file);
        let ids: Vec<u32> = segment.iter().map(|e| e.id).collect();
        assert_eq!(ids[..4], [id::SEEK_HEAD, id::VOID, id::INFO, id::TRACKS]);
        assert_eq!(ids[4..], [id::CLUSTER, id::CLUSTER, id::CLUSTER, id::CUES]);
        let starts: Vec<u64> = all(&segment, id::CLUSTER)
            .iter()
            .map(|c| uint(&bytes, &child(&bytes, c, id::TIMESTAMP)))
            .collect();
        assert_eq!(starts, [0, 5000, 10_000]);
        let duration = child(&bytes, &segment[2], id::DURATION);
        let duration = f64::from_be_bytes(bytes[duration.body].try_into().unwrap());
        assert_eq!(duration, 12_000.0);
        let written = blocks(&bytes, &segment);
        assert_eq!(written.len(), 600);
        assert!(written
            .iter()
            .enumerate()
            .all(|(i, b)| *b == (i as u64 * 20, 0x81, 0x80)));
        let data_at = segment[0].at;
        let seek_positions: Vec<u64> = children(&bytes, segment[0].body.clone())
            .iter()
            .map(|seek| uint(&bytes, &child(&bytes, seek, id::SEEK_POSITION)))
            .collect();
        let expected: Vec<u64> = [2, 3, 7]
            .iter()
            .map(|i| (segment[*i].at - data_at) as u64)
            .collect();
        assert_eq!(seek_positions, expected);
    }

    #[test]
    fn video_starts_at_a_keyframe_and_keyframes_start_clusters() {
        let dir = tempfile::tempdir().unwrap();
        let mut writer =
            WebmWriter::create(dir.path().join("av.webm"), TrackSpec::AudioVideo).unwrap();
        // Video arrives 100 ms behind the audio; its first two frames are
        // not keyframes, and the first keyframe comes after the header.
        for t in (0..2000u64).step_by(20) {
            writer.write_audio(t, &[0xFC]).unwrap();
            if t % 100 == 0 && t >= 600 {
                let ts = t - 100;
                let key = ts == 700 || ts == 1500;
                let data: &[u8] = if key { &KEYFRAME } else { &INTERFRAME };
                writer.write_video(ts, data, key).unwrap();
            }
        }
        let file = writer.finish().unwrap();
        let (bytes, segment) = read(&file);
        let written = blocks(&bytes, &segment);
        assert!(
            written.windows(2).all(|w| w[0].0 <= w[1].0),
            "in timestamp order"
        );
        let video: Vec<(u64, u8, u8)> = written.iter().copied().filter(|b| b.1 == 0x82).collect();
        assert_eq!(video.first(), Some(&(700, 0x82, 0x80)));
        assert_eq!(video.len(), 12, "700 to 1800 ms");
        let starts: Vec<u64> = all(&segment, id::CLUSTER)
            .iter()
            .map(|c| uint(&bytes, &child(&bytes, c, id::TIMESTAMP)))
            .collect();
        assert_eq!(starts, [0, 700, 1500]);
        let cues = all(&segment, id::CUES)[0];
        let times: Vec<u64> = children(&bytes, cues.body.clone())
            .iter()
            .map(|point| uint(&bytes, &child(&bytes, point, id::CUE_TIME)))
            .collect();
        assert_eq!(times, [700, 1500]);
        let tracks = all(&segment, id::TRACKS)[0];
        let video_entry = &children(&bytes, tracks.body.clone())[1];
        let picture = child(&bytes, video_entry, id::VIDEO);
        assert_eq!(
            uint(&bytes, &child(&bytes, &picture, id::PIXEL_WIDTH)),
            320,
            "patched"
        );
        assert_eq!(
            uint(&bytes, &child(&bytes, &picture, id::PIXEL_HEIGHT)),
            240
        );
    }

    #[test]
    fn frames_for_a_missing_track_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut audio = WebmWriter::create(dir.path().join("a.webm"), TrackSpec::Audio).unwrap();
        let refused = audio.write_video(0, &KEYFRAME, true);
        assert!(matches!(
            refused,
            Err(RecordingError::NoSuchTrack(TrackKind::Video))
        ));
        let mut video = WebmWriter::create(dir.path().join("v.webm"), TrackSpec::Video).unwrap();
        let refused = video.write_audio(0, &[0xFC]);
        assert!(matches!(
            refused,
            Err(RecordingError::NoSuchTrack(TrackKind::Audio))
        ));
        let empty = video.finish().unwrap();
        assert_eq!(empty.duration_ms, 0);
        let (_, segment) = read(&empty);
        assert!(all(&segment, id::CLUSTER).is_empty());
    }

    #[test]
    fn unwritable_paths_are_reported_with_the_path() {
        let missing = Path::new("/nonexistent-dir/x.webm");
        let error = WebmWriter::create(missing, TrackSpec::Audio).unwrap_err();
        assert!(
            error.to_string().contains("/nonexistent-dir/x.webm"),
            "{error}"
        );
    }
}
