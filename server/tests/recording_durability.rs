//! An archive survives a hard crash of the real `server` binary. The binary
//! runs on a temporary data directory; a routed session is created through
//! the REST API, a str0m stand-in browser publishes synthetic VP8 + Opus
//! through the hub and the media router over UDP, and a composed archive
//! records it for a few seconds. Then the server is killed with SIGKILL
//! mid-recording and started again on the same data directory: its
//! restart recovery must finish the archive — `available`, reason
//! `"session ended"`, a non-empty file served at its `url` that ffprobe
//! reads as one video and one audio stream of about the recorded length,
//! whose sound is the stand-in's (not the silence of an empty archive).
//! ffmpeg and ffprobe are required (`scripts/setup.sh` installs them).

#[path = "hub_client/mod.rs"]
mod hub_client;
#[path = "media_support/peer.rs"]
mod peer;
#[path = "app/real_server.rs"]
#[allow(dead_code)] // only `start` and `kill` are used here
mod real_server;
mod recording_support;
mod remote_publisher;

use std::time::Duration;

use serde_json::Value;
use server::config::{engine_credentials, Config};
use server::opentok::client::Client;
use server::opentok::model::{
    Archive, ArchiveOptions, ArchiveStatus, MediaMode, OutputMode, SessionOptions,
};
use server::opentok::token::Role;
use url::Url;
use uuid::Uuid;

use peer::Source;
use real_server::RealServer;
use recording_support::{loudness, require_ffmpeg, run};
use remote_publisher::RemotePublisher;

/// How long media flows into the archive before the crash.
const MEDIA_FLOW: Duration = Duration::from_secs(3);
/// Longest wait after the restart for the archive to be finished.
const RECOVERY_PATIENCE: Duration = Duration::from_secs(90);

/// A REST client of `server`, with the credentials in `data_dir`.
fn rest(server: &RealServer, data_dir: &std::path::Path) -> Client {
    // No ENGINE_API_KEY is given: the server generated its project's
    // credentials into the data directory, where they are read back.
    let credentials = engine_credentials(&Config::for_tests(data_dir.to_owned()))
        .expect("the server stored its engine credentials");
    let base = Url::parse(&server.base).expect("the server announces a URL");
    Client::new(credentials, base)
}

/// Polls `id` until it is no longer recording or processing.
async fn finished(api: &Client, id: Uuid) -> Archive {
    let deadline = tokio::time::Instant::now() + RECOVERY_PATIENCE;
    let mut last = None;
    while tokio::time::Instant::now() < deadline {
        match api.get_archive(id).await {
            Ok(archive)
                if !matches!(
                    archive.status,
                    ArchiveStatus::Started | ArchiveStatus::Paused | ArchiveStatus::Stopped
                ) =>
            {
                return archive;
            }
            Ok(archive) => last = Some(format!("{archive:?}")),
            Err(err) => last = Some(err.to_string()),
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("the archive was not finished within {RECOVERY_PATIENCE:?}; last seen: {last:?}");
}

#[tokio::test]
async fn an_archive_cut_by_sigkill_is_finished_by_the_restarted_server() {
    require_ffmpeg();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut server = RealServer::start(dir.path());
    let api = rest(&server, dir.path());
    let routed = SessionOptions {
        media_mode: MediaMode::Routed,
        ..SessionOptions::default()
    };
    let session = api.create_session(&routed).await.expect("a routed session");
    let token = api
        .token(&session)
        .role(Role::Publisher)
        .data("crash test")
        .build()
        .expect("a token");
    let hub_url = format!("{}/rtc", server.base.replacen("http://", "ws://", 1));
    let mut publisher =
        RemotePublisher::join(&hub_url, session.as_str(), &token, Source::default()).await;
    publisher.connected().await;

    let started = api
        .start_archive(&ArchiveOptions::new(session.clone()))
        .await
        .expect("the archive starts");
    assert_eq!(
        (started.status, started.output_mode),
        (ArchiveStatus::Started, OutputMode::Composed)
    );
    tokio::time::sleep(MEDIA_FLOW).await;
    let recording = api.get_archive(started.id).await.expect("the archive");
    assert_eq!(recording.status, ArchiveStatus::Started, "{recording:?}");
    server.kill();
    drop(publisher);

    let server = RealServer::start(dir.path());
    let api = rest(&server, dir.path());
    let archive = finished(&api, started.id).await;
    assert_eq!(archive.status, ArchiveStatus::Available, "{archive:?}");
    assert_eq!(archive.reason, "session ended");
    assert!(archive.size > 0, "{archive:?}");
    let url = archive.url.clone().expect("an available archive has a url");
    let url = if url.starts_with('/') {
        format!("{}{url}", server.base)
    } else {
        url
    };
    let reply = reqwest::get(&url).await.expect("the recording is served");
    assert_eq!(reply.status(), 200, "{url}");
    let body = reply.bytes().await.expect("the recording's bytes");
    assert_eq!(body.len() as u64, archive.size, "size is the file's length");
    let file = dir.path().join("downloaded.webm");
    std::fs::write(&file, &body).expect("the download is written");

    let probe: Value = serde_json::from_slice(&run(
        "ffprobe",
        &[
            "-v",
            "error",
            "-show_entries",
            "format=duration:stream=codec_type",
            "-of",
            "json",
            file.to_str().expect("a UTF-8 temp path"),
        ],
    ))
    .expect("ffprobe prints JSON");
    let mut kinds: Vec<&str> = probe["streams"]
        .as_array()
        .unwrap_or_else(|| panic!("streams: {probe}"))
        .iter()
        .filter_map(|s| s["codec_type"].as_str())
        .collect();
    kinds.sort_unstable();
    assert_eq!(kinds, ["audio", "video"], "{probe}");
    let duration: f64 = probe["format"]["duration"]
        .as_str()
        .and_then(|d| d.parse().ok())
        .unwrap_or_else(|| panic!("a duration: {probe}"));
    assert!(duration > 1.0 && duration < 10.0, "{duration} s: {probe}");
    // Silence would mean no packet of the stand-in's reached the archive:
    // its synthetic Opus decodes to loud noise.
    let level = loudness(&file, "0.5");
    assert!(level > 1000.0, "the recorded audio is silent (RMS {level})");
}
