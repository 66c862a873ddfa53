//! `hub-load`: the realtime hub's load benchmark. For each client count it
//! starts the server binary afresh and joins that many WebSocket clients
//! to one session. `--scenario hub` broadcasts signals from one of them and
//! prints a Markdown table of send-to-receipt delays (p50 / p99 / max) and
//! server memory per connection; `--scenario presence` joins people to the
//! presence session as the page does and prints what a join costs in
//! frames and how fast a state change reaches everyone. See
//! `BENCHMARKS.md` ("Realtime hub", "Presence") for how to run it.

mod args;
mod crowd;
mod error;
mod people;
mod presence;
mod project;
mod report;
mod scenario;
mod stats;
mod swarm;
mod wire;

use std::process::ExitCode;

use clap::Parser;
use load_kit::ServerError;

use args::{Args, Scenario};
use error::LoadError;
use project::Project;

/// File descriptors kept free for everything but the client sockets.
const SPARE_FILES: u64 = 64;

#[tokio::main]
async fn main() -> ExitCode {
    match run(Args::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("hub-load: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), LoadError> {
    let most = args.clients.iter().copied().max().unwrap_or(0);
    raise_file_limit(most)?;
    let project = Project::generate();
    match args.scenario {
        Scenario::Hub => {
            let mut outcomes = Vec::new();
            for &clients in &args.clients {
                outcomes.push(scenario::run(&args, &project, clients).await?);
                eprintln!("{}", report::table(&outcomes[outcomes.len() - 1..]));
            }
            println!("{}", report::table(&outcomes));
        }
        Scenario::Presence => {
            let mut outcomes = Vec::new();
            for &users in &args.clients {
                outcomes.push(presence::run(&args, &project, users).await?);
                eprintln!(
                    "{}",
                    report::presence_tables(&outcomes[outcomes.len() - 1..])
                );
            }
            println!("{}", report::presence_tables(&outcomes));
        }
    }
    Ok(())
}

/// Raises the open-files limit as far as allowed (the server child inherits it).
fn raise_file_limit(clients: usize) -> Result<(), LoadError> {
    let needed = clients as u64 + SPARE_FILES;
    let limit = rlimit::increase_nofile_limit(u64::MAX)
        .map_err(ServerError::io("raising the open-files limit"))?;
    if limit < needed {
        return Err(LoadError::FileLimit { limit, clients });
    }
    Ok(())
}
