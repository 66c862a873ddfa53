//! Composed archives: one WebM (VP8 + Opus) in the requested resolution,
//! built after the archive stops from its per-stream files by one ffmpeg
//! run. Every video is letterboxed into its best-fit tile ([`super::layout`])
//! and overlaid on a black canvas from its start offset until its end (a
//! stream keeps its slot; a slot freed by a stream that left is reused);
//! every audio track is delayed to its offset and mixed over silence. A
//! file's own timestamps are kept (its video may start after its audio),
//! so both stay in sync. The canvas and the silence are exactly the
//! archive's length, so the file is always playable and black where
//! nobody is.

use std::path::PathBuf;
use std::time::Duration;

use crate::opentok::model::Resolution;

use super::ffmpeg::FfmpegRunner;
use super::layout::{assign_slots, best_fit, Canvas};
use super::{RecordingError, StreamFile, TrackKind, TrackSpec};

/// Frames per second of composed video.
const FPS: u32 = 30;
/// Time ffmpeg gets beyond the encoding itself.
const BASE_TIMEOUT: Duration = Duration::from_secs(60);
/// Encoding time allowed per second of SD archive (scaled by picture size).
const SD_SECONDS_PER_SECOND: u32 = 2;

/// One stream file and where it sits in the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposeInput {
    /// The per-stream file and its length.
    pub file: StreamFile,
    /// When the stream's first frame came, in ms after the archive started.
    pub start_offset_ms: u64,
    /// Which tracks the file holds.
    pub tracks: TrackSpec,
}

impl ComposeInput {
    fn end_ms(&self) -> u64 {
        self.start_offset_ms + self.file.duration_ms
    }
}

/// What to compose, and where to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposeRequest {
    /// The stream files (at most 16 videos at any one time).
    pub inputs: Vec<ComposeInput>,
    /// The canvas size.
    pub resolution: Resolution,
    /// The archive's length in ms (the output's length).
    pub duration_ms: u64,
    /// Whether the archive records audio, video or both.
    pub tracks: TrackSpec,
    /// The WebM file to write.
    pub output: PathBuf,
}

impl ComposeRequest {
    /// The ffmpeg arguments for this composition.
    pub fn ffmpeg_args(&self) -> Result<Vec<String>, RecordingError> {
        if self.duration_ms == 0 {
            return Err(RecordingError::EmptyArchive);
        }
        let length = seconds(self.duration_ms);
        let canvas = Canvas::from(self.resolution);
        let with_video = self.tracks.has(TrackKind::Video);
        let with_audio = self.tracks.has(TrackKind::Audio);
        let mut args = strings(&[
            "-nostdin",
            "-y",
            "-v",
            "error",
            "-filter_complex_threads",
            "1",
        ]);
        let mut next_input = 0;
        let mut graph = Vec::new();
        if with_video {
            let color = format!("color=c=black:s={}x{}:r={FPS}", canvas.width, canvas.height);
            args.extend(strings(&["-f", "lavfi", "-t", &length, "-i", &color]));
            next_input += 1;
        }
        if with_audio {
            let silence = "anullsrc=r=48000:cl=stereo";
            args.extend(strings(&["-f", "lavfi", "-t", &length, "-i", silence]));
            next_input += 1;
        }
        let first_file = next_input;
        for input in &self.inputs {
            args.extend(strings(&["-threads", "1", "-i"]));
            args.push(input.file.path.display().to_string());
        }
        let file_index = |i: usize| first_file + i;
        if with_video {
            graph.extend(self.video_graph(canvas, file_index)?);
        }
        if with_audio {
            let audio_base = if with_video { 1 } else { 0 };
            graph.extend(self.audio_graph(audio_base, file_index));
        }
        args.push("-filter_complex".into());
        args.push(graph.join(";"));
        if with_video {
            args.extend(strings(&[
                "-map",
                "[vout]",
                "-c:v",
                "libvpx",
                "-deadline",
                "realtime",
            ]));
            args.extend(strings(&[
                "-cpu-used",
                "8",
                "-b:v",
                bitrate(self.resolution),
                "-g",
                "60",
            ]));
        }
        if with_audio {
            args.extend(strings(&[
                "-map", "[aout]", "-c:a", "libopus", "-b:a", "64k",
            ]));
        }
        args.extend(strings(&["-threads", "1", "-t", &length, "-f", "webm"]));
        args.push(self.output.display().to_string());
        Ok(args)
    }

    /// How long ffmpeg may take: a minute plus twice the archive's length
    /// per SD-sized picture area.
    pub fn timeout(&self) -> Duration {
        let canvas = Canvas::from(self.resolution);
        let areas = (canvas.width * canvas.height).div_ceil(640 * 480);
        BASE_TIMEOUT + Duration::from_millis(self.duration_ms) * (areas * SD_SECONDS_PER_SECOND)
    }

    /// Tiles over the black canvas `[0:v]`, ending in `[vout]`.
    fn video_graph(
        &self,
        canvas: Canvas,
        file_index: impl Fn(usize) -> usize,
    ) -> Result<Vec<String>, RecordingError> {
        let videos: Vec<(usize, &ComposeInput)> = self
            .inputs
            .iter()
            .enumerate()
            .filter(|(_, input)| input.tracks.has(TrackKind::Video))
            .collect();
        let intervals: Vec<(u64, u64)> = videos
            .iter()
            .map(|(_, v)| (v.start_offset_ms, v.end_ms()))
            .collect();
        let (slots, slot_count) = assign_slots(&intervals);
        let tiles = best_fit(slot_count, canvas)?;
        let mut graph = Vec::new();
        let mut base = "0:v".to_string();
        for (k, ((i, input), slot)) in videos.iter().zip(slots).enumerate() {
            let tile = tiles[slot];
            let (w, h) = (tile.width, tile.height);
            let start = seconds(input.start_offset_ms);
            let end = seconds(input.end_ms());
            graph.push(format!(
                "[{}:v]setpts=PTS+{start}/TB,scale={w}:{h}:force_original_aspect_ratio=decrease,\
                 pad={w}:{h}:(ow-iw)/2:(oh-ih)/2,fps={FPS},format=yuv420p[v{k}]",
                file_index(*i)
            ));
            let out = if k + 1 == videos.len() {
                "vout".to_string()
            } else {
                format!("m{k}")
            };
            graph.push(format!(
                "[{base}][v{k}]overlay=x={}:y={}:eof_action=pass:enable='between(t,{start},{end})'[{out}]",
                tile.x, tile.y
            ));
            base = out;
        }
        if videos.is_empty() {
            graph.push("[0:v]null[vout]".into());
        }
        Ok(graph)
    }

    /// Every audio track delayed to its offset and mixed over the silence
    /// `[base:a]`, ending in `[aout]`.
    fn audio_graph(&self, base: usize, file_index: impl Fn(usize) -> usize) -> Vec<String> {
        let mut graph = Vec::new();
        let mut mix = format!("[{base}:a]");
        let mut count = 1;
        for (i, input) in self.inputs.iter().enumerate() {
            if !input.tracks.has(TrackKind::Audio) {
                continue;
            }
            graph.push(format!(
                "[{}:a]aresample=async=1:first_pts=0,adelay={}:all=1[a{i}]",
                file_index(i),
                input.start_offset_ms
            ));
            mix.push_str(&format!("[a{i}]"));
            count += 1;
        }
        graph.push(if count == 1 {
            format!("{mix}anull[aout]")
        } else {
            format!(
                "{mix}amix=inputs={count}:duration=first:dropout_transition=0:normalize=0[aout]"
            )
        });
        graph
    }
}

/// Composes the archive with `runner`; returns the output file.
pub async fn compose(
    runner: &FfmpegRunner,
    request: &ComposeRequest,
) -> Result<StreamFile, RecordingError> {
    let args = request.ffmpeg_args()?;
    runner.run(&args, request.timeout()).await?;
    let size = tokio::fs::metadata(&request.output)
        .await
        .map_err(RecordingError::io("measure", &request.output))?
        .len();
    Ok(StreamFile {
        path: request.output.clone(),
        duration_ms: request.duration_ms,
        size,
    })
}

fn bitrate(resolution: Resolution) -> &'static str {
    match resolution {
        Resolution::Sd | Resolution::SdPortrait => "1M",
        Resolution::Hd | Resolution::HdPortrait => "2M",
        Resolution::FullHd | Resolution::FullHdPortrait => "4M",
    }
}

/// Milliseconds as ffmpeg seconds, e.g. `1.500`.
fn seconds(ms: u64) -> String {
    format!("{}.{:03}", ms / 1000, ms % 1000)
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, start: u64, duration: u64, tracks: TrackSpec) -> ComposeInput {
        ComposeInput {
            file: StreamFile {
                path: PathBuf::from(name),
                duration_ms: duration,
                size: 1,
            },
            start_offset_ms: start,
            tracks,
        }
    }

    fn request(inputs: Vec<ComposeInput>, tracks: TrackSpec) -> ComposeRequest {
        ComposeRequest {
            inputs,
            resolution: Resolution::Sd,
            duration_ms: 5000,
            tracks,
            output: PathBuf::from("out.webm"),
        }
    }

    fn graph(args: &[String]) -> Vec<&str> {
        let at = args.iter().position(|a| a == "-filter_complex").unwrap();
        args[at + 1].split(';').collect()
    }

    #[test]
    fn two_overlapping_streams_sit_side_by_side_with_their_audio_mixed() {
        let a = input("a.webm", 0, 5000, TrackSpec::AudioVideo);
        let b = input("b.webm", 1500, 2700, TrackSpec::AudioVideo);
        let args = request(vec![a, b], TrackSpec::AudioVideo)
            .ffmpeg_args()
            .unwrap();
        let files: Vec<&String> = args.iter().filter(|a| a.ends_with(".webm")).collect();
        assert_eq!(files, ["a.webm", "b.webm", "out.webm"]);
        assert_eq!(
            graph(&args),
            [
                "[2:v]setpts=PTS+0.000/TB,scale=320:480:force_original_aspect_ratio=decrease,pad=320:480:(ow-iw)/2:(oh-ih)/2,fps=30,format=yuv420p[v0]",
                "[0:v][v0]overlay=x=0:y=0:eof_action=pass:enable='between(t,0.000,5.000)'[m0]",
                "[3:v]setpts=PTS+1.500/TB,scale=320:480:force_original_aspect_ratio=decrease,pad=320:480:(ow-iw)/2:(oh-ih)/2,fps=30,format=yuv420p[v1]",
                "[m0][v1]overlay=x=320:y=0:eof_action=pass:enable='between(t,1.500,4.200)'[vout]",
                "[2:a]aresample=async=1:first_pts=0,adelay=0:all=1[a0]",
                "[3:a]aresample=async=1:first_pts=0,adelay=1500:all=1[a1]",
                "[1:a][a0][a1]amix=inputs=3:duration=first:dropout_transition=0:normalize=0[aout]",
            ]
        );
        assert_eq!(
            args[args.len() - 7..],
            strings(&["-threads", "1", "-t", "5.000", "-f", "webm", "out.webm"])
        );
    }

    #[test]
    fn a_stream_that_left_gives_its_tile_to_the_next() {
        let a = input("a.webm", 0, 2000, TrackSpec::Video);
        let b = input("b.webm", 2500, 2000, TrackSpec::Video);
        let args = request(vec![a, b], TrackSpec::Video).ffmpeg_args().unwrap();
        let graph = graph(&args);
        assert!(
            graph[0].contains("scale=640:480:"),
            "one slot fills the canvas: {}",
            graph[0]
        );
        assert!(
            graph[3].starts_with("[m0][v1]overlay=x=0:y=0:"),
            "{}",
            graph[3]
        );
        assert!(
            !args.iter().any(|a| a.contains("anullsrc") || a == "[aout]"),
            "video only"
        );
    }

    #[test]
    fn audio_only_archives_and_empty_archives_still_make_a_file() {
        let a = input("a.webm", 0, 5000, TrackSpec::AudioVideo);
        let args = request(vec![a], TrackSpec::Audio).ffmpeg_args().unwrap();
        assert_eq!(
            graph(&args),
            [
                "[1:a]aresample=async=1:first_pts=0,adelay=0:all=1[a0]",
                "[0:a][a0]amix=inputs=2:duration=first:dropout_transition=0:normalize=0[aout]"
            ]
        );
        assert!(!args.iter().any(|a| a.contains("color=") || a == "[vout]"));
        let nobody = request(Vec::new(), TrackSpec::AudioVideo)
            .ffmpeg_args()
            .unwrap();
        assert_eq!(graph(&nobody), ["[0:v]null[vout]", "[1:a]anull[aout]"]);
    }

    #[test]
    fn refusals_and_timeouts() {
        let mut empty = request(Vec::new(), TrackSpec::AudioVideo);
        empty.duration_ms = 0;
        assert!(matches!(
            empty.ffmpeg_args(),
            Err(RecordingError::EmptyArchive)
        ));
        let crowd = (0..17)
            .map(|i| input(&format!("{i}.webm"), 0, 5000, TrackSpec::Video))
            .collect();
        let crowd = request(crowd, TrackSpec::AudioVideo);
        assert!(matches!(
            crowd.ffmpeg_args(),
            Err(RecordingError::TooManyStreams(17))
        ));
        assert_eq!(
            request(Vec::new(), TrackSpec::Audio).timeout(),
            Duration::from_secs(70)
        );
        let mut full_hd = request(Vec::new(), TrackSpec::Audio);
        full_hd.resolution = Resolution::FullHd;
        assert_eq!(full_hd.timeout(), Duration::from_secs(60 + 5 * 14));
        assert_eq!(seconds(61_005), "61.005");
    }
}
