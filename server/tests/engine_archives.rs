//! The engine's archive API (§5.2–5.3) through its router: the refusals
//! before recording (no client, relayed session, unknown session, invalid
//! options), the started → stopped lifecycle, paged lists, deletion,
//! layouts and manual stream selection. Recorded outputs are tested in
//! `engine_archives_recording.rs`, automatic stops and restarts in
//! `engine_archives_lifecycle.rs`.

mod engine_support;

use axum::body::Body;
use axum::http::{header, Method, Request};
use serde_json::{json, Value};
use server::opentok::model::{MediaMode, SessionOptions};
use server::opentok::session_id::SessionId;

use engine_support::{auth, project, test_engine, TestEngine, KEY};

async fn start(t: &TestEngine, body: Value) -> engine_support::Reply {
    t.call(Method::POST, &project("/archive"), Some(body)).await
}

async fn started(t: &TestEngine, body: Value) -> Value {
    let reply = start(t, body).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.content_type(), "application/json");
    reply.json()
}

#[tokio::test]
async fn start_is_refused_until_a_client_is_connected() {
    let t = test_engine().await;
    let session = t.routed_session().await;
    let body = start(&t, json!({"sessionId": session}))
        .await
        .assert_error(400);
    assert!(
        body["message"].as_str().unwrap().contains("connected"),
        "{body}"
    );
    let _client = t.connect(&session);
    assert_eq!(start(&t, json!({"sessionId": session})).await.status, 200);
}

#[tokio::test]
async fn relayed_unknown_and_malformed_sessions_are_refused() {
    let t = test_engine().await;
    let relayed = t
        .engine
        .create_session(SessionOptions::default())
        .await
        .unwrap();
    let _client = t.connect(&relayed);
    let body = start(&t, json!({"sessionId": relayed}))
        .await
        .assert_error(409);
    assert!(
        body["message"].as_str().unwrap().contains("relayed"),
        "{body}"
    );
    let unknown = SessionId::generate(KEY, None, MediaMode::Routed);
    start(&t, json!({"sessionId": unknown}))
        .await
        .assert_error(404);
    let foreign = SessionId::generate("654321", None, MediaMode::Routed);
    start(&t, json!({"sessionId": foreign}))
        .await
        .assert_error(404);
    start(&t, json!({"sessionId": "SESSIONID"}))
        .await
        .assert_error(400);
    start(&t, json!({})).await.assert_error(400);
}

#[tokio::test]
async fn invalid_options_are_400_and_sdk_quirks_are_accepted() {
    let t = test_engine().await;
    let session = t.routed_session().await;
    let _client = t.connect(&session);
    for bad in [
        json!({"sessionId": session, "hasAudio": false, "hasVideo": false}),
        json!({"sessionId": session, "outputMode": "individual", "resolution": "1280x720"}),
        json!({"sessionId": session, "maxBitrate": 1000000, "quantizationParameter": 20}),
        json!({"sessionId": session, "quantizationParameter": 50}),
        json!({"sessionId": session, "layout": {"type": "custom"}}),
        json!({"sessionId": session, "resolution": "800x600"}),
    ] {
        start(&t, bad.clone()).await.assert_error(400);
    }
    // Python's explicit nulls; Ruby's booleans as strings.
    let python = json!({"sessionId": session, "name": null, "hasAudio": true, "hasVideo": true,
        "outputMode": "composed", "resolution": null, "multiArchiveTag": null, "maxBitrate": null});
    assert_eq!(started(&t, python).await["status"], "started");
    let ruby = json!({"sessionId": session, "hasVideo": "false", "outputMode": "individual", "multiArchiveTag": "ruby"});
    let archive = started(&t, ruby).await;
    assert_eq!(
        (
            archive["hasVideo"].as_bool(),
            archive["outputMode"].as_str()
        ),
        (Some(false), Some("individual"))
    );
    assert_eq!(archive["resolution"], Value::Null);
}

#[tokio::test]
async fn the_archive_lifecycle() {
    let t = test_engine().await;
    let session = t.routed_session().await;
    let _client = t.connect(&session);

    let archive = started(&t, json!({"sessionId": session, "name": "standup"})).await;
    assert_eq!(archive["status"], "started");
    assert_eq!(archive["partnerId"], 123456, "an integer");
    assert_eq!(archive["projectId"], 123456);
    assert_eq!(archive["sessionId"], session.as_str());
    assert_eq!(archive["name"], "standup");
    assert!(archive["createdAt"].as_u64().unwrap() > 1_700_000_000_000);
    assert_eq!(
        (archive["size"].as_u64(), archive["duration"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(
        (archive["url"].clone(), archive["reason"].clone()),
        (Value::Null, json!(""))
    );
    assert_eq!(
        (
            archive["outputMode"].as_str(),
            archive["streamMode"].as_str()
        ),
        (Some("composed"), Some("auto"))
    );
    assert_eq!(archive["resolution"], "640x480");
    let id = archive["id"].as_str().unwrap().to_owned();
    assert_eq!(
        uuid::Uuid::parse_str(&id).unwrap().to_string(),
        id,
        "a lowercase uuid"
    );

    start(&t, json!({"sessionId": session}))
        .await
        .assert_error(409);
    let tagged = started(
        &t,
        json!({"sessionId": session, "multiArchiveTag": "second"}),
    )
    .await;
    assert_eq!(tagged["multiArchiveTag"], "second");
    start(
        &t,
        json!({"sessionId": session, "multiArchiveTag": "second"}),
    )
    .await
    .assert_error(409);

    let fetched = t
        .call(Method::GET, &project(&format!("/archive/{id}")), None)
        .await;
    assert_eq!(fetched.status, 200);
    assert_eq!(fetched.json(), archive);

    // Ruby posts no body but a JSON content type; Node posts {}.
    let stop = Request::builder()
        .method(Method::POST)
        .uri(project(&format!("/archive/{id}/stop")))
        .header("X-OPENTOK-AUTH", auth())
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::empty())
        .unwrap();
    let stopped = t.send(stop).await;
    assert_eq!(stopped.status, 200, "{}", stopped.text());
    let stopped = stopped.json();
    assert_eq!(stopped["status"], "stopped");
    assert_eq!(stopped["reason"], "user initiated");
    assert_eq!(stopped["url"], Value::Null);
    assert!(stopped["duration"].is_u64());
    t.call(
        Method::POST,
        &project(&format!("/archive/{id}/stop")),
        Some(json!({})),
    )
    .await
    .assert_error(409);

    // The untagged slot is free again once stopped.
    let again = started(&t, json!({"sessionId": session})).await;

    // Only available/uploaded archives can be deleted: not a recording one.
    let again = again["id"].as_str().unwrap();
    let body = t
        .call(Method::DELETE, &project(&format!("/archive/{again}")), None)
        .await
        .assert_error(409);
    assert!(
        body["message"].as_str().unwrap().contains("started"),
        "{body}"
    );
    assert_eq!(
        t.call(Method::GET, &project(&format!("/archive/{id}")), None)
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn unknown_and_malformed_archive_ids() {
    let t = test_engine().await;
    let unknown = "6d1b7c65-9d8e-4a8b-8f2e-3f4b5c6d7e8f";
    t.call(Method::GET, &project(&format!("/archive/{unknown}")), None)
        .await
        .assert_error(404);
    t.call(
        Method::POST,
        &project(&format!("/archive/{unknown}/stop")),
        None,
    )
    .await
    .assert_error(404);
    t.call(
        Method::DELETE,
        &project(&format!("/archive/{unknown}")),
        None,
    )
    .await
    .assert_error(404);
    let layout = json!({"type": "pip"});
    t.call(
        Method::PUT,
        &project(&format!("/archive/{unknown}/layout")),
        Some(layout),
    )
    .await
    .assert_error(404);
    t.call(Method::GET, &project("/archive/ARCHIVEID"), None)
        .await
        .assert_error(400);
    t.call(Method::POST, &project("/archive/not-a-uuid/stop"), None)
        .await
        .assert_error(400);
}

async fn list(t: &TestEngine, query: &str) -> Value {
    let reply = t
        .call(Method::GET, &project(&format!("/archive{query}")), None)
        .await;
    assert_eq!(reply.status, 200, "{query}: {}", reply.text());
    let body = reply.json();
    let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["count", "items"], "only count and items (Java)");
    body
}

fn ids(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn lists_page_filter_and_order_newest_first() {
    let t = test_engine().await;
    let (one, two) = (t.routed_session().await, t.routed_session().await);
    let (_a, _b) = (t.connect(&one), t.connect(&two));
    let mut created = Vec::new();
    for (i, session) in [&one, &two, &one, &one].into_iter().enumerate() {
        let archive = started(
            &t,
            json!({"sessionId": session, "multiArchiveTag": format!("t{i}")}),
        )
        .await;
        created.push(archive["id"].as_str().unwrap().to_owned());
    }
    let newest_first: Vec<String> = created.iter().rev().cloned().collect();

    let all = list(&t, "").await;
    assert_eq!(
        (all["count"].as_u64(), ids(&all)),
        (Some(4), newest_first.clone())
    );
    let page = list(&t, "?offset=1&count=2").await;
    assert_eq!(
        (page["count"].as_u64(), ids(&page)),
        (Some(4), newest_first[1..3].to_vec())
    );
    let of_one = list(&t, &format!("?sessionId={one}")).await;
    let expected: Vec<String> = [&created[3], &created[2], &created[0]]
        .map(String::clone)
        .to_vec();
    assert_eq!(
        (of_one["count"].as_u64(), ids(&of_one)),
        (Some(3), expected.clone())
    );
    // Vonage's spelling, and Java's hand-built query strings.
    assert_eq!(
        ids(&list(&t, &format!("?session_id={one}")).await),
        expected
    );
    let sloppy = list(&t, &format!("?offset=1&&sessionId={one}&")).await;
    assert_eq!(ids(&sloppy), expected[1..].to_vec());
    assert_eq!(ids(&list(&t, "?offset=10").await), Vec::<String>::new());

    for bad in [
        "?count=1001",
        "?offset=abc",
        "?count=-1",
        "?sessionId=SESSIONID",
    ] {
        t.call(Method::GET, &project(&format!("/archive{bad}")), None)
            .await
            .assert_error(400);
    }
}

#[tokio::test]
async fn layouts_and_manual_stream_selection() {
    let t = test_engine().await;
    let session = t.routed_session().await;
    let _client = t.connect(&session);
    let auto = started(&t, json!({"sessionId": session})).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let manual = started(
        &t,
        json!({"sessionId": session, "streamMode": "manual", "multiArchiveTag": "m"}),
    )
    .await;
    assert_eq!(manual["streamMode"], "manual");
    let manual = manual["id"].as_str().unwrap().to_owned();

    let layout = |id: &str| project(&format!("/archive/{id}/layout"));
    let ok = t
        .call(
            Method::PUT,
            &layout(&auto),
            Some(json!({"type": "bestFit", "screenshareType": "pip"})),
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.text());
    let custom = json!({"type": "custom", "stylesheet": "stream.instructor {position: absolute;}"});
    assert_eq!(
        t.call(Method::PUT, &layout(&auto), Some(custom))
            .await
            .status,
        200
    );
    t.call(Method::PUT, &layout(&auto), Some(json!({"type": "custom"})))
        .await
        .assert_error(400);
    t.call(Method::PUT, &layout(&auto), Some(json!({"type": "mosaic"})))
        .await
        .assert_error(400);

    let streams = |id: &str| project(&format!("/archive/{id}/streams"));
    let add = json!({"addStream": "8b732909-0a06-46a2-8ea8-074e64d43422", "hasAudio": "true"});
    t.call(Method::PATCH, &streams(&auto), Some(add.clone()))
        .await
        .assert_error(405);
    t.call(Method::PATCH, &streams(&manual), Some(add))
        .await
        .assert_error(404);
    let remove = json!({"removeStream": "8b732909-0a06-46a2-8ea8-074e64d43422"});
    t.call(Method::PATCH, &streams(&manual), Some(remove))
        .await
        .assert_error(404);
    t.call(Method::PATCH, &streams(&manual), Some(json!({})))
        .await
        .assert_error(400);
    let unknown = "6d1b7c65-9d8e-4a8b-8f2e-3f4b5c6d7e8f";
    t.call(Method::PATCH, &streams(unknown), Some(json!({})))
        .await
        .assert_error(404);
}

#[tokio::test]
async fn archives_survive_an_engine_restart() {
    let dir = tempfile::tempdir().unwrap();
    let open = || async {
        let store = server::store::sqlite::SqliteStore::open(dir.path())
            .await
            .unwrap();
        server::engine::Engine::new(engine_support::credentials(), std::sync::Arc::new(store))
    };
    let engine = open().await;
    let session = engine
        .create_session(SessionOptions {
            media_mode: MediaMode::Routed,
            ..Default::default()
        })
        .await
        .unwrap();
    let _client = engine.connections().register(&session, None);
    let options = server::opentok::model::ArchiveOptions::new(session.clone());
    let archive = engine.start_archive(options).await.unwrap();
    drop(engine);

    let engine = open().await;
    assert!(engine.session(&session).await.unwrap().is_some());
    assert_eq!(engine.get_archive(archive.id).await.unwrap(), archive);
    assert_eq!(
        engine.connections().count(&session),
        0,
        "connections are live state, not persisted"
    );
}
