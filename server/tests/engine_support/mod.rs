//! Shared helpers of the engine integration tests: an [`Engine`] over a
//! temporary SQLite store, its REST router, and requests signed with the
//! engine's project credentials (or deliberately wrong ones) — through the
//! router in-process, or over HTTP to an engine served on a port.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use serde_json::Value;
use server::engine::{self, Engine};
use server::opentok::credentials::{ApiKey, ApiSecret, Credentials};
use server::opentok::model::{MediaMode, SessionOptions};
use server::opentok::rest_auth::project_jwt;
use server::opentok::session_id::SessionId;
use server::store::sqlite::SqliteStore;
use tempfile::TempDir;
use tower::ServiceExt;

/// The engine's project.
pub const KEY: &str = "123456";
pub const SECRET: &str = "1234567890abcdef1234567890abcdef12345678";

/// An engine, its router and the directory holding its database.
pub struct TestEngine {
    pub engine: Engine,
    pub router: Router,
    _dir: TempDir,
}

/// What a request came back with.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    /// The body as JSON (panics with the body text if it is not).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The `Content-Type` header (empty if absent).
    pub fn content_type(&self) -> &str {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// Asserts the platform's JSON error body with `status`.
    pub fn assert_error(&self, status: u16) -> Value {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.text());
        assert_eq!(self.content_type(), "application/json");
        let body = self.json();
        assert!(body["code"].is_i64(), "{body}");
        assert!(
            !body["message"].as_str().expect("message").is_empty(),
            "{body}"
        );
        assert_eq!(body["description"], body["message"]);
        body
    }
}

pub fn credentials() -> Credentials {
    Credentials::Project {
        api_key: ApiKey::parse(KEY).unwrap(),
        api_secret: ApiSecret::parse(SECRET).unwrap(),
    }
}

/// A fresh engine over a SQLite store in a temporary directory.
pub async fn test_engine() -> TestEngine {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(dir.path()).await.expect("store opens");
    let engine = Engine::new(credentials(), Arc::new(store));
    let router = engine::router(engine.clone());
    TestEngine {
        engine,
        router,
        _dir: dir,
    }
}

/// A valid `X-OPENTOK-AUTH` token for the engine's project.
pub fn auth() -> String {
    project_jwt(
        &ApiKey::parse(KEY).unwrap(),
        &ApiSecret::parse(SECRET).unwrap(),
    )
}

impl TestEngine {
    /// Sends `request` through the router.
    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let body = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .expect("body")
            .to_vec();
        Reply {
            status,
            headers,
            body,
        }
    }

    /// An authenticated request with a JSON body (or none).
    pub async fn call(&self, method: Method, uri: &str, body: Option<Value>) -> Reply {
        let builder = Request::builder()
            .method(method)
            .uri(uri)
            .header("X-OPENTOK-AUTH", auth());
        let request = match body {
            Some(json) => builder
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(json.to_string())),
            None => builder.body(Body::empty()),
        };
        self.send(request.expect("request")).await
    }

    /// A routed (archivable) session created through the engine.
    pub async fn routed_session(&self) -> SessionId {
        let options = SessionOptions {
            media_mode: MediaMode::Routed,
            ..SessionOptions::default()
        };
        self.engine.create_session(options).await.expect("session")
    }

    /// Registers one client in `session` (what the realtime hub will do).
    pub fn connect(&self, session: &SessionId) -> engine::Registration {
        self.engine
            .connections()
            .register(session, Some("name=test".into()))
    }
}

/// `/v2/project/{KEY}{path}`.
pub fn project(path: &str) -> String {
    format!("/v2/project/{KEY}{path}")
}

/// An authenticated REST call over HTTP to `/v2/project/{KEY}{path}` of the
/// engine served at `addr`; returns the status and the JSON body (`null`
/// when there is none).
pub async fn rest_over_http(
    http: &reqwest::Client,
    addr: SocketAddr,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let url = format!("http://{addr}{}", project(path));
    let mut request = http.request(method, url).header("X-OPENTOK-AUTH", auth());
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("REST call");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}
