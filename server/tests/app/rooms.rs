//! Seed 001's routes end to end over HTTP: rooms, the persisted room map,
//! archive routes, CORS and JSON errors.

use serde_json::{json, Value};
use server::engine::connections::Registration;
use server::opentok::credentials::{ApiKey, ApiSecret, Credentials};
use server::opentok::model::{MediaMode, SessionOptions};
use server::opentok::session_id::SessionId;
use server::opentok::token::Role;
use server::opentok::verify::TokenVerifier;

use crate::helpers::{spawn_app, spawn_with, test_config, TestApp, ENGINE_KEY, ENGINE_SECRET};

fn engine_credentials() -> Credentials {
    Credentials::Project {
        api_key: ApiKey::parse(ENGINE_KEY).unwrap(),
        api_secret: ApiSecret::parse(ENGINE_SECRET).unwrap(),
    }
}

async fn room(app: &TestApp, name: &str) -> Value {
    let response = app.get(&format!("/room/{name}")).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    response.json().await.unwrap()
}

/// Makes the engine see one live client in `session` (what the realtime hub does).
/// Keep the returned registration alive for as long as the client should count.
fn connect_client(app: &TestApp, session: &str) -> Registration {
    let session = SessionId::parse(session).unwrap();
    app.engine
        .connections()
        .register(&session, Some("name=test".into()))
}

#[tokio::test]
async fn room_returns_credentials_with_a_valid_publisher_token() {
    let app = spawn_app().await;
    let body = room(&app, "standup").await;
    assert_eq!(body["apiKey"], ENGINE_KEY);
    let session = body["sessionId"].as_str().unwrap();
    let verified = TokenVerifier::new(&engine_credentials())
        .verify(body["token"].as_str().unwrap())
        .expect("token verifies");
    assert_eq!(verified.session_id.as_str(), session);
    assert_eq!(verified.role, Role::Publisher);
}

#[tokio::test]
async fn a_display_name_goes_into_the_connection_data() {
    let app = spawn_app().await;
    let body = room(&app, "standup?name=%20Ada%20%3Cb%3E").await;
    let verified = TokenVerifier::new(&engine_credentials())
        .verify(body["token"].as_str().unwrap())
        .expect("token verifies");
    assert_eq!(
        verified.connection_data.as_deref(),
        Some(r#"{"name":"Ada <b>"}"#)
    );

    for bad in ["", "%20%20", &"x".repeat(51)] {
        let response = app.get(&format!("/room/standup?name={bad}")).await;
        assert_eq!(response.status(), 400, "{bad:?}");
        let body: Value = response.json().await.unwrap();
        assert!(body["error"].as_str().unwrap().contains("name"), "{body}");
    }
}

#[tokio::test]
async fn same_room_same_session_fresh_token() {
    let app = spawn_app().await;
    let first = room(&app, "daily").await;
    let second = room(&app, "daily").await;
    let other = room(&app, "weekly").await;
    assert_eq!(first["sessionId"], second["sessionId"]);
    assert_ne!(first["token"], second["token"]);
    assert_ne!(first["sessionId"], other["sessionId"]);
}

#[tokio::test]
async fn concurrent_first_visits_share_one_session() {
    let app = spawn_app().await;
    let calls = (0..6).map(|_| room(&app, "rush"));
    let bodies = futures::future::join_all(calls).await;
    let first = &bodies[0]["sessionId"];
    assert!(bodies.iter().all(|b| &b["sessionId"] == first));
}

#[tokio::test]
async fn room_map_survives_a_restart() {
    let (config, temp) = test_config();
    let app = spawn_with(config.clone(), None).await;
    let before = room(&app, "persistent").await;
    app.stop().await;
    let app = spawn_with(config, Some(temp)).await;
    let after = room(&app, "persistent").await;
    assert_eq!(before["sessionId"], after["sessionId"]);
}

#[tokio::test]
async fn invalid_room_name_is_a_json_400() {
    let app = spawn_app().await;
    let response = app.get("/room/%3Cscript%3E").await;
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("room name"));
}

#[tokio::test]
async fn session_redirects_to_the_session_room() {
    let app = spawn_app().await;
    let response = app.get("/session").await;
    assert_eq!(response.status(), 302);
    assert_eq!(response.headers()["location"], "/room/session");
}

#[tokio::test]
async fn archive_start_needs_a_connected_client() {
    let app = spawn_app().await;
    let body = room(&app, "empty").await;
    let response = app
        .post_json("/archive/start", &json!({ "sessionId": body["sessionId"] }))
        .await;
    assert_eq!(response.status(), 400);
    let error: Value = response.json().await.unwrap();
    assert!(!error["error"].as_str().unwrap().is_empty());
}

#[tokio::test]
async fn archive_start_on_a_relayed_session_is_409() {
    let app = spawn_app().await;
    let options = SessionOptions {
        media_mode: MediaMode::Relayed,
        ..SessionOptions::default()
    };
    let session = app.engine.create_session(options).await.unwrap();
    let _client = connect_client(&app, session.as_str());
    let response = app
        .post_json("/archive/start", &json!({ "sessionId": session.as_str() }))
        .await;
    assert_eq!(response.status(), 409);
}

#[tokio::test]
async fn archive_start_rejects_bad_bodies_with_json() {
    let app = spawn_app().await;
    for body in [
        json!({}),
        json!({ "sessionId": 5 }),
        json!({ "sessionId": "nope" }),
    ] {
        let response = app.post_json("/archive/start", &body).await;
        assert_eq!(response.status(), 400, "{body}");
        let error: Value = response.json().await.unwrap();
        assert!(error["error"].is_string());
    }
    let response = app
        .client
        .post(app.url("/archive/start"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let error: Value = response.json().await.unwrap();
    assert!(error["error"].is_string());
}

#[tokio::test]
async fn archive_lifecycle_through_the_seed_routes() {
    let app = spawn_app().await;
    let room_body = room(&app, "recorded").await;
    let session = room_body["sessionId"].as_str().unwrap();
    let _client = connect_client(&app, session);

    let response = app
        .post_json("/archive/start", &json!({ "sessionId": session }))
        .await;
    assert_eq!(response.status(), 200);
    let started: Value = response.json().await.unwrap();
    assert_eq!(started["status"], "started");
    assert_eq!(
        started["name"], "recorded",
        "archives are named after their room"
    );
    let id = started["id"].as_str().unwrap().to_owned();

    let fetched: Value = app
        .get(&format!("/archive/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(fetched["id"], id.as_str());

    let view = app.get(&format!("/archive/{id}/view")).await;
    assert_eq!(view.status(), 200);
    let html = view.text().await.unwrap();
    assert!(html.contains(r#"http-equiv="refresh" content="3""#));

    let response = app
        .post_json(&format!("/archive/{id}/stop"), &json!({}))
        .await;
    assert_eq!(response.status(), 200);
    let stopped: Value = response.json().await.unwrap();
    assert_eq!(stopped["status"], "stopped");

    let response = app
        .get(&format!("/archive?sessionId={session}&count=10"))
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-total-count"], "1");
    let list: Value = response.json().await.unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["id"], id.as_str());

    let again = app
        .post_json(&format!("/archive/{id}/stop"), &json!({}))
        .await;
    assert_eq!(again.status(), 409);
}

#[tokio::test]
async fn archive_ids_are_checked() {
    let app = spawn_app().await;
    assert_eq!(app.get("/archive/not-a-uuid").await.status(), 400);
    let unknown = app
        .get("/archive/6d1b7c65-9d8e-4a8b-8f2e-3f4b5c6d7e8f")
        .await;
    assert_eq!(unknown.status(), 404);
    let body: Value = unknown.json().await.unwrap();
    assert!(body["error"].is_string());
    assert_eq!(
        app.get("/archive/6d1b7c65-9d8e-4a8b-8f2e-3f4b5c6d7e8f/view")
            .await
            .status(),
        404
    );
    assert_eq!(app.get("/archive?count=abc").await.status(), 400);
    assert_eq!(app.get("/archive?count=5000").await.status(), 400);
    let empty: Value = app.get("/archive").await.json().await.unwrap();
    assert_eq!(empty, json!([]));
}

#[tokio::test]
async fn cors_is_open_on_the_seed_routes() {
    let app = spawn_app().await;
    let response = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/archive/start"))
        .header("origin", "https://samples.example")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
    let response = app
        .client
        .get(app.url("/room/cors"))
        .header("origin", "https://samples.example")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
}

#[tokio::test]
async fn client_session_info_verifies_the_client_token() {
    let app = spawn_app().await;
    let body = room(&app, "info").await;
    let session = body["sessionId"].as_str().unwrap();
    let token = body["token"].as_str().unwrap();
    let info = |session: String, token: Option<String>| {
        let mut request = app
            .client
            .get(app.url(&format!("/session/{session}?extended=true")));
        if let Some(token) = token {
            request = request.header("X-OPENTOK-AUTH", token);
        }
        request.send()
    };
    let ok = info(session.to_owned(), Some(token.to_owned()))
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    let described: Value = ok.json().await.unwrap();
    assert_eq!(described[0]["session_id"], session);
    assert_eq!(
        described[0]["properties"]["p2p.preference"]["value"],
        "disabled"
    );

    let missing = info(session.to_owned(), None).await.unwrap();
    assert_eq!(missing.status(), 403);
    let error: Value = missing.json().await.unwrap();
    assert_eq!(error[0]["error"]["code"], 403);

    let mut tampered = token.to_owned();
    tampered.push('x');
    assert_eq!(
        info(session.to_owned(), Some(tampered))
            .await
            .unwrap()
            .status(),
        403
    );

    let other = room(&app, "elsewhere").await;
    let foreign = info(
        other["sessionId"].as_str().unwrap().to_owned(),
        Some(token.to_owned()),
    );
    assert_eq!(foreign.await.unwrap().status(), 403);
    assert_eq!(
        info("garbage".into(), Some(token.to_owned()))
            .await
            .unwrap()
            .status(),
        400
    );
}
