//! Command-line arguments of `hub-load`.

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;

/// Connects N clients to one session of a freshly started Rendezvous server,
/// broadcasts signals from one of them and reports how long each took to
/// reach every client (p50 / p99 / max) and the server's memory per
/// connection. A fresh server is started for each N.
#[derive(Debug, Clone, Parser)]
#[command(name = "hub-load", version, about)]
pub struct Args {
    /// The server binary to start.
    #[arg(long, default_value = "target/release/server")]
    pub server: PathBuf,

    /// Client counts to measure, one run each.
    #[arg(long, value_delimiter = ',', default_value = "1000,5000,10000")]
    pub clients: Vec<usize>,

    /// Broadcast signals sent per run.
    #[arg(long, default_value_t = 20)]
    pub rounds: u32,

    /// Pause between a broadcast reaching everyone and the next one, in ms.
    #[arg(long, default_value_t = 200)]
    pub interval_ms: u64,

    /// Clients connecting at the same time.
    #[arg(long, default_value_t = 64)]
    pub concurrency: usize,

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
    }
}
