//! Server-side recording: turning the frames of routed streams into archive
//! files. Each stream is written as it arrives into its own WebM file by a
//! pure-Rust muxer; after the archive stops, the files become either one
//! composed WebM (ffmpeg, best-fit grid, mixed audio) or an `individual` zip
//! with one WebM per stream and a JSON manifest, as on the platform.
//!
//! - [`webm`]: the per-stream [`WebmWriter`] (Opus and/or VP8 track).
//! - `ebml` / `tracks` / `segment` / `reorder`: its EBML encoding, track
//!   headers, the other Segment parts, and its small reorder window.
//! - [`layout`]: best-fit tile positions for a composed canvas.
//! - [`mod@compose`]: the ffmpeg command composing stream files, and its run.
//! - [`ffmpeg`]: running ffmpeg niced, one job at a time, with a timeout.
//! - [`package`]: the `individual` zip and its manifest.
//! - [`recorder`]: the recorder threads fed by the media router's taps,
//!   with `thread` / `sink` (per-stream files opening at a keyframe) and
//!   [`selection`] (which streams and tracks an archive records).
//! - [`timeline`]: `streams.json`, where each stream file sits in time.
//! - [`postprocess`]: the output made after stop, and crash repair.

pub mod compose;
mod ebml;
pub mod ffmpeg;
pub mod layout;
pub mod package;
pub mod postprocess;
pub mod recorder;
mod reorder;
mod segment;
pub mod selection;
mod sink;
mod thread;
pub mod timeline;
mod tracks;
pub mod webm;

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

pub use compose::{compose, ComposeInput, ComposeRequest};
pub use ffmpeg::FfmpegRunner;
pub use layout::{best_fit, Canvas, Tile};
pub use package::{package_individual, ArchiveInfo, IndividualStream, Manifest, ManifestFile};
pub use recorder::{recorders, RecorderSpec, Recorders, TAP_CAPACITY};
pub use selection::{Selection, StreamChange};
pub use timeline::{Timeline, TimelineEntry};
pub use tracks::{TrackSpec, VideoSize};
pub use webm::WebmWriter;

/// The kind of a track in a stream file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TrackKind {
    /// Opus audio.
    Audio,
    /// VP8 video.
    Video,
}

impl fmt::Display for TrackKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TrackKind::Audio => "audio",
            TrackKind::Video => "video",
        })
    }
}

/// A finished file: a per-stream WebM, a composed archive or a zip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamFile {
    /// Where it was written.
    pub path: PathBuf,
    /// Its playing time in ms (for a zip, the latest stream's stop offset).
    pub duration_ms: u64,
    /// Its length in bytes.
    pub size: u64,
}

/// Why recording, composing or packaging failed.
#[derive(Debug, thiserror::Error)]
pub enum RecordingError {
    /// A file could not be created, written, read or measured.
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        /// What was being done (`"create"`, `"write"`, …).
        action: &'static str,
        /// The file concerned.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A frame was given for a track the stream file was not created with.
    #[error("this stream file has no {0} track")]
    NoSuchTrack(TrackKind),
    /// `ffmpeg` (or `nice`) is not installed.
    #[error("{0} is not installed: run scripts/setup.sh")]
    ToolMissing(String),
    /// `ffmpeg` exited with a failure.
    #[error("ffmpeg failed ({status}): {stderr_tail}")]
    FfmpegFailed {
        /// Its exit status, as text.
        status: String,
        /// The last lines it printed on stderr.
        stderr_tail: String,
    },
    /// `ffmpeg` did not finish in time and was killed.
    #[error("ffmpeg did not finish within {0:?}")]
    FfmpegTimeout(Duration),
    /// A composed archive shows at most [`layout::MAX_TILES`] videos at once.
    #[error("a composed archive shows at most {max} streams at once, not {0}", max = layout::MAX_TILES)]
    TooManyStreams(usize),
    /// The archive has no length, or records neither audio nor video.
    #[error("nothing to compose: the archive is empty")]
    EmptyArchive,
    /// A stream file's path has no usable file name for a zip entry.
    #[error("{} has no usable file name", .0.display())]
    BadFileName(PathBuf),
    /// Two stream files of an individual archive have the same file name.
    #[error("two stream files are named {0}")]
    DuplicateEntry(String),
    /// The zip writer failed.
    #[error("zip: {0}")]
    Zip(#[from] zip::result::ZipError),
    /// The manifest could not be serialised.
    #[error("manifest: {0}")]
    Manifest(#[from] serde_json::Error),
}

impl RecordingError {
    /// Maps an I/O error on `path` to a [`RecordingError::Io`].
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| RecordingError::Io {
            action,
            path,
            source,
        }
    }
}
