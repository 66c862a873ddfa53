//! The `server` binary: read the command line; serve the app until SIGINT or
//! SIGTERM (the default), or run a `server accounts …` command.

use std::process::ExitCode;

use server::config::accounts_cmd;
use server::config::{Cli, Command};
use server::startup::Application;

#[tokio::main]
async fn main() -> anyhow::Result<ExitCode> {
    let cli = Cli::load();
    match cli.selected_command() {
        Command::Serve => {
            server::telemetry::init();
            let app = Application::build(cli.config).await?;
            app.run_until_stopped().await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Accounts(command) => {
            Ok(accounts_cmd::run_in_terminal(command, &cli.config.data_dir).await)
        }
    }
}
