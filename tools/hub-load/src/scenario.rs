//! One measured run: start a fresh server, create the session through the
//! REST API, read the server's RSS, join N clients, wait for the join flood
//! to settle, read the RSS again, then send the broadcasts one at a time —
//! each once the previous one reached every client, after a pause — and
//! collect every client's delay from send to receipt.

use std::time::Duration;

use load_kit::Timeout;
use tokio::time::Instant;

use crate::args::Args;
use crate::error::LoadError;
use crate::project::Project;
use crate::stats::Summary;
use crate::swarm::Swarm;

/// What one run measured.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Clients joined.
    pub clients: usize,
    /// From the first socket opened to the last `connected` received.
    pub connect: Duration,
    /// From then until every `connectionCreated` was delivered.
    pub settle: Duration,
    /// Send-to-receipt delays over all receipts of all broadcasts.
    pub delays: Summary,
    /// Server RSS with the session created and no client, KiB.
    pub rss_before_kib: u64,
    /// Server RSS with every client joined and settled, KiB.
    pub rss_after_kib: u64,
    /// Sockets that closed during the run (should be 0).
    pub lost: u64,
    /// Requests the hub refused during the run (should be 0).
    pub refused: u64,
}

impl Outcome {
    /// Server memory added per connection, KiB.
    pub fn kib_per_connection(&self) -> f64 {
        let added = self.rss_after_kib.saturating_sub(self.rss_before_kib);
        added as f64 / self.clients.max(1) as f64
    }
}

/// Runs the benchmark for `clients` clients.
pub async fn run(args: &Args, project: &Project, clients: usize) -> Result<Outcome, LoadError> {
    let server = project.start_server(&args.server).await?;
    let session = project.create_session(server.base_url()).await?;
    let tokens = project.tokens(&session, clients)?;
    let rss_before_kib = server.rss_kib()?;
    eprintln!("[{clients}] server up, session created, RSS {rss_before_kib} KiB; joining…");

    let started = Instant::now();
    let url = server.hub_url();
    let join = Swarm::join(&url, session.as_str(), tokens, args.concurrency);
    let mut swarm = within(args.patience(), "joining", join).await??;
    let connect = started.elapsed();
    swarm.settle(args.patience()).await?;
    let settle = started.elapsed() - connect;
    let rss_after_kib = server.rss_kib()?;
    eprintln!(
        "[{clients}] joined in {connect:.1?}, settled in {settle:.1?}, RSS {rss_after_kib} KiB; broadcasting…"
    );

    let mut delays = Vec::with_capacity(clients * args.rounds as usize);
    for round in 0..args.rounds {
        tokio::time::sleep(args.interval()).await;
        let sent = swarm.broadcast(round).await?;
        let gather = gather(&mut swarm, round, sent, &mut delays);
        within(args.patience(), "a broadcast", gather).await?;
    }
    let outcome = Outcome {
        clients,
        connect,
        settle,
        delays: Summary::of(delays).ok_or(Timeout {
            phase: "broadcasting",
            limit: args.patience(),
        })?,
        rss_before_kib,
        rss_after_kib,
        lost: swarm.closed(),
        refused: swarm.refused(),
    };
    server.stop().await;
    drop(swarm);
    Ok(outcome)
}

/// Collects the delays of broadcast `round` until every client has it.
async fn gather(swarm: &mut Swarm, round: u32, sent: Instant, delays: &mut Vec<Duration>) {
    let mut missing = swarm.len();
    while missing > 0 {
        let Some(receipt) = swarm.receipt().await else {
            return;
        };
        if receipt.round == round {
            delays.push(receipt.at.saturating_duration_since(sent));
            missing -= 1;
        }
    }
}

/// `work`, or a timeout error naming `phase` once `limit` has passed.
pub async fn within<T>(
    limit: Duration,
    phase: &'static str,
    work: impl std::future::Future<Output = T>,
) -> Result<T, LoadError> {
    tokio::time::timeout(limit, work)
        .await
        .map_err(|_| Timeout { phase, limit }.into())
}
