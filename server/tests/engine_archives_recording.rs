//! Real archives on the embedded engine: real VP8/Opus frames (made by
//! ffmpeg) played into the recorder of a started archive, as the media
//! router would, then checked through the REST API and the served files —
//! a composed WebM probed with ffprobe (one video, one audio, the fed
//! length), an individual zip with one WebM per stream and a manifest with
//! the streams' offsets (a late stream, a stream ending mid-archive, a
//! manual-mode stream added, removed and added again), Range requests and
//! downloads, and deletion removing the files.

mod archive_support;
mod engine_support;
#[path = "hub_client/mod.rs"]
mod hub_client;
mod recording_support;

use std::io::Read;

use reqwest::{header, Method};
use serde_json::{json, Value};
use uuid::Uuid;

use archive_support::{stream_id, Feeder, Server, Stage};
use recording_support::{probe, summary, Frame};

/// Plays two streams: the first for the whole 3 s from 0, the second from
/// 1 s for 1.5 s of its media, then ended (mid-archive).
fn two_streams(archive: &Value, video: &[Frame], audio: &[Frame]) {
    let feeder = Feeder::of(archive);
    feeder.start_stream(stream_id(1));
    feeder.start_stream(stream_id(2));
    feeder.play(stream_id(2), 1_000, video, audio, 1_500);
    feeder.end_stream(stream_id(2));
    feeder.play(stream_id(1), 0, video, audio, u64::MAX);
}

impl Stage {
    /// Starts an archive of the session with `options` (its `sessionId`
    /// added), plays [`two_streams`] into it and stops it; returns the
    /// archive's id and the stop call's answer.
    async fn record_two_streams(&self, mut options: Value) -> (String, Value) {
        options["sessionId"] = json!(self.session);
        let archive = self.server.start(options).await;
        let id = archive["id"].as_str().unwrap().to_owned();
        two_streams(&archive, &self.video, &self.audio);
        let stopped = self.server.stop(&id).await;
        (id, stopped)
    }
}

async fn download(server: &Server, url: &str) -> reqwest::Response {
    server.http.get(url).send().await.expect("download")
}

async fn available(server: &Server, id: &str) -> Value {
    let archive = server.leaves(id, "stopped").await;
    assert_eq!(archive["status"], "available", "{archive}");
    archive
}

#[tokio::test]
async fn a_composed_archive_becomes_a_served_playable_file_until_deleted() {
    let stage = Stage::new().await;
    let (id, stopped) = stage.record_two_streams(json!({"name": "two"})).await;
    let Stage { dir, server, .. } = &stage;
    assert_eq!(
        (&stopped["status"], &stopped["reason"]),
        (&json!("stopped"), &json!("user initiated"))
    );

    let archive = available(server, &id).await;
    let url = archive["url"].as_str().unwrap().to_owned();
    assert_eq!(
        url,
        format!("http://{}/recordings/{id}/archive.webm", server.addr)
    );
    let duration = archive["duration"].as_u64().unwrap();
    assert!((2..=4).contains(&duration), "{archive}");
    let response = download(server, &url).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "video/webm");
    let bytes = response.bytes().await.unwrap();
    assert_eq!(bytes.len() as u64, archive["size"].as_u64().unwrap());
    let file = dir.path().join("downloaded.webm");
    std::fs::write(&file, &bytes).unwrap();
    let probed = probe(&file);
    let (kinds, seconds) = summary(&probed);
    let kinds: Vec<(&str, &str)> = kinds
        .iter()
        .map(|(k, c)| (k.as_str(), c.as_str()))
        .collect();
    assert_eq!(kinds, [("video", "vp8"), ("audio", "opus")]);
    assert_eq!(
        (
            probed["streams"][0]["width"].as_u64(),
            probed["streams"][0]["height"].as_u64()
        ),
        (Some(640), Some(480))
    );
    assert!((seconds - 3.0).abs() <= 1.0, "fed 3 s, got {seconds}");

    let range = server
        .http
        .get(&url)
        .header(header::RANGE, "bytes=0-99")
        .send()
        .await
        .unwrap();
    assert_eq!(range.status(), 206);
    assert_eq!(range.bytes().await.unwrap(), bytes.slice(0..100));
    let save = download(server, &format!("{url}?download=1")).await;
    let disposition = save.headers()[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    let zip = url.replace("archive.webm", "archive.zip");
    assert_eq!(
        download(server, &zip).await.status(),
        404,
        "not an individual archive"
    );

    let (status, _) = server
        .rest(Method::DELETE, &format!("/archive/{id}"), None)
        .await;
    assert_eq!(status, 204);
    assert!(!server.archive_dir(&id).exists(), "files are removed");
    let (status, body) = server
        .rest(Method::GET, &format!("/archive/{id}"), None)
        .await;
    assert_eq!((status, body["code"].as_i64()), (404, Some(404)));
    let gone = download(server, &url).await;
    assert_eq!(gone.status(), 404);
    assert_eq!(gone.headers()[header::CONTENT_TYPE], "application/json");
}

/// The entries of a zip: name → bytes.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    (0..zip.len())
        .map(|i| {
            let mut entry = zip.by_index(i).unwrap();
            let mut data = Vec::new();
            entry.read_to_end(&mut data).unwrap();
            (entry.name().to_owned(), data)
        })
        .collect()
}

/// The manifest of an individual zip and its stream files (probed).
async fn individual_output(
    server: &Server,
    archive: &Value,
    scratch: &std::path::Path,
) -> (Value, Vec<(String, Value)>) {
    let url = archive["url"].as_str().unwrap();
    assert!(url.ends_with("/archive.zip"), "{url}");
    let response = download(server, url).await;
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/zip");
    let entries = unzip(&response.bytes().await.unwrap());
    let id = archive["id"].as_str().unwrap();
    let manifest = entries
        .iter()
        .find(|(name, _)| *name == format!("{id}.json"))
        .expect("a manifest");
    let manifest: Value = serde_json::from_slice(&manifest.1).unwrap();
    let mut files = Vec::new();
    for (name, data) in entries.iter().filter(|(name, _)| name.ends_with(".webm")) {
        let path = scratch.join(name);
        std::fs::write(&path, data).unwrap();
        files.push((name.clone(), probe(&path)));
    }
    assert_eq!(
        entries.len(),
        files.len() + 1,
        "only stream files besides the manifest"
    );
    (manifest, files)
}

#[tokio::test]
async fn an_individual_archive_zips_one_webm_per_stream_at_its_offsets() {
    let stage = Stage::new().await;
    let (id, _) = stage
        .record_two_streams(json!({"outputMode": "individual"}))
        .await;
    let Stage {
        dir,
        server,
        session,
        ..
    } = &stage;
    let archive = available(server, &id).await;
    let (manifest, files) = individual_output(server, &archive, dir.path()).await;

    assert_eq!(manifest["id"], id.as_str());
    assert_eq!(manifest["sessionId"], session.as_str());
    let entry = |n: u128| {
        manifest["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["streamId"] == stream_id(n).to_string())
            .unwrap_or_else(|| panic!("stream {n} in {manifest}"))
            .clone()
    };
    let (one, two) = (entry(1), entry(2));
    let at = |file: &Value, key: &str| file[key].as_u64().unwrap();
    assert_eq!(
        at(&two, "startTimeOffset") - at(&one, "startTimeOffset"),
        1_000
    );
    let two_length = at(&two, "stopTimeOffset") - at(&two, "startTimeOffset");
    assert!(
        (1_300..1_500).contains(&two_length),
        "ended mid-archive: {two}"
    );
    assert!(
        at(&one, "stopTimeOffset") > at(&two, "stopTimeOffset") + 400,
        "{manifest}"
    );
    assert_eq!(
        (&one["filename"], &one["connectionData"], &one["videoType"]),
        (
            &json!(format!("{}.webm", stream_id(1))),
            &json!(format!("name={}", stream_id(1))),
            &json!("camera")
        )
    );
    assert_eq!(files.len(), 2);
    for (name, probed) in &files {
        let (kinds, seconds) = summary(probed);
        assert_eq!(kinds.len(), 2, "{name}: audio and video");
        assert!(seconds > 1.0, "{name}: {seconds}");
    }
    assert!(
        (2..=4).contains(&archive["duration"].as_u64().unwrap()),
        "{archive}"
    );
}

#[tokio::test]
async fn manual_mode_records_only_the_added_streams_as_they_are_changed() {
    let mut stage = Stage::new().await;
    let client = &mut stage.client;
    client
        .send(
            &json!({"type": "publish", "id": "p", "name": "cam", "hasAudio": true,
        "hasVideo": true, "videoType": "camera"}),
        )
        .await;
    let published = loop {
        let message: Value = client.next().await.expect("messages");
        if message["type"] == "streamCreated" {
            break Uuid::parse_str(message["stream"]["streamId"].as_str().unwrap()).unwrap();
        }
    };
    let Stage {
        dir,
        video,
        audio,
        server,
        session,
        ..
    } = &stage;
    let archive = server
        .start(json!({"sessionId": session, "outputMode": "individual",
        "streamMode": "manual"}))
        .await;
    let id = archive["id"].as_str().unwrap().to_owned();
    let feeder = Feeder::of(&archive);
    feeder.start_stream(published);
    feeder.play(published, 0, video, audio, 1_000);
    let streams = format!("/archive/{id}/streams");
    let add = json!({"addStream": published, "hasAudio": false});
    assert_eq!(server.rest(Method::PATCH, &streams, Some(add)).await.0, 204);
    feeder.play(published, 2_000, video, audio, 1_000);
    let remove = json!({"removeStream": published});
    assert_eq!(
        server.rest(Method::PATCH, &streams, Some(remove)).await.0,
        204
    );
    feeder.play(published, 3_500, video, audio, 500);
    let again = json!({"addStream": published});
    assert_eq!(
        server.rest(Method::PATCH, &streams, Some(again)).await.0,
        204
    );
    feeder.play(published, 5_000, video, audio, 1_000);
    server.stop(&id).await;

    let archive = available(server, &id).await;
    let (manifest, files) = individual_output(server, &archive, dir.path()).await;
    let entries: Vec<(String, u64)> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["filename"].as_str().unwrap().to_owned(),
                f["startTimeOffset"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(entries.len(), 2, "{manifest}");
    assert_eq!(entries[0].0, format!("{published}.webm"));
    assert_eq!(entries[1].0, format!("{published}-2.webm"));
    assert_eq!(entries[1].1 - entries[0].1, 3_000, "{manifest}");
    let kinds = |name: &str| {
        let (kinds, _) = summary(&files.iter().find(|(n, _)| n == name).unwrap().1);
        kinds.into_iter().map(|(kind, _)| kind).collect::<Vec<_>>()
    };
    assert_eq!(kinds(&entries[0].0), ["video"], "added without audio");
    assert_eq!(kinds(&entries[1].0), ["audio", "video"]);
}
