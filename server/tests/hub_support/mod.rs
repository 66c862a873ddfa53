//! Shared helpers of the realtime-hub integration tests: an engine (temp
//! SQLite store) whose `engine::router` is served on `127.0.0.1:0`, client
//! tokens, and clients that speak the hub's JSON protocol (over the shared
//! [`HubSocket`], whose reads are guarded by a generous timeout so a broken
//! hub fails a test instead of hanging it; no test asserts on timing).

#![allow(dead_code)]

#[path = "../hub_client/mod.rs"]
mod hub_client;

use std::net::SocketAddr;
use std::sync::Arc;

use serde_json::{json, Value};
use server::engine::{self, Engine, HubConfig};
use server::opentok::model::{MediaMode, SessionOptions};
use server::opentok::session_id::SessionId;
use server::opentok::token::{Role, TokenBuilder};
use server::store::sqlite::SqliteStore;
use tempfile::TempDir;

use crate::engine_support::{credentials, rest_over_http};
use hub_client::HubSocket;

/// Longest wait for one expected message before the test fails.
pub const PATIENCE: std::time::Duration = hub_client::PATIENCE;

/// A served engine.
pub struct Hub {
    pub engine: Engine,
    pub addr: SocketAddr,
    http: reqwest::Client,
    _dir: TempDir,
}

/// Serves an engine with `config` on an ephemeral port.
pub async fn serve(config: HubConfig) -> Hub {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(dir.path()).await.expect("store opens");
    let engine = Engine::with_hub_config(credentials(), Arc::new(store), config);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    let router = engine::router(engine.clone());
    tokio::spawn(async move { axum::serve(listener, router).await });
    Hub {
        engine,
        addr,
        http: reqwest::Client::new(),
        _dir: dir,
    }
}

/// Serves an engine with the default hub configuration.
pub async fn serve_default() -> Hub {
    serve(HubConfig::default()).await
}

impl Hub {
    /// A new relayed session (browsers negotiate media with each other
    /// through the hub; the hub's own behaviour is tested in these).
    pub async fn session(&self) -> SessionId {
        self.session_with(MediaMode::Relayed).await
    }

    /// A new routed session (media goes through the server's media router).
    pub async fn routed_session(&self) -> SessionId {
        self.session_with(MediaMode::Routed).await
    }

    async fn session_with(&self, media_mode: MediaMode) -> SessionId {
        let options = SessionOptions {
            media_mode,
            ..SessionOptions::default()
        };
        self.engine.create_session(options).await.expect("session")
    }

    /// A token for `session` with `role` and connection data `data`.
    pub fn token(&self, session: &SessionId, role: Role, data: &str) -> String {
        TokenBuilder::new(self.engine.credentials(), session)
            .role(role)
            .data(data)
            .build()
            .expect("token")
    }

    /// An open socket that has not sent anything yet.
    pub async fn open(&self) -> Client {
        let socket = HubSocket::open(&format!("ws://{}/rtc", self.addr)).await;
        Client { socket }
    }

    /// A client connected to `session` with `role`; returns it and its `connected` message.
    pub async fn join(&self, session: &SessionId, role: Role, data: &str) -> (Client, Value) {
        let mut client = self.open().await;
        let token = self.token(session, role, data);
        client
            .send(json!({"type": "connect", "sessionId": session, "token": token}))
            .await;
        let connected = client.expect("connected").await;
        (client, connected)
    }

    /// An authenticated REST call to `/v2/project/{KEY}{path}`; returns the status.
    pub async fn rest(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        rest_over_http(&self.http, self.addr, method, path, body).await
    }
}

/// A test client.
pub struct Client {
    socket: HubSocket,
}

impl Client {
    /// Sends one JSON message.
    pub async fn send(&mut self, message: Value) {
        self.socket.send(&message).await;
    }

    /// The next JSON message; `None` once the socket is closed.
    pub async fn next(&mut self) -> Option<Value> {
        self.socket.next().await
    }

    /// The next message, which must have type `kind`.
    pub async fn expect(&mut self, kind: &str) -> Value {
        let message = self
            .next()
            .await
            .unwrap_or_else(|| panic!("closed while waiting for {kind}"));
        assert_eq!(message["type"], kind, "{message}");
        message
    }

    /// Skips messages until one of type `kind` arrives.
    pub async fn until(&mut self, kind: &str) -> Value {
        loop {
            match self.next().await {
                Some(message) if message["type"] == kind => return message,
                Some(_) => continue,
                None => panic!("closed while waiting for {kind}"),
            }
        }
    }

    /// Reads until the server closes the socket; returns what came before.
    pub async fn until_closed(&mut self) -> Vec<Value> {
        let mut seen = Vec::new();
        while let Some(message) = self.next().await {
            seen.push(message);
        }
        seen
    }

    /// Closes the socket cleanly.
    pub async fn close(self) {
        self.socket.close().await;
    }
}
