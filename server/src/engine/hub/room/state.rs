//! What a [`Room`](super::Room) keeps behind its mutex — members, streams,
//! whether connection events are suppressed — and how it delivers frames
//! to its members: every delivery is a `try_send` of a shared, already
//! serialised frame; a member that cannot take it (queue full or closed)
//! is evicted, and the others are told, which may evict the next one (a
//! work list, so a storm of slow readers cannot exhaust the stack).

use std::collections::{HashMap, VecDeque};

use axum::extract::ws::Utf8Bytes;
use uuid::Uuid;

use super::super::error::HubError;
use super::super::protocol::{Reason, ServerMessage, StreamView};
use super::{encode, Member, Outbound};

/// One session's live state.
#[derive(Debug, Default)]
pub(super) struct State {
    /// Set once the hub dropped this room; joiners must fetch a fresh one.
    pub(super) closed: bool,
    /// Nobody hears of connections coming and going (OpenTok.js's
    /// `connectionEventsSuppressed`): no `connectionCreated`,
    /// `connectionDestroyed` or `moreConnections`, and `connected` lists
    /// no connections. Streams and signals are unaffected.
    pub(super) quiet: bool,
    /// The connections, by id.
    pub(super) members: HashMap<Uuid, Member>,
    /// Published streams, oldest first.
    pub(super) streams: Vec<StreamView>,
}

impl State {
    /// Queues `text` for every member.
    pub(super) fn send_all(&mut self, text: Utf8Bytes) {
        let ids: Vec<Uuid> = self.members.keys().copied().collect();
        self.send_each(&ids, text);
    }

    /// Queues `text` for each of `ids`; members that cannot take it are removed.
    pub(super) fn send_each(&mut self, ids: &[Uuid], text: Utf8Bytes) {
        let stuck = self.deliver(ids, &text);
        self.evict(
            stuck
                .into_iter()
                .map(|id| (id, Reason::NetworkDisconnected)),
        );
    }

    /// Queues `text` for each of `ids`; returns those whose queue was full or closed.
    fn deliver(&self, ids: &[Uuid], text: &Utf8Bytes) -> Vec<Uuid> {
        ids.iter()
            .filter(|id| {
                self.members
                    .get(id)
                    .is_some_and(|m| m.outbox.try_send(Outbound::Text(text.clone())).is_err())
            })
            .copied()
            .collect()
    }

    /// Removes one member, telling the others why.
    pub(super) fn remove(&mut self, id: Uuid, reason: Reason) {
        self.evict([(id, reason)]);
    }

    /// Removes members, telling the others (their streams' end, and — unless
    /// the room is quiet — the connection's); anyone who cannot take that
    /// news is removed in turn. A work list, not recursion: a storm of slow
    /// readers must not exhaust the stack.
    fn evict(&mut self, first: impl IntoIterator<Item = (Uuid, Reason)>) {
        let mut pending: VecDeque<(Uuid, Reason)> = first.into_iter().collect();
        while let Some((id, reason)) = pending.pop_front() {
            let Some(member) = self.members.remove(&id) else {
                continue;
            };
            if reason == Reason::NetworkDisconnected {
                tracing::info!(connection = %id, "outbound queue full or closed: disconnecting");
            }
            member.evicted.notify_one();
            let (gone, kept) = std::mem::take(&mut self.streams)
                .into_iter()
                .partition(|s| s.connection_id == id);
            self.streams = kept;
            let mut news: Vec<Utf8Bytes> = gone
                .into_iter()
                .map(|stream| encode(&ServerMessage::StreamDestroyed { stream, reason }))
                .collect();
            if !self.quiet {
                news.push(encode(&ServerMessage::ConnectionDestroyed {
                    connection: member.view,
                    reason,
                }));
            }
            let everyone: Vec<Uuid> = self.members.keys().copied().collect();
            for text in news {
                let stuck = self.deliver(&everyone, &text);
                pending.extend(
                    stuck
                        .into_iter()
                        .map(|id| (id, Reason::NetworkDisconnected)),
                );
            }
        }
    }

    /// The index of stream `stream_id`, which `owner` must have published.
    pub(super) fn owned_stream(&self, owner: Uuid, stream_id: Uuid) -> Result<usize, HubError> {
        let index = self
            .streams
            .iter()
            .position(|s| s.stream_id == stream_id)
            .ok_or_else(|| HubError::not_found(format!("stream {stream_id} not found")))?;
        if self.streams[index].connection_id != owner {
            return Err(HubError::forbidden(
                "the stream is published by another connection",
            ));
        }
        Ok(index)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{join, member, types};
    use super::super::{NewStream, Room};
    use super::*;
    use crate::opentok::model::Signal;

    #[test]
    fn a_storm_of_stuck_members_is_evicted_without_recursion() {
        let room = Room::default();
        let (_keeper, mut kept) = join(&room, 8);
        let mut receivers = Vec::new();
        {
            let mut state = room.lock();
            for _ in 0..5_000 {
                let (member, queue) = member(1);
                member
                    .outbox
                    .try_send(Outbound::Ping)
                    .expect("a fresh queue takes one item");
                // Keep the receiver alive so the queue is full, not closed.
                receivers.push(queue);
                state.members.insert(member.view.connection_id, member);
            }
        }
        let signal = Signal::new("t", "x").expect("a valid signal");
        // The keeper's queue overflows too: everybody is stuck, one after another.
        room.signal(None, None, &signal).expect("a broadcast");
        assert!(
            room.lock().members.is_empty(),
            "every stuck member was removed"
        );
        assert!(!types(&mut kept).is_empty());
    }

    #[test]
    fn a_quiet_room_announces_a_leavers_streams_but_not_the_leaver() {
        let room = Room::quiet();
        let (alice, _alice_queue) = join(&room, 64);
        let (_bob, mut bob_queue) = join(&room, 64);
        let request = NewStream {
            stream_id: None,
            name: "cam".into(),
            has_audio: true,
            has_video: true,
            video_type: None,
        };
        room.publish(alice, request).expect("alice publishes");
        room.leave(alice, Reason::ClientDisconnected);
        assert_eq!(
            types(&mut bob_queue),
            ["connected", "streamCreated", "streamDestroyed"]
        );
        assert!(room.lock().streams.is_empty());
    }

    #[test]
    fn only_the_owner_may_touch_a_stream() {
        let room = Room::default();
        let (alice, _alice_queue) = join(&room, 64);
        let (bob, _bob_queue) = join(&room, 64);
        let request = NewStream {
            stream_id: None,
            name: "cam".into(),
            has_audio: true,
            has_video: true,
            video_type: None,
        };
        let stream = room.publish(alice, request).expect("alice publishes");
        let state = room.lock();
        assert_eq!(state.owned_stream(alice, stream.stream_id), Ok(0));
        assert_eq!(
            state
                .owned_stream(bob, stream.stream_id)
                .map_err(|e| e.code()),
            Err(403)
        );
        assert_eq!(
            state
                .owned_stream(alice, Uuid::new_v4())
                .map_err(|e| e.code()),
            Err(404)
        );
    }
}
