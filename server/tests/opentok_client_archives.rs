//! The REST client's archive endpoints against wiremock servers: exact
//! method, path, query, authentication and JSON body for start, stop, get,
//! list, delete and layout, answered with the SDK suites' archive fixtures.

mod opentok_common;

use opentok_common::*;
use server::opentok::model::{
    ArchiveLayout, ArchiveOptions, ArchiveQuery, ArchiveStatus, LayoutType, OutputMode, Resolution,
};
use uuid::Uuid;
use wiremock::matchers::{body_json, header, method, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn start_archive_posts_the_options_as_json() {
    let server = MockServer::start().await;
    let start = authenticated("POST", "/v2/project/123456/archive", &project())
        .and(header("accept", "application/json"))
        .and(header("content-type", "application/json"))
        .and(body_json(serde_json::json!({
            "sessionId": SESSION, "name": "showtime", "hasAudio": true, "hasVideo": true,
            "outputMode": "composed", "resolution": "1280x720", "streamMode": "auto",
            "layout": {"type": "bestFit", "screenshareType": "pip"}, "maxBitrate": 2000000
        })));
    mount_once(&server, start, json(fixture("archive_started.json"))).await;
    let mut options = ArchiveOptions::new(session());
    options.name = Some("showtime".into());
    options.resolution = Some(Resolution::Hd);
    options.layout = Some(ArchiveLayout {
        screenshare_type: Some(LayoutType::Pip),
        ..ArchiveLayout::new(LayoutType::BestFit)
    });
    options.max_bitrate = Some(2_000_000);
    let archive = client_for(&server, project())
        .await
        .start_archive(&options)
        .await
        .unwrap();
    assert_eq!(archive.id.to_string(), ARCHIVE_ID);
    assert_eq!(archive.status, ArchiveStatus::Started);
    assert_eq!(archive.session_id, session());
    assert_eq!(archive.max_bitrate, Some(2_000_000));
}

#[tokio::test]
async fn stop_get_and_delete_use_the_archive_path() {
    let server = MockServer::start().await;
    let base = format!("/v2/project/123456/archive/{ARCHIVE_ID}");
    let stop = authenticated("POST", format!("{base}/stop"), &project());
    mount_once(&server, stop, json(fixture("archive_stopped.json"))).await;
    let get = authenticated("GET", base.clone(), &project());
    mount_once(&server, get, json(fixture("archive_available.json"))).await;
    let delete = authenticated("DELETE", base, &project());
    mount_once(&server, delete, ResponseTemplate::new(204)).await;
    let client = client_for(&server, project()).await;
    let id = Uuid::parse_str(ARCHIVE_ID).unwrap();
    assert_eq!(
        client.stop_archive(id).await.unwrap().status,
        ArchiveStatus::Stopped
    );
    let available = client.get_archive(id).await.unwrap();
    assert_eq!(
        (available.status, available.duration, available.size),
        (ArchiveStatus::Available, 62, 8_347_554)
    );
    assert!(available
        .url
        .unwrap()
        .starts_with("http://tokbox.com.archive2.s3.amazonaws.com/123456%2F"));
    client.delete_archive(id).await.unwrap();
}

#[tokio::test]
async fn list_archives_sends_the_query() {
    let server = MockServer::start().await;
    let list = authenticated("GET", "/v2/project/123456/archive", &project())
        .and(query_param("offset", "2"))
        .and(query_param("count", "4"))
        .and(query_param("sessionId", SESSION));
    mount_once(&server, list, json(fixture("archive_list.json"))).await;
    let query = ArchiveQuery {
        offset: 2,
        count: 4,
        session_id: Some(session()),
    };
    let list = client_for(&server, project())
        .await
        .list_archives(&query)
        .await
        .unwrap();
    assert_eq!(list.count, 1);
    assert_eq!(list.items[0].name.as_deref(), Some("showtime"));
    assert_eq!(list.items[0].project_id.as_str(), "854511");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests[0].url.query(),
        Some(format!("offset=2&count=4&sessionId={SESSION}").as_str())
    );
}

#[tokio::test]
async fn archive_variants_parse() {
    for (file, check) in [
        ("archive_individual.json", OutputMode::Individual),
        ("archive_transcription.json", OutputMode::Composed),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(json(fixture(file)))
            .mount(&server)
            .await;
        let archive = client_for(&server, project())
            .await
            .get_archive(Uuid::new_v4())
            .await
            .unwrap();
        assert_eq!(archive.output_mode, check, "{file}");
    }
}

#[tokio::test]
async fn set_archive_layout_puts_the_layout() {
    let server = MockServer::start().await;
    let put = authenticated(
        "PUT",
        format!("/v2/project/123456/archive/{ARCHIVE_ID}/layout"),
        &project(),
    )
    .and(body_json(
        serde_json::json!({"type": "custom", "stylesheet": "stream { width: 50% }"}),
    ));
    mount_once(&server, put, ResponseTemplate::new(200)).await;
    let layout = ArchiveLayout {
        stylesheet: Some("stream { width: 50% }".into()),
        ..ArchiveLayout::new(LayoutType::Custom)
    };
    let client = client_for(&server, project()).await;
    client
        .set_archive_layout(Uuid::parse_str(ARCHIVE_ID).unwrap(), &layout)
        .await
        .unwrap();
}
