//! Command-line arguments of `hub-load`.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, ValueEnum};

/// What a run measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Scenario {
    /// N clients in one plain session; broadcast signals from one of them.
    Hub,
    /// N people in the presence session; the cost of a join and how fast
    /// one state change reaches everyone.
    Presence,
}

/// Connects N clients to one session of a freshly started Rendezvous server
/// and reports delays (p50 / p99 / max) and the server's memory per
/// connection. `hub`: broadcasts signals from one client. `presence`: N
/// people join the presence session as the page does; counts the frames a
/// join costs and times state changes. A fresh server is started for each N.
#[derive(Debug, Clone, Parser)]
#[command(name = "hub-load", version, about)]
pub struct Args {
    /// What to measure.
    #[arg(long, value_enum, default_value_t = Scenario::Hub)]
    pub scenario: Scenario,

    /// The server binary to start.
    #[arg(long, default_value = "target/release/server")]
    pub server: PathBuf,

    /// Client counts to measure, one run each.
    #[arg(long, value_delimiter = ',', default_value = "1000,5000,10000")]
    pub clients: Vec<usize>,

    /// Broadcast signals (hub) or state changes (presence) per run.
    #[arg(long, default_value_t = 20)]
    pub rounds: u32,

    /// Pause between a broadcast or state change reaching everyone and the
    /// next one, in ms; also how long presence waits for stragglers.
    #[arg(long, default_value_t = 200)]
    pub interval_ms: u64,

    /// Clients connecting at the same time.
    #[arg(long, default_value_t = 64)]
    pub concurrency: usize,

    /// Presence: joins measured one at a time after the others.
    #[arg(long, default_value_t = 5)]
    pub probes: usize,

    /// Longest wait for one phase (connecting, settling, one broadcast), in s.
    #[arg(long, default_value_t = 900)]
    pub patience_secs: u64,
}

impl Args {
    /// The pause between broadcasts.
    pub fn interval(&self) -> Duration {
        Duration::from_millis(self.interval_ms)
    }

    /// The longest wait for one phase.
    pub fn patience(&self) -> Duration {
        Duration::from_secs(self.patience_secs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_counts_are_a_comma_separated_list() {
        let args = Args::parse_from(["hub-load", "--clients", "10,20", "--rounds", "3"]);
        assert_eq!(args.clients, [10, 20]);
        assert_eq!(args.rounds, 3);
        let defaults = Args::parse_from(["hub-load"]);
        assert_eq!(defaults.clients, [1000, 5000, 10000]);
        assert_eq!(defaults.server, PathBuf::from("target/release/server"));
        assert_eq!(defaults.scenario, Scenario::Hub);
        let presence = Args::parse_from(["hub-load", "--scenario", "presence", "--probes", "2"]);
        assert_eq!(
            (presence.scenario, presence.probes),
            (Scenario::Presence, 2)
        );
    }
}
