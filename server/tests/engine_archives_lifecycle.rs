//! The archive lifecycle on a served engine: the platform's refusals, the
//! `archiveStarted` / `archiveStopped` events clients receive, the
//! automatic stops (after everyone left, at the cap — both shortened
//! here) with the platform's reasons, and restart recovery: an engine
//! dropped mid-recording, and files a crash left unfinished, both end up
//! `available` once a new engine starts on the same store and directory.

mod archive_support;
mod engine_support;
#[path = "hub_client/mod.rs"]
mod hub_client;
mod recording_support;

use std::time::Duration;

use reqwest::Method;
use serde_json::{json, Value};
use server::engine::recording::{Timeline, TimelineEntry, TrackSpec, WebmWriter};
use server::opentok::model::{Archive, ArchiveOptions, MediaMode, ProjectId, SessionOptions};
use server::store::{ArchiveRecord, ArchiveStore};
use uuid::Uuid;

use archive_support::{serve, stream_id, temp, Feeder, Stage, Timings};
use recording_support::{media, probe, require_ffmpeg, summary};

#[tokio::test]
async fn starting_and_stopping_keep_the_platform_refusals() {
    let dir = temp();
    let server = serve(dir.path(), Timings::default()).await;
    let session = server.session().await;
    let start = |body: Value| server.rest(Method::POST, "/archive", Some(body));
    let (status, body) = start(json!({"sessionId": session})).await;
    assert_eq!(status, 400, "nobody is connected: {body}");
    let unknown = server::opentok::session_id::SessionId::generate(
        engine_support::KEY,
        None,
        MediaMode::Routed,
    );
    assert_eq!(start(json!({"sessionId": unknown})).await.0, 404);
    let relayed = server
        .engine
        .create_session(SessionOptions::default())
        .await
        .unwrap();
    let _relayed_client = server.join(&relayed).await;
    assert_eq!(start(json!({"sessionId": relayed})).await.0, 409);

    let _client = server.join(&session).await;
    let first = server.start(json!({"sessionId": session})).await;
    assert_eq!(
        start(json!({"sessionId": session})).await.0,
        409,
        "same (no) tag"
    );
    let tagged = server
        .start(json!({"sessionId": session, "multiArchiveTag": "b"}))
        .await;
    assert_eq!(
        start(json!({"sessionId": session, "multiArchiveTag": "b"}))
            .await
            .0,
        409
    );
    let id = first["id"].as_str().unwrap();
    let (status, body) = server
        .rest(Method::DELETE, &format!("/archive/{id}"), None)
        .await;
    assert_eq!(status, 409, "not available yet: {body}");
    assert!(
        body["message"].as_str().unwrap().contains("started"),
        "{body}"
    );
    server.stop(id).await;
    let (status, _) = server
        .rest(Method::POST, &format!("/archive/{id}/stop"), None)
        .await;
    assert_eq!(status, 409, "stopped twice");
    assert_eq!(
        server.stop(tagged["id"].as_str().unwrap()).await["status"],
        "stopped"
    );
}

#[tokio::test]
async fn every_client_hears_of_starts_and_stops() {
    let dir = temp();
    let server = serve(dir.path(), Timings::default()).await;
    let session = server.session().await;
    let mut early = server.join(&session).await;
    let archive = server
        .start(json!({"sessionId": session, "name": "standup"}))
        .await;
    let until = |kind: &'static str| move |message: &Value| message["type"] == kind;
    let started = next_matching(&mut early, until("archiveStarted")).await;
    assert_eq!(
        (&started["id"], &started["name"]),
        (&archive["id"], &json!("standup"))
    );
    let mut late = server.join(&session).await;
    let announced = next_matching(&mut late, until("archiveStarted")).await;
    assert_eq!(announced["id"], archive["id"], "newcomers learn it records");
    server.stop(archive["id"].as_str().unwrap()).await;
    for client in [&mut early, &mut late] {
        let stopped = next_matching(client, until("archiveStopped")).await;
        assert_eq!(stopped["id"], archive["id"]);
    }
}

async fn next_matching(
    client: &mut hub_client::HubSocket,
    wanted: impl Fn(&Value) -> bool,
) -> Value {
    loop {
        let message: Value = client.next().await.expect("an open socket");
        if wanted(&message) {
            return message;
        }
    }
}

#[tokio::test]
async fn archives_stop_once_everyone_left_and_at_the_cap() {
    require_ffmpeg();
    let dir = temp();
    let idle = Timings {
        idle_stop: Duration::from_millis(300),
        ..Timings::default()
    };
    let server = serve(dir.path(), idle).await;
    let session = server.session().await;
    let client = server.join(&session).await;
    let archive = server.start(json!({"sessionId": session})).await;
    let id = archive["id"].as_str().unwrap();
    client.close().await;
    let stopped = server.leaves(id, "started").await;
    assert_eq!(stopped["reason"], "session ended", "{stopped}");
    let done = server.leaves(id, "stopped").await;
    assert_eq!(
        done["status"], "available",
        "nothing recorded still makes a file: {done}"
    );
    assert!(done["size"].as_u64().unwrap() > 0);

    let capped = Timings {
        max_duration: Duration::from_millis(500),
        ..Timings::default()
    };
    let other = temp();
    let server = serve(other.path(), capped).await;
    let session = server.session().await;
    let _client = server.join(&session).await;
    let archive = server
        .start(json!({"sessionId": session, "outputMode": "individual"}))
        .await;
    let stopped = server
        .leaves(archive["id"].as_str().unwrap(), "started")
        .await;
    assert_eq!(stopped["reason"], "maximum duration exceeded", "{stopped}");
}

#[tokio::test]
async fn an_engine_dropped_mid_recording_is_finished_by_the_next() {
    let stage = Stage::new().await;
    let archive = stage
        .server
        .start(json!({"sessionId": stage.session}))
        .await;
    let id = archive["id"].as_str().unwrap().to_owned();
    let feeder = Feeder::of(&archive);
    feeder.start_stream(stream_id(1));
    feeder.play(stream_id(1), 0, &stage.video, &stage.audio, u64::MAX);
    drop(feeder);
    drop(stage.client);
    stage.server.shut_down();

    let server = serve(stage.dir.path(), Timings::default()).await;
    assert_eq!(server.engine.recover_archives().await.unwrap(), 1);
    let stopped = server.leaves(&id, "started").await;
    assert_eq!(stopped["reason"], "session ended");
    let done = server.leaves(&id, "stopped").await;
    assert_eq!(done["status"], "available", "{done}");
    let file = server.archive_dir(&id).join("archive.webm");
    let (kinds, seconds) = summary(&probe(&file));
    assert_eq!(kinds.len(), 2);
    assert!((seconds - 3.0).abs() <= 1.0, "{seconds}");
}

#[tokio::test]
async fn files_a_crash_left_unfinished_are_repaired_on_restart() {
    require_ffmpeg();
    let dir = temp();
    let (video, audio) = media(dir.path());
    let store = server::store::sqlite::SqliteStore::open(dir.path())
        .await
        .unwrap();
    let first = server::engine::Engine::new(
        engine_support::credentials(),
        std::sync::Arc::new(store.clone()),
    );
    let routed = SessionOptions {
        media_mode: MediaMode::Routed,
        ..SessionOptions::default()
    };
    let session = first.create_session(routed).await.unwrap();
    drop(first);
    let mut options = ArchiveOptions::new(session);
    options.output_mode = server::opentok::model::OutputMode::Individual;
    let archive = Archive::started(
        &options,
        ProjectId::new(engine_support::KEY),
        1_700_000_000_000,
    );
    store
        .insert_archive(&ArchiveRecord {
            archive: archive.clone(),
            layout: None,
        })
        .await
        .unwrap();
    let archive_dir = dir.path().join("archives").join(archive.id.to_string());
    std::fs::create_dir_all(archive_dir.join("raw")).unwrap();
    let stream = Uuid::from_u128(42);
    let mut writer = WebmWriter::create(
        archive_dir.join("raw").join(format!("{stream}.webm")),
        TrackSpec::AudioVideo,
    )
    .unwrap();
    for (ts, data, keyframe) in &video {
        writer.write_video(*ts, data, *keyframe).unwrap();
    }
    for (ts, data, _) in &audio {
        writer.write_audio(*ts, data).unwrap();
    }
    drop(writer); // the crash: never finished
    let mut timeline = Timeline::new(archive.id);
    timeline.duration_ms = 2_500;
    timeline.streams.push(TimelineEntry {
        stream_id: stream,
        file: format!("{stream}.webm"),
        connection_data: "name=crash".into(),
        video_type: None,
        has_audio: true,
        has_video: true,
        start_time_offset: 500,
        stop_time_offset: 2_500,
        closed: false,
    });
    timeline.save(&archive_dir).unwrap();
    drop(store);

    let server = serve(dir.path(), Timings::default()).await;
    assert_eq!(server.engine.recover_archives().await.unwrap(), 1);
    let id = archive.id.to_string();
    let stopped = server.leaves(&id, "started").await;
    assert_eq!(
        (&stopped["reason"], &stopped["duration"]),
        (&json!("session ended"), &json!(2))
    );
    let done = server.leaves(&id, "stopped").await;
    assert_eq!(done["status"], "available", "{done}");
    let repaired = Timeline::load(&archive_dir).unwrap().unwrap();
    assert!(repaired.streams[0].closed, "repaired in place");
    let (kinds, seconds) = summary(&probe(
        &archive_dir.join("raw").join(format!("{stream}.webm")),
    ));
    assert_eq!(kinds.len(), 2);
    assert!(seconds > 1.0, "the file keeps what was written: {seconds}");
    assert!(
        std::fs::metadata(archive_dir.join("archive.zip"))
            .unwrap()
            .len()
            > 0
    );
}
