//! The `server` binary: read configuration, start logging, run the app until
//! SIGINT or SIGTERM.

use server::config::Config;
use server::startup::Application;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = Config::load();
    server::telemetry::init();
    let app = Application::build(config).await?;
    app.run_until_stopped().await
}
