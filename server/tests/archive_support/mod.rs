//! Shared helpers of the archive recording tests: an engine with a short
//! idle stop and cap, archives in a temporary directory and its public URL
//! set, served on `127.0.0.1:0` (REST, hub, recordings); hub clients; a
//! stage (server, media, session and a joined client) most tests start
//! from; and a feeder that plays real VP8/Opus frames into a started
//! archive's recorder, as the media router would (the frames' capture times
//! are synthetic, so nothing waits in real time).

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use server::engine::hub::protocol::StreamView;
use server::engine::media::{MediaFrame, TapEvent};
use server::engine::recording::{recorders, TrackKind};
use server::engine::{self, ArchiveConfig, Engine, EngineConfig};
use server::opentok::model::{MediaMode, SessionOptions, VideoType};
use server::opentok::session_id::SessionId;
use server::opentok::token::{Role, TokenBuilder};
use server::store::sqlite::SqliteStore;
use tempfile::TempDir;
use tokio::task::JoinHandle;
use uuid::Uuid;

use crate::engine_support::{credentials, rest_over_http};
use crate::hub_client::HubSocket;
use crate::recording_support::{media, require_ffmpeg, Frame};

/// Longest wait for an archive to reach a state.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// Timings of a test engine's automatic stops.
#[derive(Debug, Clone, Copy)]
pub struct Timings {
    pub idle_stop: Duration,
    pub max_duration: Duration,
}

impl Default for Timings {
    fn default() -> Self {
        Timings {
            idle_stop: Duration::from_secs(3600),
            max_duration: Duration::from_secs(3600),
        }
    }
}

/// A served engine whose store and archives live in `dir`.
pub struct Server {
    pub engine: Engine,
    pub addr: SocketAddr,
    pub http: reqwest::Client,
    serving: JoinHandle<()>,
}

/// Serves an engine over the store and archives in `dir`.
pub async fn serve(dir: &Path, timings: Timings) -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    let store = SqliteStore::open(dir).await.expect("store opens");
    let archives = ArchiveConfig {
        dir: dir.join("archives"),
        idle_stop: timings.idle_stop,
        max_duration: timings.max_duration,
        public_url: Some(format!("http://{addr}").parse().expect("url")),
    };
    let config = EngineConfig {
        archives,
        ..EngineConfig::default()
    };
    let engine = Engine::with_config(credentials(), Arc::new(store), config);
    let router = engine::router(engine.clone());
    let serving = tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Server {
        engine,
        addr,
        http: reqwest::Client::new(),
        serving,
    }
}

/// A temporary directory for one test.
pub fn temp() -> TempDir {
    tempfile::tempdir().expect("temp dir")
}

impl Server {
    /// Stops serving and drops the engine (its recorders keep running).
    pub fn shut_down(self) {
        self.serving.abort();
    }

    /// A new routed session.
    pub async fn session(&self) -> SessionId {
        let options = SessionOptions {
            media_mode: MediaMode::Routed,
            ..SessionOptions::default()
        };
        self.engine.create_session(options).await.expect("session")
    }

    /// A hub client connected to `session`, past its `connected` message.
    pub async fn join(&self, session: &SessionId) -> HubSocket {
        let mut socket = HubSocket::open(&format!("ws://{}/rtc", self.addr)).await;
        let token = TokenBuilder::new(self.engine.credentials(), session)
            .role(Role::Publisher)
            .data("name=tester")
            .build()
            .expect("token");
        socket
            .send(&json!({"type": "connect", "sessionId": session, "token": token}))
            .await;
        let connected: Value = socket.next().await.expect("connected");
        assert_eq!(connected["type"], "connected", "{connected}");
        socket
    }

    /// An authenticated REST call to `/v2/project/{KEY}{path}`.
    pub async fn rest(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        rest_over_http(&self.http, self.addr, method, path, body).await
    }

    /// Starts an archive with `body`; panics unless 200.
    pub async fn start(&self, body: Value) -> Value {
        let (status, archive) = self
            .rest(reqwest::Method::POST, "/archive", Some(body))
            .await;
        assert_eq!(status, 200, "{archive}");
        archive
    }

    /// Stops archive `id`; panics unless 200.
    pub async fn stop(&self, id: &str) -> Value {
        let path = format!("/archive/{id}/stop");
        let (status, archive) = self.rest(reqwest::Method::POST, &path, None).await;
        assert_eq!(status, 200, "{archive}");
        archive
    }

    /// Polls archive `id` until its status is not `from`; returns it.
    pub async fn leaves(&self, id: &str, from: &str) -> Value {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let (status, archive) = self
                .rest(reqwest::Method::GET, &format!("/archive/{id}"), None)
                .await;
            assert_eq!(status, 200, "{archive}");
            if archive["status"] != from {
                return archive;
            }
            assert!(Instant::now() < deadline, "archive {id} stays {from}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The archive directory of `id`.
    pub fn archive_dir(&self, id: &str) -> PathBuf {
        self.engine.archive_config().dir.join(id)
    }
}

/// What a recording test starts from (ffmpeg required): a served engine
/// over a temporary directory, real media made there (see
/// [`media`]), a routed session and one client joined to it.
pub struct Stage {
    pub dir: TempDir,
    pub video: Vec<Frame>,
    pub audio: Vec<Frame>,
    pub server: Server,
    pub session: SessionId,
    pub client: HubSocket,
}

impl Stage {
    /// Sets the stage with the default [`Timings`].
    pub async fn new() -> Stage {
        require_ffmpeg();
        let dir = temp();
        let (video, audio) = media(dir.path());
        let server = serve(dir.path(), Timings::default()).await;
        let session = server.session().await;
        let client = server.join(&session).await;
        Stage {
            dir,
            video,
            audio,
            server,
            session,
            client,
        }
    }
}

/// Plays frames into archive `archive`'s recorder as the media router
/// would: captured at `base + offset`.
pub struct Feeder {
    tap: std::sync::mpsc::SyncSender<TapEvent>,
    base: Instant,
}

impl Feeder {
    /// The feeder of a running archive; archive time of `base` ≈ now.
    pub fn of(archive: &Value) -> Feeder {
        let id = Uuid::parse_str(archive["id"].as_str().expect("id")).expect("uuid");
        Feeder {
            tap: recorders().input(id).expect("the archive records"),
            base: Instant::now(),
        }
    }

    /// Announces stream `id` (audio and video, camera).
    pub fn start_stream(&self, id: Uuid) {
        let stream = StreamView {
            stream_id: id,
            connection_id: Uuid::new_v4(),
            name: format!("stream {id}"),
            has_audio: true,
            has_video: true,
            video_type: Some(VideoType::Camera),
            creation_time: 0,
        };
        self.send(TapEvent::StreamStarted {
            stream,
            connection_data: Some(format!("name={id}")),
        });
    }

    /// Plays `video` and `audio` of stream `id` from archive time
    /// `offset_ms`, interleaved by time; frames at or after `until_ms`
    /// (media time) are left out.
    pub fn play(&self, id: Uuid, offset_ms: u64, video: &[Frame], audio: &[Frame], until_ms: u64) {
        let mut frames: Vec<(u64, TrackKind, &Frame)> = video
            .iter()
            .map(|f| (f.0, TrackKind::Video, f))
            .chain(audio.iter().map(|f| (f.0, TrackKind::Audio, f)))
            .filter(|(ms, _, _)| *ms < until_ms)
            .collect();
        frames.sort_by_key(|(ms, _, _)| *ms);
        for (ms, kind, (_, data, keyframe)) in frames {
            self.send(TapEvent::Frame(Arc::new(MediaFrame {
                stream_id: id,
                kind,
                captured: self.base + Duration::from_millis(offset_ms + ms),
                data: data.as_slice().into(),
                keyframe: *keyframe,
            })));
        }
    }

    /// Ends stream `id`.
    pub fn end_stream(&self, id: Uuid) {
        self.send(TapEvent::StreamEnded { stream_id: id });
    }

    fn send(&self, event: TapEvent) {
        self.tap.send(event).expect("the recorder is running");
    }
}

/// The id of test stream `n`.
pub fn stream_id(n: u128) -> Uuid {
    Uuid::from_u128(0x5000 + n)
}
