//! The presence clients: hub sockets joined to the presence session, each
//! read for its whole life by its own task (so heartbeats are answered),
//! which counts what it receives by kind — list chunks (and the people
//! they name), `userJoined`, `userLeft`, `userChanged`, hub connection
//! news — and
//! stamps the arrival of the latest `userJoined` and `userChanged`. The
//! benchmark compares snapshots of these counts ([`Counts`]) before and
//! after each step, so nothing per frame crosses a channel. Waits skip
//! closed sockets (the run reports them as lost).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures::stream::SplitStream;
use futures::{StreamExt, TryStreamExt};
use load_kit::Timeout;
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;

use crate::error::LoadError;
use crate::swarm::{connect, Socket};
use crate::wire::{classify, Frame, PresenceFrame};

/// How often a wait re-reads the counts.
const POLL: Duration = Duration::from_millis(5);

/// What one client's reader has counted (frames after `connected`).
#[derive(Debug, Default)]
struct Tally {
    frames: AtomicU64,
    connection_news: AtomicU64,
    chunks: AtomicU64,
    listed: AtomicU64,
    lists: AtomicU64,
    joined: AtomicU64,
    left: AtomicU64,
    changed: AtomicU64,
    refused: AtomicU64,
    closed: AtomicBool,
    /// When the latest `userJoined` arrived, ns since the crowd's epoch.
    joined_at: AtomicU64,
    /// When the latest `userChanged` arrived, ns since the crowd's epoch.
    changed_at: AtomicU64,
}

/// One client's counts at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Text frames after `connected`.
    pub frames: u64,
    /// `connectionCreated`, `connectionDestroyed` and `moreConnections` frames.
    pub connection_news: u64,
    /// Chunks of its list.
    pub chunks: u64,
    /// People named in those chunks.
    pub listed: u64,
    /// Completed lists (final chunks).
    pub lists: u64,
    /// `userJoined` events.
    pub joined: u64,
    /// `userLeft` events.
    pub left: u64,
    /// `userChanged` events.
    pub changed: u64,
    /// `error` frames.
    pub refused: u64,
    /// Whether the socket has closed.
    pub closed: bool,
    /// When the latest `userJoined` arrived, since the crowd's epoch.
    pub joined_at: Duration,
    /// When the latest `userChanged` arrived, since the crowd's epoch.
    pub changed_at: Duration,
}

/// The joined presence clients, in the order they were asked to join.
#[derive(Debug)]
pub struct Crowd {
    epoch: Instant,
    tallies: Vec<Arc<Tally>>,
    readers: Vec<JoinHandle<()>>,
}

impl Crowd {
    /// Nobody yet.
    pub fn new() -> Self {
        Crowd {
            epoch: Instant::now(),
            tallies: Vec::new(),
            readers: Vec::new(),
        }
    }

    /// Joins one client per token to `session_id` at `url`, `concurrency` at a time.
    pub async fn join(
        &mut self,
        url: &str,
        session_id: &str,
        tokens: Vec<String>,
        concurrency: usize,
    ) -> Result<(), LoadError> {
        let first = self.tallies.len();
        let epoch = self.epoch;
        let mut joined: Vec<_> = futures::stream::iter(tokens.into_iter().enumerate())
            .map(|(offset, token)| async move {
                let index = first + offset;
                let socket = connect(url, session_id, token)
                    .await
                    .map_err(|reason| LoadError::Join { index, reason })?;
                let tally = Arc::new(Tally::default());
                let reader = tokio::spawn(read(socket.split().1, tally.clone(), epoch));
                Ok::<_, LoadError>((index, tally, reader))
            })
            .buffer_unordered(concurrency.max(1))
            .try_collect()
            .await?;
        joined.sort_by_key(|(index, _, _)| *index);
        for (_, tally, reader) in joined {
            self.tallies.push(tally);
            self.readers.push(reader);
        }
        Ok(())
    }

    /// How many clients there are.
    pub fn len(&self) -> usize {
        self.tallies.len()
    }

    /// Every client's counts now.
    pub fn counts(&self) -> Vec<Counts> {
        self.tallies.iter().map(|tally| tally.read()).collect()
    }

    /// `at` as a time since the crowd's epoch (comparable with the stamps).
    pub fn stamp(&self, at: Instant) -> Duration {
        at.saturating_duration_since(self.epoch)
    }

    /// Waits until `done(index, counts)` holds for every open client;
    /// returns everyone's counts. `phase` names the wait in the error when
    /// `patience` runs out.
    pub async fn until(
        &self,
        patience: Duration,
        phase: &'static str,
        done: impl Fn(usize, &Counts) -> bool,
    ) -> Result<Vec<Counts>, LoadError> {
        let deadline = Instant::now() + patience;
        loop {
            let counts = self.counts();
            let waiting = counts
                .iter()
                .enumerate()
                .filter(|(index, c)| !c.closed && !done(*index, c))
                .count();
            if waiting == 0 {
                return Ok(counts);
            }
            if Instant::now() >= deadline {
                return Err(LoadError::Stuck {
                    phase,
                    limit: patience,
                    waiting,
                });
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits until no client receives anything for `quiet`.
    pub async fn quiesce(&self, quiet: Duration, patience: Duration) -> Result<(), LoadError> {
        let total = |counts: Vec<Counts>| counts.iter().map(|c| c.frames).sum::<u64>();
        let deadline = Instant::now() + patience;
        let mut last = total(self.counts());
        loop {
            tokio::time::sleep(quiet).await;
            let now = total(self.counts());
            if now == last {
                return Ok(());
            }
            if Instant::now() >= deadline {
                return Err(Timeout {
                    phase: "quiescing",
                    limit: patience,
                }
                .into());
            }
            last = now;
        }
    }
}

impl Drop for Crowd {
    fn drop(&mut self) {
        for reader in &self.readers {
            reader.abort();
        }
    }
}

impl Tally {
    fn read(&self) -> Counts {
        // Counts are read (Acquire) before the stamps their increments follow.
        let joined = self.joined.load(Ordering::Acquire);
        let changed = self.changed.load(Ordering::Acquire);
        Counts {
            frames: self.frames.load(Ordering::Relaxed),
            connection_news: self.connection_news.load(Ordering::Relaxed),
            chunks: self.chunks.load(Ordering::Relaxed),
            listed: self.listed.load(Ordering::Relaxed),
            lists: self.lists.load(Ordering::Relaxed),
            joined,
            left: self.left.load(Ordering::Relaxed),
            changed,
            refused: self.refused.load(Ordering::Relaxed),
            closed: self.closed.load(Ordering::Relaxed),
            joined_at: Duration::from_nanos(self.joined_at.load(Ordering::Relaxed)),
            changed_at: Duration::from_nanos(self.changed_at.load(Ordering::Relaxed)),
        }
    }

    /// Counts one text frame that arrived `at` (ns since the epoch).
    fn count(&self, frame: Frame, at: u64) {
        self.frames.fetch_add(1, Ordering::Relaxed);
        let counter = match frame {
            Frame::Created | Frame::ConnectionNews => &self.connection_news,
            Frame::Refused(_) => &self.refused,
            Frame::Presence(PresenceFrame::Snapshot { users, last }) => {
                self.listed.fetch_add(users, Ordering::Relaxed);
                if last {
                    self.lists.fetch_add(1, Ordering::Relaxed);
                }
                &self.chunks
            }
            Frame::Presence(PresenceFrame::Joined) => {
                self.joined_at.store(at, Ordering::Relaxed);
                &self.joined
            }
            Frame::Presence(PresenceFrame::Left) => &self.left,
            Frame::Presence(PresenceFrame::Changed) => {
                self.changed_at.store(at, Ordering::Relaxed);
                &self.changed
            }
            Frame::Presence(PresenceFrame::Other)
            | Frame::Connected
            | Frame::Signal(_)
            | Frame::Other => return,
        };
        // Release: whoever sees the new count also sees the stamp above.
        counter.fetch_add(1, Ordering::Release);
    }
}

/// Reads one client's socket until it closes, counting what arrives.
async fn read(mut stream: SplitStream<Socket>, tally: Arc<Tally>, epoch: Instant) {
    while let Some(frame) = stream.next().await {
        let at = u64::try_from(epoch.elapsed().as_nanos()).unwrap_or(u64::MAX);
        match frame {
            Ok(Message::Text(text)) => tally.count(classify(text.as_str()), at),
            Ok(Message::Close(_)) | Err(_) => break,
            Ok(_) => {}
        }
    }
    tally.closed.store(true, Ordering::Relaxed);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_counted_by_kind_and_events_stamped() {
        let tally = Tally::default();
        let chunk = |users, last| Frame::Presence(PresenceFrame::Snapshot { users, last });
        tally.count(chunk(90, false), 1);
        tally.count(chunk(7, true), 2);
        tally.count(Frame::Presence(PresenceFrame::Joined), 30);
        tally.count(Frame::Presence(PresenceFrame::Changed), 40);
        tally.count(Frame::Presence(PresenceFrame::Joined), 50);
        tally.count(Frame::Presence(PresenceFrame::Left), 55);
        tally.count(Frame::Created, 60);
        tally.count(Frame::ConnectionNews, 70);
        tally.count(Frame::Refused("429".into()), 80);
        tally.count(Frame::Other, 90);
        assert_eq!(
            tally.read(),
            Counts {
                frames: 10,
                connection_news: 2,
                chunks: 2,
                listed: 97,
                lists: 1,
                joined: 2,
                left: 1,
                changed: 1,
                refused: 1,
                closed: false,
                joined_at: Duration::from_nanos(50),
                changed_at: Duration::from_nanos(40),
            }
        );
    }
}
