//! Support for the presence tests: an app whose presence service the test
//! can drive (as the pages' server functions do), people who join over
//! HTTP with their identity cookie, and their hub sockets, read as typed
//! presence events ([`Hub`]), whose reads are bounded so a broken server
//! fails a test instead of hanging it; nothing asserts on timing.

use app::presence::{LocalUser, PresenceEvent, RemoteUser};
use serde_json::{json, Value};
use server::presence::PresenceService;

use crate::helpers::{spawn_with, test_config, TestApp};

/// A hub socket reading presence events.
pub type Hub = crate::hub::Hub<PresenceEvent>;

/// A running app with its presence service.
pub struct PresenceApp {
    pub base: String,
    pub http: reqwest::Client,
    pub presence: PresenceService,
    _app: TestApp,
}

/// A person who joined: who they are, their cookie (`name=value`) and one
/// hub socket in the presence session.
pub struct Person {
    pub user: LocalUser,
    pub cookie: String,
    pub hub: Hub,
}

/// Starts an app whose invitations ring for `ring_seconds`.
pub async fn spawn(ring_seconds: u16) -> PresenceApp {
    let (mut config, temp) = test_config();
    config.presence_ring_seconds = ring_seconds;
    let app = spawn_with(config, Some(temp)).await;
    PresenceApp {
        base: app.base.clone(),
        http: reqwest::Client::new(),
        presence: app.presence.clone(),
        _app: app,
    }
}

impl PresenceApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// `POST /users` with a raw body and an optional cookie.
    pub async fn post_users(&self, body: &str, cookie: Option<&str>) -> reqwest::Response {
        let mut request = self.http.post(self.url("/users")).body(body.to_owned());
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send().await.expect("request")
    }

    /// A `GET` with an optional cookie.
    pub async fn get(&self, path: &str, cookie: Option<&str>) -> reqwest::Response {
        let mut request = self.http.get(self.url(path));
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send().await.expect("request")
    }

    /// `POST /chats` inviting `invitee`, as the owner of `cookie`.
    pub async fn post_chat(&self, cookie: &str, invitee: &LocalUser) -> reqwest::Response {
        self.http
            .post(self.url("/chats"))
            .header("cookie", cookie)
            .json(&json!({ "invitee": invitee.id }))
            .send()
            .await
            .expect("request")
    }

    /// The presence session, as a script asks for it.
    pub async fn presence_session(&self) -> Value {
        let response = self
            .http
            .get(self.url("/presence"))
            .header("accept", "application/json")
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 200);
        response.json().await.expect("JSON")
    }

    /// Joins as `name` and connects a hub socket; returns the person and
    /// the list they were given.
    pub async fn join(&self, name: &str) -> (Person, Vec<RemoteUser>) {
        let response = self
            .post_users(&json!({ "name": name }).to_string(), None)
            .await;
        assert_eq!(response.status(), 200, "{name}");
        let set_cookie = response.headers()["set-cookie"]
            .to_str()
            .expect("text")
            .to_owned();
        let cookie = set_cookie.split(';').next().unwrap_or_default().to_owned();
        let body: Value = response.json().await.expect("JSON");
        let user: LocalUser = serde_json::from_value(body["user"].clone()).expect("a user");
        let token = body["token"].as_str().expect("a token");
        let mut hub = self.connect(token).await;
        let users = hub.snapshot(Vec::new()).await;
        (Person { user, cookie, hub }, users)
    }

    /// A hub socket in the presence session with `token`.
    pub async fn connect(&self, token: &str) -> Hub {
        let session = self.presence_session().await["sessionId"].clone();
        Hub::join(&self.base, &session, &json!(token)).await
    }
}

impl Hub {
    /// Reads the list (all its parts), appending to `users`.
    pub async fn snapshot(&mut self, mut users: Vec<RemoteUser>) -> Vec<RemoteUser> {
        loop {
            match self.event().await {
                PresenceEvent::Snapshot { users: part, last } => {
                    users.extend(part);
                    if last {
                        return users;
                    }
                }
                // Changes broadcast before this socket's join was handled.
                _ => continue,
            }
        }
    }
}
