//! `spawn_app`: builds an [`Application`] on an ephemeral port with its own
//! temporary data directory, serves it in the background, and returns a
//! handle with a reqwest client, the app's services and helpers for the
//! routes under test. Every area's own test support starts apps this way.

use server::config::Config;
use server::startup::Application;
use tempfile::TempDir;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A running server. Dropping it stops the server.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub engine: server::engine::Engine,
    /// The customer-service queue, as the pages' server functions use it.
    pub help: server::help::HelpService,
    /// Presence, as the pages' server functions use it.
    pub presence: server::presence::PresenceService,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
    _temp: Option<TempDir>,
}

/// Fixed engine credentials so tests can sign REST calls and tokens.
pub const ENGINE_KEY: &str = "4567890";
pub const ENGINE_SECRET: &str = "0123456789abcdef0123456789abcdef01234567";

/// A test configuration in a fresh temporary directory.
pub fn test_config() -> (Config, TempDir) {
    let temp = tempfile::tempdir().expect("temp dir");
    let mut config = Config::for_tests(temp.path().to_owned());
    config.engine_api_key = Some(ENGINE_KEY.into());
    config.engine_api_secret = Some(ENGINE_SECRET.to_owned().into());
    (config, temp)
}

/// Starts the default (local provider) app.
pub async fn spawn_app() -> TestApp {
    let (config, temp) = test_config();
    spawn_with(config, Some(temp)).await
}

/// Starts an app with `config`; `temp` (if any) lives as long as the app.
pub async fn spawn_with(config: Config, temp: Option<TempDir>) -> TestApp {
    let app = Application::build(config)
        .await
        .expect("application builds");
    let base = format!("http://{}", app.local_addr());
    let engine = app.engine().clone();
    let help = app.help().clone();
    let presence = app.presence().clone();
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(app.run_until(async move {
        let _ = stopped.await;
    }));
    // A request that hangs fails its test instead of stalling the whole run.
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .expect("client");
    TestApp {
        base,
        client,
        engine,
        help,
        presence,
        stop: Some(stop),
        task: Some(task),
        _temp: temp,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// Stops the server gracefully and waits for it (keeps the data dir).
    pub async fn stop(mut self) -> Option<TempDir> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.await
                .expect("server task")
                .expect("server ran cleanly");
        }
        self._temp.take()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
