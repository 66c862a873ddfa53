//! The router's book of routed streams: per session, each stream's
//! publisher task and its subscriber tasks, as handles. A handle owns its
//! task's stop signal, so removing a handle from the book ends the task;
//! each carries a generation so a task that ends by itself only removes
//! its own entry, never a newer one for the same stream or subscriber.

use std::collections::HashMap;

use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

use super::publisher::PublisherCommand;
use super::subscriber::SubscriberCommand;
use crate::engine::hub::protocol::StreamView;
use crate::opentok::session_id::SessionId;

/// A running peer task, as its owner holds it.
#[derive(Debug)]
pub struct Handle<C> {
    /// Tells the entries of one stream or subscriber apart over time.
    pub generation: u64,
    /// The task's command queue.
    pub commands: mpsc::Sender<C>,
    /// Never read: dropping it (with the handle) ends the task.
    pub _stop: oneshot::Sender<()>,
}

/// One routed stream.
#[derive(Debug)]
pub struct RoutedStream {
    /// The stream as the session announces it.
    pub view: StreamView,
    /// The publisher's connection data.
    pub connection_data: Option<String>,
    /// The publisher task.
    pub publisher: Handle<PublisherCommand>,
    /// A subscriber task per subscribing connection.
    pub subscribers: HashMap<Uuid, Handle<SubscriberCommand>>,
}

/// Every routed stream, by session and stream id.
#[derive(Debug, Default)]
pub struct Routes {
    sessions: HashMap<SessionId, HashMap<Uuid, RoutedStream>>,
}

impl Routes {
    /// The session's routed streams.
    pub fn streams(&self, session: &SessionId) -> impl Iterator<Item = &RoutedStream> {
        self.sessions
            .get(session)
            .into_iter()
            .flat_map(|s| s.values())
    }

    /// One routed stream.
    pub fn stream_mut(
        &mut self,
        session: &SessionId,
        stream_id: Uuid,
    ) -> Option<&mut RoutedStream> {
        self.sessions.get_mut(session)?.get_mut(&stream_id)
    }

    /// Adds a stream (replacing, and so ending, an older entry of it).
    pub fn insert(&mut self, session: &SessionId, stream: RoutedStream) {
        let streams = self.sessions.entry(session.clone()).or_default();
        streams.insert(stream.view.stream_id, stream);
    }

    /// Removes a stream with its subscribers; with `generation`, only that entry.
    pub fn remove(
        &mut self,
        session: &SessionId,
        stream_id: Uuid,
        generation: Option<u64>,
    ) -> Option<RoutedStream> {
        let streams = self.sessions.get_mut(session)?;
        let current = streams.get(&stream_id)?.publisher.generation;
        if generation.is_some_and(|g| g != current) {
            return None;
        }
        let removed = streams.remove(&stream_id);
        if streams.is_empty() {
            self.sessions.remove(session);
        }
        removed
    }

    /// Removes a subscriber task; with `generation`, only that entry. The
    /// stream's publisher commands are returned, to detach its queue.
    pub fn unsubscribe(
        &mut self,
        session: &SessionId,
        stream_id: Uuid,
        subscriber: Uuid,
        generation: Option<u64>,
    ) -> Option<mpsc::Sender<PublisherCommand>> {
        let stream = self.stream_mut(session, stream_id)?;
        let current = stream.subscribers.get(&subscriber)?.generation;
        if generation.is_some_and(|g| g != current) {
            return None;
        }
        stream.subscribers.remove(&subscriber);
        Some(stream.publisher.commands.clone())
    }

    /// Everything of a connection that left: the streams it published
    /// (removed) and the streams it subscribed to (its tasks removed;
    /// their publishers' commands returned, to detach its queues).
    pub fn leave(
        &mut self,
        session: &SessionId,
        connection: Uuid,
    ) -> (Vec<RoutedStream>, Vec<mpsc::Sender<PublisherCommand>>) {
        let Some(streams) = self.sessions.get_mut(session) else {
            return (Vec::new(), Vec::new());
        };
        let published: Vec<Uuid> = streams
            .values()
            .filter(|s| s.view.connection_id == connection)
            .map(|s| s.view.stream_id)
            .collect();
        let gone: Vec<RoutedStream> = published
            .iter()
            .filter_map(|id| streams.remove(id))
            .collect();
        let detach = streams
            .values_mut()
            .filter_map(|s| {
                let had = s.subscribers.remove(&connection).is_some();
                had.then(|| s.publisher.commands.clone())
            })
            .collect();
        if streams.is_empty() {
            self.sessions.remove(session);
        }
        (gone, detach)
    }

    /// How many peer tasks the session has (publishers and subscribers).
    pub fn peers(&self, session: &SessionId) -> usize {
        self.streams(session).map(|s| 1 + s.subscribers.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opentok::model::MediaMode;
    use tokio::sync::oneshot::error::TryRecvError;

    fn handle<C>(generation: u64) -> (Handle<C>, oneshot::Receiver<()>) {
        let (commands, _) = mpsc::channel(1);
        let (stop, stopped) = oneshot::channel();
        let handle = Handle {
            generation,
            commands,
            _stop: stop,
        };
        (handle, stopped)
    }

    fn stream(owner: Uuid, generation: u64) -> (RoutedStream, oneshot::Receiver<()>) {
        let (publisher, stopped) = handle(generation);
        let view = StreamView {
            stream_id: Uuid::new_v4(),
            connection_id: owner,
            name: String::new(),
            has_audio: true,
            has_video: true,
            video_type: None,
            creation_time: 0,
        };
        let routed = RoutedStream {
            view,
            connection_data: None,
            publisher,
            subscribers: HashMap::new(),
        };
        (routed, stopped)
    }

    #[test]
    fn a_leaver_takes_its_streams_and_subscriptions_and_their_tasks_stop() {
        let session = SessionId::generate("123456", None, MediaMode::Routed);
        let (alice, bob) = (Uuid::new_v4(), Uuid::new_v4());
        let mut routes = Routes::default();
        let (a, mut a_stopped) = stream(alice, 1);
        let (b, _b_stopped) = stream(bob, 2);
        let (a_id, b_id) = (a.view.stream_id, b.view.stream_id);
        routes.insert(&session, a);
        routes.insert(&session, b);
        let (sub, mut sub_stopped) = handle(3);
        routes
            .stream_mut(&session, b_id)
            .expect("routed")
            .subscribers
            .insert(alice, sub);
        assert_eq!(routes.peers(&session), 3);
        assert_eq!(a_stopped.try_recv(), Err(TryRecvError::Empty));
        let (gone, detach) = routes.leave(&session, alice);
        assert_eq!(
            gone.iter().map(|s| s.view.stream_id).collect::<Vec<_>>(),
            [a_id]
        );
        assert_eq!(detach.len(), 1, "bob's publisher detaches alice's queue");
        drop(gone);
        let closed = Err(TryRecvError::Closed);
        assert_eq!(a_stopped.try_recv(), closed, "alice's publisher task stops");
        assert_eq!(
            sub_stopped.try_recv(),
            closed,
            "so does her subscriber task"
        );
        assert_eq!(routes.peers(&session), 1);
        assert!(routes.remove(&session, b_id, None).is_some());
        assert_eq!(routes.peers(&session), 0);
    }

    #[test]
    fn a_stale_generation_removes_nothing() {
        let session = SessionId::generate("123456", None, MediaMode::Routed);
        let mut routes = Routes::default();
        let (s, _stopped) = stream(Uuid::new_v4(), 7);
        let id = s.view.stream_id;
        routes.insert(&session, s);
        let subscriber = Uuid::new_v4();
        let (sub, _sub_stopped) = handle(8);
        routes
            .stream_mut(&session, id)
            .expect("routed")
            .subscribers
            .insert(subscriber, sub);
        assert!(routes
            .unsubscribe(&session, id, subscriber, Some(5))
            .is_none());
        assert!(routes
            .unsubscribe(&session, id, subscriber, Some(8))
            .is_some());
        assert!(
            routes.unsubscribe(&session, id, subscriber, None).is_none(),
            "already gone"
        );
        assert!(routes.remove(&session, id, Some(6)).is_none());
        assert!(routes.remove(&session, id, Some(7)).is_some());
        assert!(routes.remove(&session, id, None).is_none());
    }
}
