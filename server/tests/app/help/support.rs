//! Support for the customer-service tests: an app with a first
//! administrator (who creates representatives over `POST /api/accounts`),
//! the seed's form requests, and hub sockets read as typed help events.
//! Reads wait at most [`PATIENCE`], so a broken server fails a test instead
//! of hanging it; nothing asserts on timing.

use std::time::Duration;

use app::accounts::Account;
use app::help::{HelpEvent, HELP_SIGNAL};
use app::hub_protocol::ServerMessage;
use futures::{SinkExt, StreamExt};
use serde_json::{json, Value};
use server::config::Config;
use server::help::HelpService;
use server::startup::Application;
use tempfile::TempDir;
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::helpers::test_config;

/// Longest wait for one expected message.
pub const PATIENCE: Duration = Duration::from_secs(20);

const ADMIN: (&str, &str) = ("admin", "admin-password-1");

/// A running app with its help service.
pub struct HelpApp {
    pub base: String,
    pub http: reqwest::Client,
    pub help: HelpService,
    config: Config,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
    temp: Option<TempDir>,
}

/// A signed-in representative: their account and bearer token.
pub struct Rep {
    pub account: Account,
    pub token: String,
}

/// Starts an app in a fresh data directory.
pub async fn spawn() -> HelpApp {
    let (mut config, temp) = test_config();
    config.admin_username = Some(ADMIN.0.into());
    config.admin_password = Some(ADMIN.1.to_owned().into());
    spawn_with(config, temp).await
}

async fn spawn_with(config: Config, temp: TempDir) -> HelpApp {
    let app = Application::build(config.clone())
        .await
        .expect("application builds");
    let base = format!("http://{}", app.local_addr());
    let help = app.help().clone();
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(app.run_until(async move {
        let _ = stopped.await;
    }));
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    HelpApp {
        base,
        http,
        help,
        config,
        stop: Some(stop),
        task: Some(task),
        temp: Some(temp),
    }
}

impl Drop for HelpApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl HelpApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Stops the server and starts a new one on the same data directory.
    pub async fn restart(mut self) -> HelpApp {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.expect("server task").expect("served cleanly");
        }
        let temp = self.temp.take().expect("a data directory");
        let config = self.config.clone();
        drop(self);
        spawn_with(config, temp).await
    }

    /// A form `POST` (the seed's encoding), optionally signed in.
    pub async fn post_form(
        &self,
        path: &str,
        form: &[(&str, &str)],
        bearer: Option<&str>,
    ) -> reqwest::Response {
        let mut request = self.http.post(self.url(path)).form(form);
        if let Some(token) = bearer {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request")
    }

    /// A `DELETE`, optionally signed in.
    pub async fn delete(&self, path: &str, bearer: Option<&str>) -> reqwest::Response {
        let mut request = self.http.delete(self.url(path));
        if let Some(token) = bearer {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request")
    }

    /// `POST /help/session` as the seed's form does; the JSON answer.
    pub async fn ask(&self, name: &str) -> Value {
        let form = [
            ("customer_name", name),
            ("problem_text", "I cannot hear you"),
        ];
        let response = self.post_form("/help/session", &form, None).await;
        assert_eq!(response.status(), 200, "asking as {name}");
        response.json().await.expect("JSON")
    }

    /// `POST /help/queue` for `session_id`; the queue id.
    pub async fn enqueue(&self, session_id: &str) -> String {
        let form = [("session_id", session_id)];
        let response = self.post_form("/help/queue", &form, None).await;
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.expect("JSON");
        body["queueId"].as_str().expect("a queue id").to_owned()
    }

    /// A customer who asked and queued: their help session and queue id.
    pub async fn queued(&self, name: &str) -> (Value, String) {
        let created = self.ask(name).await;
        let queue_id = self
            .enqueue(created["sessionId"].as_str().expect("an id"))
            .await;
        (created, queue_id)
    }

    /// Signs in over `POST /api-token-auth/`; `{token, user}`.
    async fn sign_in(&self, username: &str, password: &str) -> Value {
        let body = json!({"username": username, "password": password});
        let response = self.http.post(self.url("/api-token-auth/")).json(&body);
        let response = response.send().await.expect("request");
        assert_eq!(response.status(), 200, "signing in as {username}");
        response.json().await.expect("JSON")
    }

    /// A new representative account, created by the administrator, signed in.
    pub async fn rep(&self, username: &str) -> Rep {
        let admin = self.sign_in(ADMIN.0, ADMIN.1).await;
        let password = "rep-password-1";
        let body = json!({"username": username, "password": password, "role": "rep"});
        let created = self
            .http
            .post(self.url("/api/accounts"))
            .bearer_auth(admin["token"].as_str().expect("a token"))
            .json(&body)
            .send()
            .await
            .expect("request");
        assert_eq!(created.status(), 201, "creating {username}");
        let signed_in = self.sign_in(username, password).await;
        Rep {
            account: serde_json::from_value(signed_in["user"].clone()).expect("an account"),
            token: signed_in["token"].as_str().expect("a token").to_owned(),
        }
    }

    /// A hub socket joined with `credentials` (`{apiKey, sessionId, token}`).
    pub async fn hub(&self, credentials: &Value) -> Hub {
        let url = format!("{}/rtc", self.base.replacen("http", "ws", 1));
        let (socket, _) = tokio_tungstenite::connect_async(url)
            .await
            .expect("websocket");
        let mut hub = Hub { socket };
        let connect = json!({
            "type": "connect",
            "sessionId": credentials["sessionId"],
            "token": credentials["token"],
        });
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

    /// The next help event (other hub messages are skipped).
    pub async fn event(&mut self) -> HelpEvent {
        loop {
            match self.message().await {
                Some(ServerMessage::Signal {
                    signal_type,
                    data,
                    from,
                }) if signal_type == HELP_SIGNAL => {
                    assert_eq!(from, None, "help events come from the server");
                    return HelpEvent::parse(&data).expect("a help event");
                }
                Some(_) => continue,
                None => panic!("the socket closed while waiting for a help event"),
            }
        }
    }

    /// Skips help events until `pick` finds one.
    pub async fn until<T>(&mut self, pick: impl Fn(HelpEvent) -> Option<T>) -> T {
        loop {
            if let Some(found) = pick(self.event().await) {
                return found;
            }
        }
    }

    /// Closes the socket cleanly.
    pub async fn close(mut self) {
        self.socket.close(None).await.expect("close");
    }
}
