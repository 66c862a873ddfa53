//! The `opentok` (cloud) provider end to end: one Rendezvous instance runs
//! with OPENTOK_API_KEY / OPENTOK_API_SECRET / OPENTOK_API_URL pointing at a
//! second instance's embedded engine, so every seed route exercises the real
//! REST client against a real OpenTok-compatible server.

use serde_json::{json, Value};
use server::opentok::credentials::{ApiKey, ApiSecret, Credentials};
use server::opentok::session_id::SessionId;
use server::opentok::verify::TokenVerifier;

use crate::helpers::{spawn_app, spawn_with, test_config, TestApp, ENGINE_KEY, ENGINE_SECRET};

/// An app whose "cloud" is `platform`'s embedded engine.
async fn cloud_app(platform: &TestApp, secret: &str) -> TestApp {
    let (mut config, temp) = test_config();
    // Its own engine gets different credentials, so nothing can pass by accident.
    config.engine_api_key = Some("777777".into());
    config.engine_api_secret = Some("ffffffffffffffffffffffffffffffffffffffff".to_owned().into());
    config.opentok_api_key = Some(ENGINE_KEY.into());
    config.opentok_api_secret = Some(secret.to_owned().into());
    config.opentok_api_url = Some(platform.base.parse().unwrap());
    spawn_with(config, Some(temp)).await
}

#[tokio::test]
async fn rooms_and_archives_go_through_the_remote_platform() {
    let platform = spawn_app().await;
    let app = cloud_app(&platform, ENGINE_SECRET).await;

    let html = app.get("/").await.text().await.unwrap();
    assert!(html.contains("Vonage / OpenTok cloud"));

    let body: Value = app.get("/room/remote").await.json().await.unwrap();
    assert_eq!(body["apiKey"], ENGINE_KEY);
    let session = SessionId::parse(body["sessionId"].as_str().unwrap()).unwrap();
    // The session exists on the platform, not on the app's own engine.
    assert!(platform.engine.session(&session).await.unwrap().is_some());
    assert!(app.engine.session(&session).await.unwrap().is_none());
    let platform_credentials = Credentials::Project {
        api_key: ApiKey::parse(ENGINE_KEY).unwrap(),
        api_secret: ApiSecret::parse(ENGINE_SECRET).unwrap(),
    };
    TokenVerifier::new(&platform_credentials)
        .verify(body["token"].as_str().unwrap())
        .expect("the platform accepts the token");

    // No client connected on the platform: its 400 and message come through.
    let refused = app
        .post_json("/archive/start", &json!({ "sessionId": session.as_str() }))
        .await;
    assert_eq!(refused.status(), 400);
    let error: Value = refused.json().await.unwrap();
    assert!(!error["error"].as_str().unwrap().is_empty());

    let _client = platform.engine.connections().register(&session, None);
    let started: Value = app
        .post_json("/archive/start", &json!({ "sessionId": session.as_str() }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(started["status"], "started");
    let id = started["id"].as_str().unwrap();
    let listed: Value = app.get("/archive").await.json().await.unwrap();
    assert_eq!(listed[0]["id"], id);
    let stopped: Value = app
        .post_json(&format!("/archive/{id}/stop"), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stopped["status"], "stopped");
    assert_eq!(
        app.get("/archive/6d1b7c65-9d8e-4a8b-8f2e-3f4b5c6d7e8f")
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn wrong_cloud_secret_is_a_gateway_error_not_a_crash() {
    let platform = spawn_app().await;
    let app = cloud_app(&platform, "0000000000000000000000000000000000000000").await;
    let response = app.get("/room/denied").await;
    assert_eq!(response.status(), 502);
    let error: Value = response.json().await.unwrap();
    assert!(error["error"]
        .as_str()
        .unwrap()
        .contains("refused our credentials"));
}
