//! Staff accounts over real HTTP: the first administrator from
//! ADMIN_USERNAME / ADMIN_PASSWORD, `POST /api-token-auth/` (JSON and form,
//! seed 003's error shape), sessions by bearer token or cookie (forged and
//! expired ones refused), `POST /api/accounts` for administrators only, the
//! pages' sign-in server function, and (in [`cli`]) the `server accounts`
//! commands of the real binary.

mod cli;

use std::path::{Path, PathBuf};

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::StatusCode;
use serde_json::{json, Value};
use server::store::accounts::AccountStore;
use server::store::sqlite::SqliteStore;
use sha2::{Digest, Sha256};

use crate::helpers::{spawn_with, test_config, TestApp};

const ROOT_PASSWORD: &str = "correct horse";

/// An app whose first administrator is `root` / [`ROOT_PASSWORD`], and
/// its data directory.
async fn spawn_with_admin() -> (TestApp, PathBuf) {
    let (mut config, temp) = test_config();
    config.admin_username = Some("root".into());
    config.admin_password = Some(ROOT_PASSWORD.to_owned().into());
    let data_dir = config.data_dir.clone();
    (spawn_with(config, Some(temp)).await, data_dir)
}

async fn sign_in(app: &TestApp, username: &str, password: &str) -> String {
    let response = app
        .post_json(
            "/api-token-auth/",
            &json!({"username": username, "password": password}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK, "{username} signs in");
    let body: Value = response.json().await.unwrap();
    body["token"].as_str().expect("a token").to_owned()
}

async fn me(app: &TestApp, header: (&str, String)) -> reqwest::Response {
    app.client
        .get(app.url("/api/accounts/me"))
        .header(header.0, header.1)
        .send()
        .await
        .unwrap()
}

async fn create(app: &TestApp, token: Option<&str>, body: Value) -> reqwest::Response {
    let mut request = app.client.post(app.url("/api/accounts")).json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn api_token_auth_answers_like_seed_003() {
    let (app, _) = spawn_with_admin().await;
    let response = app
        .post_json(
            "/api-token-auth/",
            &json!({"username": "Root", "password": ROOT_PASSWORD}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user"]["username"], "root");
    assert_eq!(body["user"]["user_type"], "admin");
    assert!(body["user"]["id"].is_i64(), "{body}");
    assert_eq!(body["token"].as_str().unwrap().split('.').count(), 3);

    let form = app
        .client
        .post(app.url("/api-token-auth/"))
        .form(&[("username", "root"), ("password", ROOT_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), StatusCode::OK, "form-encoded works too");

    for (username, password) in [("root", "wrong horse"), ("nobody", ROOT_PASSWORD)] {
        let response = app
            .post_json(
                "/api-token-auth/",
                &json!({"username": username, "password": password}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let body: Value = response.json().await.unwrap();
        assert_eq!(
            body["non_field_errors"],
            json!(["Unable to log in with provided credentials."])
        );
        assert!(body["error"].is_string(), "{body}");
    }

    let missing = app
        .post_json("/api-token-auth/", &json!({"username": "root"}))
        .await;
    assert_eq!(missing.status(), StatusCode::BAD_REQUEST);
    let body: Value = missing.json().await.unwrap();
    assert_eq!(body["password"], json!(["This field is required."]));
    assert!(body.get("username").is_none(), "{body}");

    let malformed = app
        .client
        .post(app.url("/api-token-auth/"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    let body: Value = malformed.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("JSON"), "{body}");
}

#[tokio::test]
async fn sessions_work_by_bearer_or_cookie_and_nothing_else() {
    let (app, data_dir) = spawn_with_admin().await;
    let token = sign_in(&app, "root", ROOT_PASSWORD).await;
    for header in [
        ("authorization", format!("Bearer {token}")),
        ("cookie", format!("theme=dark; rendezvous_staff={token}")),
    ] {
        let response = me(&app, header.clone()).await;
        assert_eq!(response.status(), StatusCode::OK, "{}", header.0);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["user"]["username"], "root");
    }

    let anonymous = app.get("/api/accounts/me").await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let body: Value = anonymous.json().await.unwrap();
    assert!(body["error"].is_string(), "{body}");

    let forged = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &json!({"sub": "1", "pwv": "x", "iat": 1, "exp": 4_000_000_000u64}),
        &EncodingKey::from_secret(&[1; 32]),
    )
    .unwrap();
    let expired = expired_token(&data_dir).await;
    for bad in [forged, expired, "abc.def.ghi".to_owned()] {
        let response = me(&app, ("authorization", format!("Bearer {bad}"))).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{bad}");
    }
}

/// A token for root signed with the server's real key, with root's real
/// password fingerprint, that expired an hour ago.
async fn expired_token(data_dir: &Path) -> String {
    let key = std::fs::read(data_dir.join("staff-session-key")).unwrap();
    let store = SqliteStore::open(data_dir).await.unwrap();
    let root = app::accounts::Username::parse("root").unwrap();
    let stored = store.account_by_username(&root).await.unwrap().unwrap();
    store.close().await;
    let pwv = hex::encode(&Sha256::digest(stored.password_hash.as_str().as_bytes())[..8]);
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let claims = json!({
        "sub": stored.account.id.to_string(),
        "pwv": pwv,
        "iat": now - 13 * 3600,
        "exp": now - 3600,
    });
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(&key),
    )
    .unwrap()
}

#[tokio::test]
async fn administrators_create_reps_and_reps_cannot() {
    let (app, _) = spawn_with_admin().await;
    let root = sign_in(&app, "root", ROOT_PASSWORD).await;
    let ann = json!({"username": "Ann", "password": "battery staple"});

    assert_eq!(create(&app, None, ann.clone()).await.status(), 401);
    let created = create(&app, Some(&root), ann.clone()).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let body: Value = created.json().await.unwrap();
    assert_eq!(body["user"]["username"], "ann");
    assert_eq!(body["user"]["user_type"], "rep");

    let again = create(&app, Some(&root), ann).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let body: Value = again.json().await.unwrap();
    assert_eq!(body["error"], "The username ann is taken.");

    for bad in [
        json!({"username": "bob", "password": "short"}),
        json!({"username": "b o b", "password": "battery staple"}),
        json!({"username": "bob", "password": "battery staple", "role": "boss"}),
        json!({"username": "bob"}),
    ] {
        let response = create(&app, Some(&root), bad.clone()).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{bad}");
        let body: Value = response.json().await.unwrap();
        assert!(body["error"].is_string(), "{body}");
    }

    let ann = sign_in(&app, "ann", "battery staple").await;
    let by_rep = create(
        &app,
        Some(&ann),
        json!({"username": "cy", "password": "battery staple"}),
    )
    .await;
    assert_eq!(by_rep.status(), StatusCode::FORBIDDEN);

    let admin = create(
        &app,
        Some(&root),
        json!({"username": "dee", "password": "battery staple", "role": "admin"}),
    )
    .await;
    let body: Value = admin.json().await.unwrap();
    assert_eq!(body["user"]["user_type"], "admin");
}

#[tokio::test]
async fn the_first_admin_is_created_once() {
    let (app, _) = spawn_with_admin().await;
    sign_in(&app, "root", ROOT_PASSWORD).await;
    let temp = app.stop().await.expect("the data dir");

    let mut config = crate::helpers::test_config().0;
    config.data_dir = temp.path().to_owned();
    config.admin_username = Some("root".into());
    config.admin_password = Some("a different password".to_owned().into());
    let app = spawn_with(config, Some(temp)).await;
    sign_in(&app, "root", ROOT_PASSWORD).await;
    let response = app
        .post_json(
            "/api-token-auth/",
            &json!({"username": "root", "password": "a different password"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST, "not replaced");
}

#[tokio::test]
async fn a_short_admin_password_stops_the_start() {
    let (mut config, _temp) = test_config();
    config.admin_username = Some("root".into());
    config.admin_password = Some("short".to_owned().into());
    let err = server::startup::Application::build(config)
        .await
        .err()
        .expect("the start fails");
    let message = format!("{err:#}");
    assert!(message.contains("ADMIN_PASSWORD"), "{message}");
    assert!(message.contains("at least 8 characters"), "{message}");
    assert!(!message.contains("short"), "{message}");
}

#[tokio::test]
async fn the_sign_in_server_function_sets_the_session_cookie() {
    let (app, _) = spawn_with_admin().await;
    let response = app
        .client
        .post(app.url("/api/staff/sign_in"))
        .form(&[("username", "root"), ("password", ROOT_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response
        .headers()
        .get("set-cookie")
        .expect("a session cookie")
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("rendezvous_staff="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let pair = cookie.split(';').next().unwrap().to_owned();
    assert_eq!(me(&app, ("cookie", pair)).await.status(), StatusCode::OK);

    let wrong = app
        .client
        .post(app.url("/api/staff/sign_in"))
        .form(&[("username", "root"), ("password", "wrong horse")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    assert!(wrong.headers().get("set-cookie").is_none());
}

#[tokio::test]
async fn the_metrics_page_is_rendered_for_signed_in_staff_only() {
    let (app, _) = spawn_with_admin().await;
    let anonymous = app.get("/rep/metrics").await.text().await.unwrap();
    assert!(anonymous.contains("Staff sign-in"), "{anonymous}");
    assert!(!anonymous.contains("data-testid=\"waiting-now\""));

    let token = sign_in(&app, "root", ROOT_PASSWORD).await;
    let page = app
        .client
        .get(app.url("/rep/metrics"))
        .header("cookie", format!("rendezvous_staff={token}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for needle in [
        "Signed in as",
        "data-testid=\"waiting-now\"",
        "Calls answered per hour",
        "<svg",
        "<table",
        "No help sessions yet.",
    ] {
        assert!(page.contains(needle), "{needle} in {page}");
    }
    assert!(!page.contains("Staff sign-in"));
}
