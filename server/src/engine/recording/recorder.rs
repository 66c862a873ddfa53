//! The recorder: one OS thread per recording archive, owning the archive's
//! open stream files. The media router feeds it through the archive's tap
//! (a bounded `sync_channel`, so a slow disk loses frames instead of
//! slowing calls down); the archive lifecycle steers it through
//! [`Recorders`]: manual-mode stream changes, and finishing.
//!
//! Why a thread per archive rather than one for all: a [`Tap`] is a plain
//! channel whose events do not name their archive, and std channels cannot
//! be waited on together, so one thread per channel blocks on its own input
//! without polling; a slow finish (flushing, Cues) of one archive never
//! delays another's frames; and archives are few (one per session, plus
//! tagged extras), so the threads are too.
//!
//! [`Recorders`] is process-wide: recorder threads are OS resources like
//! ffmpeg jobs, and archive ids are random UUIDs, so one registry serves
//! every engine of the process. A recorder outlives an engine dropped
//! mid-recording; the next engine's restart recovery finishes it.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{LazyLock, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::oneshot;
use uuid::Uuid;

use crate::engine::media::{Tap, TapEvent};

use super::selection::{Selection, StreamChange};
use super::thread::RecorderThread;
use super::timeline::{Timeline, RAW_DIR};
use super::RecordingError;

/// Frames a recorder may have queued before the router drops new ones.
pub const TAP_CAPACITY: usize = 4096;
/// How often the recorder wakes up without frames (to obey its controls
/// and to save its timeline).
pub(super) const TICK: Duration = Duration::from_millis(100);

/// What a recorder needs to start.
#[derive(Debug, Clone)]
pub struct RecorderSpec {
    /// The archive.
    pub archive_id: Uuid,
    /// The archive's directory (stream files go to its `raw/`).
    pub dir: PathBuf,
    /// What it records.
    pub selection: Selection,
    /// The archive's start: archive time 0.
    pub started: Instant,
}

/// A started recorder.
#[derive(Debug)]
pub struct Started {
    /// Its input, for [`MediaRouter::tap`](crate::engine::MediaRouter::tap).
    pub tap: Tap,
    /// Resolves (with an error: its sender is dropped) once the recorder
    /// thread has ended, however it ended.
    pub ended: oneshot::Receiver<()>,
}

/// What the finished recorder hands back: its final timeline.
pub type Finished = oneshot::Receiver<Result<Timeline, RecordingError>>;

/// Instructions to a recorder thread.
#[derive(Debug)]
pub(super) enum Control {
    /// Apply a manual-mode stream change after the frames already queued,
    /// then acknowledge it.
    Change(StreamChange, oneshot::Sender<()>),
    /// Close every file, save the final timeline and end.
    Finish(oneshot::Sender<Result<Timeline, RecordingError>>),
}

#[derive(Debug)]
struct Handle {
    tap: Tap,
    control: mpsc::Sender<Control>,
}

/// The running recorders of this process, by archive id.
#[derive(Debug, Default)]
pub struct Recorders {
    running: Mutex<HashMap<Uuid, Handle>>,
}

static RECORDERS: LazyLock<Recorders> = LazyLock::new(Recorders::default);

/// The process's recorders.
pub fn recorders() -> &'static Recorders {
    &RECORDERS
}

impl Recorders {
    /// Starts recording `spec.archive_id` into `spec.dir`: creates `raw/`,
    /// writes an empty timeline and spawns the `recorder` thread.
    pub fn start(&self, spec: RecorderSpec) -> Result<Started, RecordingError> {
        let raw = spec.dir.join(RAW_DIR);
        std::fs::create_dir_all(&raw).map_err(RecordingError::io("create", &raw))?;
        let timeline = Timeline::new(spec.archive_id);
        timeline.save(&spec.dir)?;
        let (tap, input) = mpsc::sync_channel(TAP_CAPACITY);
        let (control, orders) = mpsc::channel();
        let (ended_tx, ended) = oneshot::channel();
        let archive_id = spec.archive_id;
        let thread = RecorderThread::new(spec, timeline);
        std::thread::Builder::new()
            .name("recorder".into())
            .spawn(move || {
                run(thread, &input, &orders);
                drop(ended_tx);
            })
            .map_err(RecordingError::io("start a thread for", &raw))?;
        self.lock().insert(
            archive_id,
            Handle {
                tap: tap.clone(),
                control,
            },
        );
        Ok(Started { tap, ended })
    }

    /// The input of `archive`'s recorder, if it records in this process:
    /// what the media router holds. Other sources of frames may feed it too.
    pub fn input(&self, archive: Uuid) -> Option<Tap> {
        self.lock().get(&archive).map(|handle| handle.tap.clone())
    }

    /// Whether `archive` records in this process.
    pub fn is_running(&self, archive: Uuid) -> bool {
        self.lock().contains_key(&archive)
    }

    /// Applies a manual-mode stream change to `archive`'s recorder after
    /// the frames it has already been given; `false` when it does not
    /// record here. Resolves once the change is applied.
    pub async fn change(&self, archive: Uuid, change: StreamChange) -> bool {
        let (applied, done) = oneshot::channel();
        let sent = self.lock().get(&archive).is_some_and(|handle| {
            handle
                .control
                .send(Control::Change(change, applied))
                .is_ok()
        });
        sent && done.await.is_ok()
    }

    /// Tells `archive`'s recorder to finish; `None` when it does not record
    /// here. The receiver gets the final timeline once every file is closed.
    pub fn finish(&self, archive: Uuid) -> Option<Finished> {
        let handle = self.lock().remove(&archive)?;
        let (done, finished) = oneshot::channel();
        handle.control.send(Control::Finish(done)).ok()?;
        Some(finished)
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<Uuid, Handle>> {
        self.running.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The thread's loop: frames as they come, controls at least every tick.
/// A control applies after every frame queued before it was read.
fn run(mut thread: RecorderThread, input: &Receiver<TapEvent>, orders: &Receiver<Control>) {
    let drain = |thread: &mut RecorderThread| {
        for event in input.try_iter().take(TAP_CAPACITY) {
            thread.on_event(event);
        }
    };
    loop {
        let mut finish = match input.recv_timeout(TICK) {
            Ok(event) => {
                thread.on_event(event);
                None
            }
            Err(RecvTimeoutError::Timeout) => None,
            // Only when the registry no longer holds a sender.
            Err(RecvTimeoutError::Disconnected) => Some(None),
        };
        while finish.is_none() {
            match orders.try_recv() {
                Ok(Control::Change(change, applied)) => {
                    drain(&mut thread);
                    thread.on_change(&change);
                    let _ = applied.send(());
                }
                Ok(Control::Finish(done)) => finish = Some(Some(done)),
                Err(mpsc::TryRecvError::Empty) => break,
                // The handle is gone without an order: finish unasked.
                Err(mpsc::TryRecvError::Disconnected) => finish = Some(None),
            }
        }
        if let Some(done) = finish {
            drain(&mut thread);
            let result = thread.finish();
            if let Some(done) = done {
                let _ = done.send(result);
            }
            return;
        }
        thread.tick();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn finishing_ends_the_thread_and_forgets_the_recorder() {
        let dir = tempfile::tempdir().unwrap();
        let session = crate::opentok::session_id::SessionId::generate(
            "123456",
            None,
            crate::opentok::model::MediaMode::Routed,
        );
        let options = crate::opentok::model::ArchiveOptions::new(session);
        let archive = crate::opentok::model::Archive::started(
            &options,
            crate::opentok::model::ProjectId::new("123456"),
            0,
        );
        let spec = RecorderSpec {
            archive_id: archive.id,
            dir: dir.path().to_path_buf(),
            selection: Selection::of(&archive),
            started: Instant::now(),
        };
        let started = recorders().start(spec).unwrap();
        assert!(recorders().is_running(archive.id));
        assert!(recorders().input(archive.id).is_some());
        assert!(dir.path().join("raw").is_dir());
        let timeline = recorders()
            .finish(archive.id)
            .unwrap()
            .await
            .unwrap()
            .unwrap();
        assert!(timeline.complete && timeline.streams.is_empty());
        assert_eq!(Timeline::load(dir.path()).unwrap(), Some(timeline));
        assert!(started.ended.await.is_err(), "the thread has ended");
        assert!(!recorders().is_running(archive.id));
        assert!(recorders().finish(archive.id).is_none());
    }
}
