//! The engine's REST API (§4, §5.1, §5.4–5.6) driven through its router:
//! session creation with content negotiation, authentication failures,
//! signals, forced disconnects, connection and stream lists, and the
//! platform's JSON error bodies for every kind of bad input.

mod engine_support;

use axum::body::Body;
use axum::http::{header, Method, Request};
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde_json::{json, Value};
use server::engine::EngineEvent;
use server::opentok::model::{MediaMode, SessionInfo};
use server::opentok::session_id::SessionId;

use engine_support::{auth, project, test_engine, TestEngine, KEY, SECRET};

fn create_request(accept: Option<&str>, form: &str) -> Request<Body> {
    let mut builder = Request::builder()
        .method(Method::POST)
        .uri("/session/create")
        .header("X-OPENTOK-AUTH", auth())
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(accept) = accept {
        builder = builder.header(header::ACCEPT, accept);
    }
    builder.body(Body::from(form.to_owned())).unwrap()
}

#[tokio::test]
async fn session_create_answers_a_json_array_when_json_is_accepted() {
    let t = test_engine().await;
    let reply = t
        .send(create_request(
            Some("application/json"),
            "p2p.preference=disabled&archiveMode=manual&e2ee=false",
        ))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        reply.content_type(),
        "application/json",
        "exactly, for Python"
    );
    let body = reply.json();
    let items = body.as_array().expect("an array");
    assert_eq!(items.len(), 1);
    let id = SessionId::parse(items[0]["session_id"].as_str().unwrap()).unwrap();
    assert_eq!(id.owner(), KEY);
    assert_eq!(
        (
            items[0]["project_id"].as_str(),
            items[0]["partner_id"].as_str()
        ),
        (Some(KEY), Some(KEY))
    );
    let create_dt = items[0]["create_dt"].as_str().unwrap();
    let parts: Vec<&str> = create_dt.split(' ').collect();
    assert_eq!(parts.len(), 6, "EEE MMM dd HH:mm:ss zzz yyyy: {create_dt}");
    assert_eq!(parts[4], "UTC");
    let stored = t.engine.session(&id).await.unwrap().expect("persisted");
    assert_eq!(stored.options.media_mode, MediaMode::Routed);
}

#[tokio::test]
async fn session_create_answers_xml_to_php_and_ruby() {
    let t = test_engine().await;
    for accept in [None, Some("*/*")] {
        let reply = t
            .send(create_request(
                accept,
                "p2p.preference=enabled&e2ee=false&api_key=123456",
            ))
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        assert_eq!(reply.content_type(), "text/xml");
        let xml = reply.text();
        assert!(xml.starts_with(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sessions><Session>"#
        ));
        let info = SessionInfo::from_xml(&xml).expect("a session element");
        assert_eq!(info.partner_id, KEY);
        let stored = t
            .engine
            .session(&info.session_id)
            .await
            .unwrap()
            .expect("persisted");
        assert_eq!(stored.options.media_mode, MediaMode::Relayed);
    }
}

#[tokio::test]
async fn session_create_reads_what_sdks_send_and_refuses_bad_combinations() {
    let t = test_engine().await;
    // @vonage/video sends location=null; absent p2p.preference means routed.
    let reply = t
        .send(create_request(
            Some("application/json"),
            "archiveMode=manual&location=null",
        ))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let reply = t
        .send(create_request(
            Some("application/json"),
            "location=12.34.56.78&archiveMode=always&archiveName=auto",
        ))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    for bad in [
        "p2p.preference=enabled&archiveMode=always",
        "location=banana",
        "e2ee=perhaps",
        "p2p.preference=enabled&e2ee=true",
    ] {
        t.send(create_request(Some("application/json"), bad))
            .await
            .assert_error(400);
    }
}

fn token(secret: &str, claims: Value) -> String {
    encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[tokio::test]
async fn authentication_failures_are_403_with_the_json_body() {
    let t = test_engine().await;
    let streams = |project_key: &str| format!("/v2/project/{project_key}/archive");
    let get = |uri: String, auth: Option<String>| {
        let mut builder = Request::builder().uri(uri);
        if let Some(token) = auth {
            builder = builder.header("X-OPENTOK-AUTH", token);
        }
        builder.body(Body::empty()).unwrap()
    };
    let n = now();
    let cases = [
        ("no header", get(streams(KEY), None)),
        ("garbage", get(streams(KEY), Some("not.a.jwt".into()))),
        (
            "bad signature",
            get(
                streams(KEY),
                Some(token(
                    "ffffffffffffffffffffffffffffffffffffffff",
                    json!({"iss": KEY, "ist": "project", "iat": n, "exp": n + 180}),
                )),
            ),
        ),
        (
            "expired",
            get(
                streams(KEY),
                Some(token(
                    SECRET,
                    json!({"iss": KEY, "ist": "project", "iat": n - 900, "exp": n - 600}),
                )),
            ),
        ),
        (
            "other project in path",
            get(streams("654321"), Some(auth())),
        ),
        (
            "other project's token",
            get(
                streams("654321"),
                Some(token(
                    SECRET,
                    json!({"iss": "654321", "ist": "project", "iat": n, "exp": n + 180}),
                )),
            ),
        ),
        (
            "account token",
            get(
                streams(KEY),
                Some(token(
                    SECRET,
                    json!({"iss": KEY, "ist": "account", "iat": n, "exp": n + 180}),
                )),
            ),
        ),
    ];
    for (case, request) in cases {
        let reply = t.send(request).await;
        assert_eq!(reply.status, 403, "{case}: {}", reply.text());
        reply.assert_error(403);
    }
    let unsigned = Request::builder()
        .method(Method::POST)
        .uri("/session/create")
        .body(Body::empty())
        .unwrap();
    t.send(unsigned).await.assert_error(403);
    // A numeric iss, ist in no place at all, and Node's stray header are fine.
    let lenient = Request::builder()
        .uri(streams(KEY))
        .header(
            "X-OPENTOK-AUTH",
            token(SECRET, json!({"iss": 123456, "iat": n, "exp": n + 180})),
        )
        .header("headers", "[object Object]")
        .body(Body::empty())
        .unwrap();
    assert_eq!(t.send(lenient).await.status, 200);
}

async fn post_signal(t: &TestEngine, path: &str, body: Value) -> engine_support::Reply {
    t.call(Method::POST, &project(path), Some(body)).await
}

#[tokio::test]
async fn signals_reach_registered_connections_only() {
    let t = test_engine().await;
    let session = t.routed_session().await;
    let hello = json!({"type": "chat", "data": "Hello"});
    post_signal(&t, &format!("/session/{session}/signal"), hello.clone())
        .await
        .assert_error(404);

    let mut client = t.connect(&session);
    let cid = client.info.id;
    let reply = post_signal(
        &t,
        &format!("/session/{session}/connection/{cid}/signal"),
        hello.clone(),
    )
    .await;
    assert_eq!(reply.status, 204, "{}", reply.text());
    assert!(reply.body.is_empty());
    let reply = post_signal(&t, &format!("/session/{session}/signal"), hello).await;
    assert_eq!(reply.status, 204);
    for _ in 0..2 {
        match client.events.recv().await {
            Some(EngineEvent::Signal(signal)) => {
                assert_eq!((signal.signal_type(), signal.data()), ("chat", "Hello"))
            }
            other => panic!("expected a signal, got {other:?}"),
        }
    }

    let stranger = uuid::Uuid::new_v4();
    let body = json!({"type": "chat", "data": "x"});
    post_signal(
        &t,
        &format!("/session/{session}/connection/{stranger}/signal"),
        body.clone(),
    )
    .await
    .assert_error(404);
    post_signal(
        &t,
        &format!("/session/{session}/connection/CONNID/signal"),
        body.clone(),
    )
    .await
    .assert_error(400);
    post_signal(&t, "/session/SESSIONID/signal", body.clone())
        .await
        .assert_error(400);
    let unknown = SessionId::generate(KEY, None, MediaMode::Routed);
    post_signal(&t, &format!("/session/{unknown}/signal"), body)
        .await
        .assert_error(404);
}

#[tokio::test]
async fn signal_validation_is_400_and_limits_are_413() {
    let t = test_engine().await;
    let session = t.routed_session().await;
    let _client = t.connect(&session);
    let path = format!("/session/{session}/signal");
    post_signal(&t, &path, json!({"type": "no spaces", "data": "x"}))
        .await
        .assert_error(400);
    post_signal(&t, &path, json!({"type": "t".repeat(129), "data": "x"}))
        .await
        .assert_error(413);
    post_signal(&t, &path, json!({"type": "t", "data": "d".repeat(8193)}))
        .await
        .assert_error(413);
    post_signal(&t, &path, json!({"type": "t", "data": 42}))
        .await
        .assert_error(400);
    let broken = Request::builder()
        .method(Method::POST)
        .uri(project(&path))
        .header("X-OPENTOK-AUTH", auth())
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{\"type\":"))
        .unwrap();
    t.send(broken).await.assert_error(400);
    // At the limits exactly, the signal goes through.
    let reply = post_signal(
        &t,
        &path,
        json!({"type": "t".repeat(128), "data": "d".repeat(8192)}),
    )
    .await;
    assert_eq!(reply.status, 204, "{}", reply.text());
}

#[tokio::test]
async fn force_disconnect_and_the_connection_list() {
    let t = test_engine().await;
    let session = t.routed_session().await;
    let mut client = t.connect(&session);
    let cid = client.info.id;

    let listed = t
        .call(
            Method::GET,
            &project(&format!("/session/{session}/connection")),
            None,
        )
        .await;
    assert_eq!(listed.status, 200);
    assert_eq!(listed.content_type(), "application/json");
    let body = listed.json();
    assert_eq!(body["count"], 1);
    assert_eq!(body["projectId"], KEY);
    assert_eq!(body["sessionId"], session.as_str());
    assert_eq!(body["items"][0]["connectionId"], cid.to_string());
    assert_eq!(body["items"][0]["connectionState"], "Connected");
    assert!(body["items"][0]["createdAt"].is_u64());

    let path = project(&format!("/session/{session}/connection/{cid}"));
    let reply = t.call(Method::DELETE, &path, None).await;
    assert_eq!(reply.status, 204, "{}", reply.text());
    assert_eq!(
        client.events.recv().await,
        Some(EngineEvent::ForceDisconnect)
    );
    t.call(Method::DELETE, &path, None).await.assert_error(404);
    let after = t
        .call(
            Method::GET,
            &project(&format!("/session/{session}/connection")),
            None,
        )
        .await
        .json();
    assert_eq!(after["count"], 0);
    t.call(
        Method::DELETE,
        &project(&format!("/session/{session}/connection/nope")),
        None,
    )
    .await
    .assert_error(400);
}

#[tokio::test]
async fn streams_are_listed_with_count_and_items_only() {
    let t = test_engine().await;
    let session = t.routed_session().await;
    let reply = t
        .call(
            Method::GET,
            &project(&format!("/session/{session}/stream")),
            None,
        )
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.content_type(), "application/json");
    assert_eq!(reply.json(), json!({"count": 0, "items": []}));
    let stream = "8b732909-0a06-46a2-8ea8-074e64d43422";
    t.call(
        Method::GET,
        &project(&format!("/session/{session}/stream/{stream}")),
        None,
    )
    .await
    .assert_error(404);
    t.call(
        Method::GET,
        &project(&format!("/session/{session}/stream/xyz")),
        None,
    )
    .await
    .assert_error(400);
    let unknown = SessionId::generate(KEY, None, MediaMode::Routed);
    t.call(
        Method::GET,
        &project(&format!("/session/{unknown}/stream")),
        None,
    )
    .await
    .assert_error(404);
}

#[tokio::test]
async fn a_wrong_method_is_a_json_405() {
    let t = test_engine().await;
    let reply = t.call(Method::PUT, &project("/archive"), None).await;
    reply.assert_error(405);
}
