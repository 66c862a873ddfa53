//! Recording with real media: ffmpeg encodes a VP8 test pattern (IVF) and an
//! Opus tone (Ogg); the test takes the frames and timestamps out of those
//! containers, feeds them slightly out of order to `WebmWriter`, and checks
//! the files with ffprobe and ffmpeg's decoder. Then two stream files are
//! composed into one 640×480 archive (checked for streams, length, where
//! the pictures are and when there is sound) and packaged as an individual
//! zip. ffmpeg and ffprobe are required: `scripts/setup.sh` installs them.

mod recording_support;

use std::path::{Path, PathBuf};

use server::engine::recording::{
    compose, package_individual, ArchiveInfo, ComposeInput, ComposeRequest, FfmpegRunner,
    IndividualStream, Manifest, RecordingError, StreamFile, TrackSpec, WebmWriter,
};
use server::opentok::model::{MediaMode, Resolution, VideoType};
use server::opentok::session_id::SessionId;
use uuid::Uuid;

use recording_support::{
    halves, loudness, media, probe, require_ffmpeg, run, summary, video_packet_times, Frame,
    SECONDS,
};

/// How late video frames arrive relative to audio of the same time.
const VIDEO_LAG_MS: u64 = 80;

/// Writes the media as one stream file, video arriving late.
fn write_stream(path: &Path, video: &[Frame], audio: &[Frame]) -> StreamFile {
    let mut arrivals: Vec<(u64, bool, &Frame)> = audio.iter().map(|f| (f.0, false, f)).collect();
    arrivals.extend(video.iter().map(|f| (f.0 + VIDEO_LAG_MS, true, f)));
    arrivals.sort_by_key(|(arrival, _, _)| *arrival);
    let mut writer = WebmWriter::create(path, TrackSpec::AudioVideo).unwrap();
    for (_, is_video, (ts, data, keyframe)) in arrivals {
        if is_video {
            writer.write_video(*ts, data, *keyframe).unwrap();
        } else {
            writer.write_audio(*ts, data).unwrap();
        }
    }
    writer.finish().unwrap()
}

fn av() -> Vec<(String, String)> {
    vec![
        ("audio".into(), "opus".into()),
        ("video".into(), "vp8".into()),
    ]
}

#[test]
fn a_stream_file_holds_one_vp8_and_one_opus_track() {
    require_ffmpeg();
    let dir = tempfile::tempdir().unwrap();
    let (video, audio) = media(dir.path());
    let file = write_stream(&dir.path().join("s.webm"), &video, &audio);
    assert_eq!(file.size, std::fs::metadata(&file.path).unwrap().len());
    assert!(
        file.duration_ms.abs_diff(SECONDS * 1000) <= 100,
        "{}",
        file.duration_ms
    );
    let probe = probe(&file.path);
    let (kinds, duration) = summary(&probe);
    assert_eq!(kinds, av());
    assert!(
        (duration - SECONDS as f64).abs() <= 0.5,
        "duration {duration}"
    );
    let streams = probe["streams"].as_array().unwrap();
    assert_eq!(
        (streams[1]["width"].as_u64(), streams[1]["height"].as_u64()),
        (Some(320), Some(240))
    );
    assert_eq!(
        streams[1]["nb_read_packets"].as_str(),
        Some(video.len().to_string().as_str())
    );
    assert_eq!(
        streams[0]["nb_read_packets"].as_str(),
        Some(audio.len().to_string().as_str())
    );
    // Each video packet keeps its timestamp (ms), though it arrived late.
    let pts = video_packet_times(&file.path);
    assert_eq!(pts, video.iter().map(|(ts, _, _)| *ts).collect::<Vec<_>>());
    // Every frame decodes without a complaint.
    run(
        "ffmpeg",
        &[
            "-v",
            "error",
            "-i",
            file.path.to_str().unwrap(),
            "-f",
            "null",
            "-",
        ],
    );
}

#[tokio::test]
async fn two_stream_files_compose_side_by_side_with_mixed_sound() {
    require_ffmpeg();
    let dir = tempfile::tempdir().unwrap();
    let (video, audio) = media(dir.path());
    let inputs: Vec<ComposeInput> = [("a.webm", 0), ("b.webm", 1500)]
        .into_iter()
        .map(|(name, start_offset_ms)| ComposeInput {
            file: write_stream(&dir.path().join(name), &video, &audio),
            start_offset_ms,
            tracks: TrackSpec::AudioVideo,
        })
        .collect();
    let duration_ms = inputs[1].start_offset_ms + inputs[1].file.duration_ms;
    let request = ComposeRequest {
        inputs,
        resolution: Resolution::Sd,
        duration_ms,
        tracks: TrackSpec::AudioVideo,
        output: dir.path().join("archive.webm"),
    };
    let composed = compose(&FfmpegRunner::new(), &request).await.unwrap();
    assert_eq!(
        composed.size,
        std::fs::metadata(&composed.path).unwrap().len()
    );
    let probe = probe(&composed.path);
    let (mut kinds, duration) = summary(&probe);
    kinds.sort();
    assert_eq!(kinds, av());
    assert!((duration - 4.5).abs() <= 0.5, "duration {duration}");
    let video_stream = probe["streams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["codec_type"] == "video")
        .unwrap();
    assert_eq!(
        (
            video_stream["width"].as_u64(),
            video_stream["height"].as_u64()
        ),
        (Some(640), Some(480))
    );
    // A alone, then both, then B alone (A ended at 3 s); black elsewhere.
    let path = &composed.path;
    let ((l1, r1), (l2, r2), (l3, r3)) = (
        halves(path, "0.5"),
        halves(path, "2.5"),
        halves(path, "4.0"),
    );
    assert!(l1 > 30.0 && r1 < 5.0, "0.5 s: {l1} {r1}");
    assert!(l2 > 30.0 && r2 > 30.0, "2.5 s: {l2} {r2}");
    assert!(l3 < 5.0 && r3 > 30.0, "4.0 s: {l3} {r3}");
    // B's tone is delayed to 1.5 s, so it is still sounding after A's ended.
    assert!(loudness(path, "0.5") > 1000.0 && loudness(path, "3.6") > 1000.0);
}

#[tokio::test]
async fn ffmpeg_failures_report_the_end_of_its_stderr() {
    require_ffmpeg();
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.webm");
    let request = ComposeRequest {
        inputs: vec![ComposeInput {
            file: StreamFile {
                path: missing,
                duration_ms: 1000,
                size: 0,
            },
            start_offset_ms: 0,
            tracks: TrackSpec::Video,
        }],
        resolution: Resolution::Sd,
        duration_ms: 1000,
        tracks: TrackSpec::AudioVideo,
        output: dir.path().join("out.webm"),
    };
    let error = compose(&FfmpegRunner::new(), &request).await.unwrap_err();
    assert!(
        matches!(&error, RecordingError::FfmpegFailed { stderr_tail, .. } if stderr_tail.contains("missing.webm")),
        "{error}"
    );
}

#[test]
fn an_individual_archive_zips_every_stream_file_with_a_manifest() {
    require_ffmpeg();
    let dir = tempfile::tempdir().unwrap();
    let (video, audio) = media(dir.path());
    let ids = [Uuid::new_v4(), Uuid::new_v4()];
    let streams: Vec<IndividualStream> = ids
        .iter()
        .zip([0, 1500])
        .map(|(id, start)| {
            let file = write_stream(&dir.path().join(format!("{id}.webm")), &video, &audio);
            IndividualStream {
                stream_id: *id,
                start_offset_ms: start,
                stop_offset_ms: start + file.duration_ms,
                file,
                connection_data: "userName=Ada".into(),
                video_type: Some(VideoType::Camera),
            }
        })
        .collect();
    let archive = ArchiveInfo {
        id: Uuid::new_v4(),
        name: Some("demo".into()),
        session_id: SessionId::generate("123456", None, MediaMode::Routed),
        created_at: 1_700_000_000_000,
    };
    let out = dir.path().join("archive.zip");
    let zip = package_individual(&archive, &streams, &out).unwrap();
    let mut read = zip::ZipArchive::new(std::fs::File::open(&zip.path).unwrap()).unwrap();
    let mut names: Vec<String> = read.file_names().map(str::to_string).collect();
    names.sort();
    let mut expected = vec![
        format!("{}.json", archive.id),
        format!("{}.webm", ids[0]),
        format!("{}.webm", ids[1]),
    ];
    expected.sort();
    assert_eq!(names, expected);
    let manifest: Manifest =
        serde_json::from_reader(read.by_name(&format!("{}.json", archive.id)).unwrap()).unwrap();
    assert_eq!(
        (manifest.id, manifest.name.as_str(), &manifest.session_id),
        (archive.id, "demo", &archive.session_id)
    );
    for (entry, stream) in manifest.files.iter().zip(&streams) {
        assert_eq!(
            (entry.stream_id, entry.start_time_offset),
            (stream.stream_id, stream.start_offset_ms)
        );
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut read.by_name(&entry.filename).unwrap(), &mut bytes)
            .unwrap();
        assert_eq!(bytes, std::fs::read(&stream.file.path).unwrap());
        assert_eq!(entry.size, bytes.len() as u64);
        let extracted: PathBuf = dir.path().join(format!("x-{}", entry.filename));
        std::fs::write(&extracted, &bytes).unwrap();
        assert_eq!(summary(&probe(&extracted)).0, av());
    }
}
