//! `media-load`: the routed-session benchmark. It starts the server binary
//! with a fresh project, creates a routed session through the REST API and
//! joins N participants: each publishes synthetic VP8 (about 1 Mb/s at
//! 30 fps) and Opus (50 packets/s) through the media router and subscribes
//! to every other participant's stream (N = 4: 12 forwarded video
//! streams). Optionally an archive records meanwhile (started through the
//! REST API, so the recorder runs too). After a warm-up it measures the
//! server's CPU (utime + stime from `/proc/<pid>/stat`, as a percentage of
//! one core) and memory, and prints a Markdown table. See `BENCHMARKS.md`.

#[path = "../../../server/tests/media_support/peer.rs"]
mod peer;

mod error;
mod participant;
mod report;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use load_kit::{Launch, Timeout};
use server::opentok::client::Client;
use server::opentok::credentials::{ApiKey, ApiSecret, Credentials};
use server::opentok::model::{ArchiveOptions, ArchiveStatus, MediaMode, SessionOptions};
use server::opentok::token::{Role, TokenBuilder};

use error::LoadError;
use participant::{Counters, Joined};
use peer::Source;
use report::Outcome;

/// Joins N participants to one routed session of a freshly started server;
/// each publishes and subscribes to all the others. Reports the server's
/// CPU and memory.
#[derive(Debug, Clone, Parser)]
#[command(name = "media-load", version, about)]
struct Args {
    /// The server binary to start.
    #[arg(long, default_value = "target/release/server")]
    server: PathBuf,
    /// Participants (each publishes one stream and subscribes to the others').
    #[arg(long, default_value_t = 4)]
    participants: usize,
    /// Also record an archive of the session while measuring.
    #[arg(long)]
    archive: bool,
    /// Video frames per second.
    #[arg(long, default_value_t = 30)]
    fps: u32,
    /// Video bit rate, in kb/s.
    #[arg(long, default_value_t = 1000)]
    video_kbps: u32,
    /// Seconds of traffic before measuring.
    #[arg(long, default_value_t = 5)]
    warmup_secs: u64,
    /// Seconds measured.
    #[arg(long, default_value_t = 30)]
    measure_secs: u64,
}

/// How long every peer connection may take to come up.
const CONNECT_PATIENCE: Duration = Duration::from_secs(60);
/// How long to wait for a stopped archive to become available.
const ARCHIVE_PATIENCE: Duration = Duration::from_secs(120);

#[tokio::main]
async fn main() -> ExitCode {
    match run(Args::parse()).await {
        Ok(outcome) => {
            println!("{}", report::table(&[outcome]));
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("media-load: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<Outcome, LoadError> {
    let (key, secret) = (ApiKey::generate(), ApiSecret::generate());
    // Media is announced on loopback only: every participant runs here.
    let server = Launch::new(&args.server, key.as_str(), secret.expose())
        .env("RTC_ANNOUNCED_IPS", "127.0.0.1")
        .start()
        .await?;
    let idle_rss_kib = server.rss_kib()?;
    let credentials = Credentials::Project {
        api_key: key,
        api_secret: secret,
    };
    let api = Client::new(credentials.clone(), server.base_url());
    let options = SessionOptions {
        media_mode: MediaMode::Routed,
        ..SessionOptions::default()
    };
    let session = api
        .create_session(&options)
        .await
        .map_err(|err| LoadError::Project(err.to_string()))?;

    let mut joined = Vec::new();
    for index in 0..args.participants {
        let token = TokenBuilder::new(&credentials, &session)
            .role(Role::Publisher)
            .data(format!("p={index}"))
            .build()
            .map_err(|err| LoadError::Project(err.to_string()))?;
        joined.push(Joined::join(index, &server.hub_url(), session.as_str(), &token).await?);
    }
    let streams: Vec<String> = joined.iter().map(|j| j.stream_id.clone()).collect();
    let source = Source {
        fps: args.fps,
        video_bitrate: args.video_kbps * 1000,
        ..Source::default()
    };
    let counters = Arc::new(Counters::default());
    let tasks: Vec<_> = joined
        .into_iter()
        .map(|j| j.start(&streams, source, counters.clone()))
        .collect();
    let peers = args.participants * args.participants;
    let deadline = Instant::now() + CONNECT_PATIENCE;
    while counters.connected.load(Ordering::Relaxed) < peers {
        if Instant::now() > deadline {
            return Err(Timeout {
                phase: "connecting every peer",
                limit: CONNECT_PATIENCE,
            }
            .into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    eprintln!("media-load: {peers} peer connections up");

    let archive = if args.archive {
        match api
            .start_archive(&ArchiveOptions::new(session.clone()))
            .await
        {
            Ok(archive) => Some(archive.id),
            Err(err) => {
                eprintln!("media-load: no archive ({err}); measuring forwarding only");
                None
            }
        }
    } else {
        None
    };
    tokio::time::sleep(Duration::from_secs(args.warmup_secs)).await;
    let window = Duration::from_secs(args.measure_secs);
    let (ticks, video, audio) = (
        server.cpu_ticks()?,
        snapshot(&counters.video_frames),
        snapshot(&counters.audio_frames),
    );
    tokio::time::sleep(window).await;
    let used_ticks = server.cpu_ticks()?.saturating_sub(ticks);
    let outcome = Outcome {
        participants: args.participants,
        recording: archive.is_some(),
        window,
        cpu_seconds: used_ticks as f64 / load_kit::clock_ticks_per_second() as f64,
        idle_rss_kib,
        rss_kib: server.rss_kib()?,
        video_frames: snapshot(&counters.video_frames) - video,
        audio_frames: snapshot(&counters.audio_frames) - audio,
    };
    for task in tasks {
        task.abort();
    }
    if let Some(id) = archive {
        report_archive(&api, id).await;
    }
    Ok(outcome)
}

/// Stops the archive and says what it became (its composing is not measured).
async fn report_archive(api: &Client, id: uuid::Uuid) {
    if let Err(err) = api.stop_archive(id).await {
        eprintln!("media-load: stopping the archive failed: {err}");
        return;
    }
    let deadline = Instant::now() + ARCHIVE_PATIENCE;
    while Instant::now() < deadline {
        match api.get_archive(id).await {
            Ok(archive) if archive.status == ArchiveStatus::Started
                || archive.status == ArchiveStatus::Stopped =>
            {
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            Ok(archive) => {
                eprintln!(
                    "media-load: archive {}: {} s, {} bytes",
                    archive.status.as_str(),
                    archive.duration,
                    archive.size
                );
                return;
            }
            Err(err) => {
                eprintln!("media-load: reading the archive failed: {err}");
                return;
            }
        }
    }
    eprintln!("media-load: the archive was not ready within {ARCHIVE_PATIENCE:?}");
}

fn snapshot(counter: &std::sync::atomic::AtomicU64) -> u64 {
    counter.load(Ordering::Relaxed)
}
