//! Support for the customer-service tests: an app with a first
//! administrator (who creates representatives over `POST /api/accounts`),
//! the seed's form requests, and hub sockets read as typed help events
//! ([`Hub`]). Reads wait at most [`PATIENCE`], so a broken server fails a
//! test instead of hanging it; nothing asserts on timing.

use std::time::Duration;

use app::accounts::Account;
use app::help::HelpEvent;
use serde_json::{json, Value};
use server::config::Config;
use server::help::HelpService;

use crate::helpers::{spawn_with, test_config, TestApp};
pub use crate::hub_client::PATIENCE;

/// A hub socket reading help events.
pub type Hub = crate::hub::Hub<HelpEvent>;

const ADMIN: (&str, &str) = ("admin", "admin-password-1");

/// A running app with its help service.
pub struct HelpApp {
    pub base: String,
    pub http: reqwest::Client,
    pub help: HelpService,
    config: Config,
    app: Option<TestApp>,
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
    let app = spawn_with(config.clone(), Some(temp)).await;
    HelpApp::new(config, app)
}

impl HelpApp {
    fn new(config: Config, app: TestApp) -> HelpApp {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .expect("client");
        HelpApp {
            base: app.base.clone(),
            http,
            help: app.help.clone(),
            config,
            app: Some(app),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Stops the server and starts a new one on the same data directory.
    pub async fn restart(mut self) -> HelpApp {
        let app = self.app.take().expect("a running app");
        let temp = app.stop().await;
        let config = self.config.clone();
        HelpApp::new(config.clone(), spawn_with(config, temp).await)
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

    /// `GET /help/queue/{queue_id}`: where a customer is (404 once out).
    pub async fn queue_status(&self, queue_id: &str) -> reqwest::Response {
        let path = format!("/help/queue/{queue_id}");
        self.http
            .get(self.url(&path))
            .send()
            .await
            .expect("request")
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
        Hub::join(&self.base, &credentials["sessionId"], &credentials["token"]).await
    }
}
