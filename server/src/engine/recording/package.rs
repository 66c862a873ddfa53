//! `individual` archives: a zip holding one WebM per recorded stream and a
//! JSON manifest named `{archiveId}.json`, with the fields of the
//! platform's individual-archive manifest (`createdAt`, `id`, `name`,
//! `sessionId`, and per file `connectionData`, `filename`, `size`,
//! `startTimeOffset`, `stopTimeOffset` in ms, `streamId`, `videoType`).
//! Entries are stored, not deflated: WebM is already compressed. The zip is
//! written beside its destination and renamed into place when complete.
//! Blocking I/O: call it from `spawn_blocking`.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::opentok::model::VideoType;
use crate::opentok::session_id::SessionId;

use super::{RecordingError, StreamFile};

/// The archive an individual zip belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveInfo {
    /// The archive id (also the manifest's file name).
    pub id: Uuid,
    /// The archive's name, if it was given one.
    pub name: Option<String>,
    /// The recorded session.
    pub session_id: SessionId,
    /// When the archive started, epoch ms.
    pub created_at: u64,
}

/// One recorded stream of an individual archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndividualStream {
    /// The stream's id.
    pub stream_id: Uuid,
    /// Its WebM file; the entry keeps the file's name.
    pub file: StreamFile,
    /// When its first frame came, ms after the archive started.
    pub start_offset_ms: u64,
    /// When it stopped, ms after the archive started.
    pub stop_offset_ms: u64,
    /// The publishing connection's data.
    pub connection_data: String,
    /// What its video shows, if it has video.
    pub video_type: Option<VideoType>,
}

/// The manifest at the root of an individual zip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    /// When the archive started, epoch ms.
    pub created_at: u64,
    /// The archive id.
    pub id: Uuid,
    /// The archive's name (`""` when it has none, as on the platform).
    pub name: String,
    /// The recorded session.
    pub session_id: SessionId,
    /// One entry per stream file.
    pub files: Vec<ManifestFile>,
}

/// One stream file in the [`Manifest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ManifestFile {
    /// The publishing connection's data.
    pub connection_data: String,
    /// The zip entry's name, e.g. `"{streamId}.webm"`.
    pub filename: String,
    /// The file's length in bytes.
    pub size: u64,
    /// When the stream started, ms after the archive started.
    pub start_time_offset: u64,
    /// When the stream stopped, ms after the archive started.
    pub stop_time_offset: u64,
    /// The stream's id.
    pub stream_id: Uuid,
    /// `"camera"`, `"screen"`, `"custom"`, or `null` without video.
    pub video_type: Option<VideoType>,
}

impl Manifest {
    /// The manifest for these streams; fails on unusable or repeated names.
    pub fn new(
        archive: &ArchiveInfo,
        streams: &[IndividualStream],
    ) -> Result<Manifest, RecordingError> {
        let mut seen = HashSet::new();
        let files = streams
            .iter()
            .map(|stream| {
                let filename = entry_name(&stream.file.path)?;
                if !seen.insert(filename.clone()) {
                    return Err(RecordingError::DuplicateEntry(filename));
                }
                Ok(ManifestFile {
                    connection_data: stream.connection_data.clone(),
                    filename,
                    size: stream.file.size,
                    start_time_offset: stream.start_offset_ms,
                    stop_time_offset: stream.stop_offset_ms,
                    stream_id: stream.stream_id,
                    video_type: stream.video_type,
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Manifest {
            created_at: archive.created_at,
            id: archive.id,
            name: archive.name.clone().unwrap_or_default(),
            session_id: archive.session_id.clone(),
            files,
        })
    }

    /// The manifest's own entry name, `{archiveId}.json`.
    pub fn entry_name(&self) -> String {
        format!("{}.json", self.id)
    }
}

/// Writes the individual zip for `streams` to `output`. The returned
/// file's duration is the latest stream stop offset.
pub fn package_individual(
    archive: &ArchiveInfo,
    streams: &[IndividualStream],
    output: &Path,
) -> Result<StreamFile, RecordingError> {
    let manifest = Manifest::new(archive, streams)?;
    let partial = partial_path(output);
    let written = write_zip(&manifest, streams, &partial).and_then(|size| {
        std::fs::rename(&partial, output)
            .map(|()| size)
            .map_err(RecordingError::io("rename", &partial))
    });
    let size = written.inspect_err(|_| {
        // Best effort: a half-written zip is useless, and the error says why.
        let _ = std::fs::remove_file(&partial);
    })?;
    Ok(StreamFile {
        path: output.to_path_buf(),
        duration_ms: streams.iter().map(|s| s.stop_offset_ms).max().unwrap_or(0),
        size,
    })
}

/// Writes the zip; returns its size.
fn write_zip(
    manifest: &Manifest,
    streams: &[IndividualStream],
    path: &Path,
) -> Result<u64, RecordingError> {
    let file = File::create(path).map_err(RecordingError::io("create", path))?;
    let mut zip = ZipWriter::new(BufWriter::with_capacity(64 * 1024, file));
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    zip.start_file(manifest.entry_name(), stored)?;
    serde_json::to_writer_pretty(&mut zip, manifest)?;
    for (stream, entry) in streams.iter().zip(&manifest.files) {
        let mut source =
            File::open(&stream.file.path).map_err(RecordingError::io("open", &stream.file.path))?;
        let size = source
            .metadata()
            .map_err(RecordingError::io("measure", &stream.file.path))?
            .len();
        zip.start_file(
            entry.filename.as_str(),
            stored.large_file(size >= u64::from(u32::MAX)),
        )?;
        std::io::copy(&mut source, &mut zip)
            .map_err(RecordingError::io("copy", &stream.file.path))?;
    }
    let mut out = zip.finish()?;
    out.flush().map_err(RecordingError::io("write", path))?;
    let file = out.into_inner().map_err(|e| RecordingError::Io {
        action: "write",
        path: path.to_path_buf(),
        source: e.into_error(),
    })?;
    file.sync_all().map_err(RecordingError::io("write", path))?;
    let size = file
        .metadata()
        .map_err(RecordingError::io("measure", path))?
        .len();
    Ok(size)
}

/// The file name a stream file gets inside the zip.
fn entry_name(path: &Path) -> Result<String, RecordingError> {
    path.file_name()
        .and_then(|name| name.to_str())
        .filter(|name| !name.is_empty() && !name.ends_with(".json"))
        .map(str::to_string)
        .ok_or_else(|| RecordingError::BadFileName(path.to_path_buf()))
}

fn partial_path(output: &Path) -> PathBuf {
    let mut name = output
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".part");
    output.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn archive() -> ArchiveInfo {
        ArchiveInfo {
            id: Uuid::from_u128(0xA),
            name: None,
            session_id: SessionId::generate(
                "123456",
                None,
                crate::opentok::model::MediaMode::Routed,
            ),
            created_at: 1_700_000_000_000,
        }
    }

    fn stream(dir: &Path, name: &str, bytes: &[u8], start: u64, stop: u64) -> IndividualStream {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        IndividualStream {
            stream_id: Uuid::from_u128(start.into()),
            file: StreamFile {
                path,
                duration_ms: stop - start,
                size: bytes.len() as u64,
            },
            start_offset_ms: start,
            stop_offset_ms: stop,
            connection_data: format!("name={name}"),
            video_type: Some(VideoType::Camera),
        }
    }

    #[test]
    fn the_manifest_has_the_platform_field_names() {
        let dir = tempfile::tempdir().unwrap();
        let s = stream(dir.path(), "s1.webm", b"abc", 1500, 4200);
        let json = serde_json::to_value(Manifest::new(&archive(), &[s]).unwrap()).unwrap();
        assert_eq!(json["name"], "");
        assert_eq!(json["createdAt"], 1_700_000_000_000u64);
        assert_eq!(json["id"], "00000000-0000-0000-0000-00000000000a");
        assert_eq!(
            json["files"][0],
            serde_json::json!({"connectionData": "name=s1.webm", "filename": "s1.webm", "size": 3,
                "startTimeOffset": 1500, "stopTimeOffset": 4200,
                "streamId": "00000000-0000-0000-0000-0000000005dc", "videoType": "camera"})
        );
    }

    #[test]
    fn the_zip_holds_the_manifest_and_every_stream_file_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let streams = [
            stream(dir.path(), "s1.webm", b"first", 0, 10),
            stream(dir.path(), "s2.webm", b"second", 5, 20),
        ];
        let out = dir.path().join("archive.zip");
        let zip = package_individual(&archive(), &streams, &out).unwrap();
        assert_eq!(
            (zip.duration_ms, zip.size),
            (20, std::fs::metadata(&out).unwrap().len())
        );
        assert!(!dir.path().join("archive.zip.part").exists());
        let mut read = zip::ZipArchive::new(File::open(&out).unwrap()).unwrap();
        let names: Vec<&str> = read.file_names().collect();
        assert_eq!(names.len(), 3);
        let mut second = String::new();
        std::io::Read::read_to_string(&mut read.by_name("s2.webm").unwrap(), &mut second).unwrap();
        assert_eq!(second, "second");
        let manifest: Manifest =
            serde_json::from_reader(read.by_name(&format!("{}.json", archive().id)).unwrap())
                .unwrap();
        assert_eq!(manifest.files.len(), 2);
    }

    #[test]
    fn repeated_or_unusable_names_are_refused_before_writing() {
        let dir = tempfile::tempdir().unwrap();
        let a = stream(dir.path(), "same.webm", b"1", 0, 1);
        let error = Manifest::new(&archive(), &[a.clone(), a.clone()]).unwrap_err();
        assert!(matches!(error, RecordingError::DuplicateEntry(name) if name == "same.webm"));
        let mut clash = a;
        clash.file.path = dir.path().join(format!("{}.json", archive().id));
        assert!(matches!(
            Manifest::new(&archive(), &[clash]),
            Err(RecordingError::BadFileName(_))
        ));
        let out = dir.path().join("bad.zip");
        let missing = stream(dir.path(), "gone.webm", b"", 0, 1);
        std::fs::remove_file(&missing.file.path).unwrap();
        let error = package_individual(&archive(), &[missing], &out).unwrap_err();
        assert!(error.to_string().contains("gone.webm"), "{error}");
        assert!(!out.exists() && !dir.path().join("bad.zip.part").exists());
    }
}
