//! The REST client against wiremock servers: sessions, signals, streams,
//! error mapping and authentication. Every request must carry a REST token
//! that verifies with the account's own key; answers are the SDK suites'
//! recorded fixtures. Archive endpoints are in `opentok_client_archives.rs`.

mod opentok_common;

use std::time::Duration;

use opentok_common::*;
use server::opentok::client::ClientError;
use server::opentok::model::{
    ArchiveMode, ArchiveOptions, ArchiveQuery, MediaMode, SessionOptions, Signal, VideoType,
};
use uuid::Uuid;
use wiremock::matchers::{body_json, body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn create_session_posts_the_form_and_reads_the_json_array() {
    let server = MockServer::start().await;
    let create = authenticated("POST", "/session/create", &project())
        .and(header("accept", "application/json"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(header(
            "user-agent",
            concat!("Rendezvous-OpenTok-Rust/", env!("CARGO_PKG_VERSION")),
        ))
        .and(body_string(
            "p2p.preference=disabled&archiveMode=manual&location=12.34.56.78&e2ee=false",
        ));
    mount_once(&server, create, json(fixture("session_create.json"))).await;
    let options = SessionOptions {
        media_mode: MediaMode::Routed,
        location: Some("12.34.56.78".parse().unwrap()),
        ..SessionOptions::default()
    };
    let id = client_for(&server, project())
        .await
        .create_session(&options)
        .await
        .unwrap();
    assert_eq!(
        id.as_str(),
        "1_MX40NzY2NTk3MX5-MTczOTUzODg5NDk1OX5ROW1jWEcxUXJOM1RJWXU4eStwcHgvZ3N-UH5-"
    );
    assert_eq!(id.owner(), "47665971");
}

#[tokio::test]
async fn create_session_reads_minimal_json_and_both_xml_answers() {
    let cases = [
        ("session_create_minimal.json", "application/json", SESSION),
        (
            "session_create.xml",
            "text/xml",
            "1_MX4xMjM0NTZ-fk1vbiBNYXIgMTcgMDA6NDE6MzEgUERUIDIwMTR-MC42ODM3ODk1MzQ0OTQyODA4fg",
        ),
        (
            "session_create_relayed.xml",
            "text/xml",
            "2_MX4xNzAxMjYzMX4xMjcuMC4wLjF-V2VkIEZlYiAyNiAxODo1NzoyNCBQU1QgMjAxNH4wLjU0MDU4ODc0fg",
        ),
    ];
    for (file, mime, expected) in cases {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/session/create"))
            .and(body_string(
                "p2p.preference=enabled&archiveMode=manual&e2ee=false",
            ))
            .respond_with(ResponseTemplate::new(200).set_body_raw(fixture(file), mime))
            .expect(1)
            .mount(&server)
            .await;
        let client = client_for(&server, project()).await;
        let id = client
            .create_session(&SessionOptions::default())
            .await
            .unwrap();
        assert_eq!(id.as_str(), expected, "{file}");
    }
}

#[tokio::test]
async fn invalid_requests_are_refused_before_sending() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    let client = client_for(&server, project()).await;
    let always_relayed = SessionOptions {
        archive_mode: ArchiveMode::Always,
        ..SessionOptions::default()
    };
    assert!(matches!(
        client.create_session(&always_relayed).await,
        Err(ClientError::Session(_))
    ));
    let mut silent = ArchiveOptions::new(session());
    silent.has_audio = false;
    silent.has_video = false;
    assert!(matches!(
        client.start_archive(&silent).await,
        Err(ClientError::Archive(_))
    ));
    let huge = ArchiveQuery {
        count: 1001,
        ..ArchiveQuery::default()
    };
    assert!(matches!(
        client.list_archives(&huge).await,
        Err(ClientError::Archive(_))
    ));
}

#[tokio::test]
async fn signals_and_force_disconnect_hit_session_and_connection_paths() {
    let server = MockServer::start().await;
    let session_path = format!("/v2/project/123456/session/{SESSION}");
    let body = serde_json::json!({"type": "chat", "data": "Hello"});
    let connection_path = format!("{session_path}/connection/{CONNECTION_ID}");
    let no_content = || ResponseTemplate::new(204);
    let to_all = authenticated("POST", format!("{session_path}/signal"), &project());
    mount_once(&server, to_all.and(body_json(&body)), no_content()).await;
    let to_one = authenticated("POST", format!("{connection_path}/signal"), &project());
    mount_once(&server, to_one.and(body_json(&body)), no_content()).await;
    let disconnect = authenticated("DELETE", connection_path, &project());
    mount_once(&server, disconnect, no_content()).await;
    let client = client_for(&server, project()).await;
    let signal = Signal::new("chat", "Hello").unwrap();
    let connection = Uuid::parse_str(CONNECTION_ID).unwrap();
    client.signal(&session(), None, &signal).await.unwrap();
    client
        .signal(&session(), Some(connection), &signal)
        .await
        .unwrap();
    client
        .force_disconnect(&session(), connection)
        .await
        .unwrap();
}

#[tokio::test]
async fn streams_are_listed_and_read() {
    let server = MockServer::start().await;
    let streams = format!("/v2/project/123456/session/{SESSION}/stream");
    let stream_id = "8b732909-0a06-46a2-8ea8-074e64d43422";
    let list = authenticated("GET", streams.clone(), &project());
    mount_once(&server, list, json(fixture("stream_list.json"))).await;
    let one = authenticated("GET", format!("{streams}/{stream_id}"), &project());
    mount_once(&server, one, json(fixture("stream.json"))).await;
    let client = client_for(&server, project()).await;
    let list = client.list_streams(&session()).await.unwrap();
    assert_eq!(list.count, 2);
    assert_eq!(list.items[0].layout_class_list, ["full", "focus"]);
    assert_eq!(list.items[1].video_type, Some(VideoType::Screen));
    let stream = client
        .get_stream(&session(), Uuid::parse_str(stream_id).unwrap())
        .await
        .unwrap();
    assert_eq!(stream.layout_class_list, ["full"]);
}

#[tokio::test]
async fn error_bodies_become_api_errors_with_the_platform_message() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/project/123456/archive/{ARCHIVE_ID}")))
        .respond_with(
            ResponseTemplate::new(403).set_body_raw(fixture("error.json"), "application/json"),
        )
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(409).set_body_raw(
            "<errorPayload><code>409</code><message>Archive is not deletable</message><description>x</description></errorPayload>",
            "text/xml",
        ))
        .mount(&server).await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(502).set_body_string(""))
        .mount(&server)
        .await;
    let client = client_for(&server, project()).await;
    let id = Uuid::parse_str(ARCHIVE_ID).unwrap();
    match client.get_archive(id).await {
        Err(ClientError::Api {
            status: 403,
            code: Some(-1),
            message,
        }) => assert_eq!(message, "Issuer not found"),
        other => panic!("expected a 403 API error, got {other:?}"),
    }
    match client.delete_archive(id).await {
        Err(ClientError::Api {
            status: 409,
            code: Some(409),
            message,
        }) => assert_eq!(message, "Archive is not deletable"),
        other => panic!("expected a 409 API error, got {other:?}"),
    }
    match client.stop_archive(id).await {
        Err(ClientError::Api {
            status: 502,
            code: None,
            message,
        }) => assert_eq!(message, "Bad Gateway"),
        other => panic!("expected a 502 API error, got {other:?}"),
    }
}

#[tokio::test]
async fn undecodable_answers_and_timeouts_are_reported() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/project/123456/archive"))
        .respond_with(json("{\"count\":1,\"items\":[{\"id\":\"nope\"}]}".into()))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/project/123456/archive/{ARCHIVE_ID}")))
        .respond_with(json(fixture("archive_available.json")).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = client_for(&server, project())
        .await
        .with_timeout(Duration::from_millis(100));
    assert!(matches!(
        client.list_archives(&ArchiveQuery::default()).await,
        Err(ClientError::Decode(_))
    ));
    let timed_out = client
        .get_archive(Uuid::parse_str(ARCHIVE_ID).unwrap())
        .await;
    assert!(
        matches!(timed_out, Err(ClientError::Transport(ref e)) if e.is_timeout()),
        "{timed_out:?}"
    );
}

#[tokio::test]
async fn vonage_credentials_use_a_bearer_token_and_the_application_path() {
    let server = MockServer::start().await;
    let get = authenticated(
        "GET",
        format!("/v2/project/{APP_ID}/archive/{ARCHIVE_ID}"),
        &vonage(),
    );
    mount_once(&server, get, json(fixture("archive_available.json"))).await;
    let client = client_for(&server, vonage()).await;
    assert!(server.received_requests().await.unwrap().is_empty());
    client
        .get_archive(Uuid::parse_str(ARCHIVE_ID).unwrap())
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    let auth = requests[0]
        .headers
        .get("authorization")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(auth.starts_with("Bearer ey"), "{auth}");
    assert!(requests[0].headers.get("x-opentok-auth").is_none());
}

#[tokio::test]
async fn every_request_carries_a_fresh_rest_token() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client_for(&server, project()).await;
    let id = Uuid::parse_str(ARCHIVE_ID).unwrap();
    client.delete_archive(id).await.unwrap();
    client.delete_archive(id).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let token = |i: usize| {
        requests[i]
            .headers
            .get("x-opentok-auth")
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned()
    };
    assert_ne!(token(0), token(1), "jti makes each token unique");
}
