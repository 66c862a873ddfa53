//! Support for the presence tests: an app whose presence service the test
//! can drive (as the pages' server functions do), people who join over
//! HTTP with their identity cookie, and their hub sockets, read as typed
//! presence events. Reads wait at most [`PATIENCE`], so a broken server
//! fails a test instead of hanging it; nothing asserts on timing.

use std::time::Duration;

use app::hub_protocol::ServerMessage;
use app::presence::{LocalUser, PresenceEvent, PRESENCE_SIGNAL};
use futures::{SinkExt, StreamExt};
use serde_json::{json, Value};
use server::presence::PresenceService;
use server::startup::Application;
use tempfile::TempDir;
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::helpers::test_config;

/// Longest wait for one expected message.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// A running app with its presence service.
pub struct PresenceApp {
    pub base: String,
    pub http: reqwest::Client,
    pub presence: PresenceService,
    stop: Option<oneshot::Sender<()>>,
    _temp: TempDir,
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
    let app = Application::build(config)
        .await
        .expect("application builds");
    let base = format!("http://{}", app.local_addr());
    let presence = app.presence().clone();
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(app.run_until(async move {
        let _ = stopped.await;
    }));
    PresenceApp {
        base,
        http: reqwest::Client::new(),
        presence,
        stop: Some(stop),
        _temp: temp,
    }
}

impl Drop for PresenceApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
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
    pub async fn join(&self, name: &str) -> (Person, Vec<app::presence::RemoteUser>) {
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
        let url = format!("{}/rtc", self.base.replacen("http", "ws", 1));
        let (socket, _) = tokio_tungstenite::connect_async(url)
            .await
            .expect("websocket");
        let mut hub = Hub { socket };
        let connect = json!({"type": "connect", "sessionId": session, "token": token});
        hub.socket
            .send(Message::text(connect.to_string()))
            .await
            .expect("send");
        match hub.message().await {
            Some(ServerMessage::Connected { .. }) => hub,
            other => panic!("expected connected, got {other:?}"),
        }
    }
}

/// One hub socket.
pub struct Hub {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl Hub {
    /// The next hub message; `None` once the socket is closed.
    async fn message(&mut self) -> Option<ServerMessage> {
        loop {
            let frame = tokio::time::timeout(PATIENCE, self.socket.next())
                .await
                .expect("a message in time");
            match frame {
                Some(Ok(Message::Text(text))) => {
                    return Some(serde_json::from_str(text.as_str()).expect("a hub message"))
                }
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return None,
                Some(Ok(_)) => continue,
            }
        }
    }

    /// The next presence event (other hub messages are skipped).
    pub async fn event(&mut self) -> PresenceEvent {
        loop {
            match self.message().await {
                Some(ServerMessage::Signal {
                    signal_type,
                    data,
                    from,
                }) if signal_type == PRESENCE_SIGNAL => {
                    assert_eq!(from, None, "presence events come from the server");
                    return PresenceEvent::parse(&data).expect("a presence event");
                }
                Some(_) => continue,
                None => panic!("the socket closed while waiting for a presence event"),
            }
        }
    }

    /// Skips presence events until `pick` finds one.
    pub async fn until<T>(&mut self, pick: impl Fn(PresenceEvent) -> Option<T>) -> T {
        loop {
            if let Some(found) = pick(self.event().await) {
                return found;
            }
        }
    }

    /// Reads the list (all its parts), appending to `users`.
    pub async fn snapshot(
        &mut self,
        mut users: Vec<app::presence::RemoteUser>,
    ) -> Vec<app::presence::RemoteUser> {
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

    /// Closes the socket cleanly.
    pub async fn close(mut self) {
        self.socket.close(None).await.expect("close");
    }
}
