//! Starting and ending peer tasks: each gets a socket from the pool, a
//! fresh `Rtc` with the announced host candidates, a handle in the book
//! ([`Routes`](super::routes::Routes)) and, when it ends by itself, removes
//! its own entry again (by generation).

use std::sync::atomic::Ordering;
use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

use super::fanout::{Forwarded, SUBSCRIBER_QUEUE};
use super::peer::{self, Ending, Inbox, Link, Role};
use super::publisher::{Publisher, PublisherCommand};
use super::routes::{Handle, RoutedStream};
use super::signalling::Line;
use super::subscriber::Subscriber;
use super::{send, MediaError, MediaRouter, Signalling, TapEvent, COMMAND_QUEUE};
use crate::engine::hub::protocol::StreamView;
use crate::opentok::session_id::SessionId;

impl MediaRouter {
    /// A stream of a routed session was published: starts its publisher
    /// peer connection, which asks the browser (through `signals`) to offer.
    pub fn stream_published(
        &self,
        signals: Arc<dyn Signalling>,
        session: &SessionId,
        stream: StreamView,
        connection_data: Option<String>,
    ) -> Result<(), MediaError> {
        let link = self.link()?;
        let line = Line::new(
            signals,
            session.clone(),
            stream.connection_id,
            stream.stream_id,
        );
        let (handle, inbox) = self.handle(None);
        let generation = handle.generation;
        let stream_id = stream.stream_id;
        {
            let mut routes = self.routes();
            let started = TapEvent::StreamStarted {
                stream: stream.clone(),
                connection_data: connection_data.clone(),
            };
            self.inner.taps.emit(session, started);
            routes.insert(
                session,
                RoutedStream {
                    view: stream,
                    connection_data,
                    publisher: handle,
                    subscribers: Default::default(),
                },
            );
        }
        let role = Publisher::new(line, self.clone());
        let router = self.clone();
        let session = session.clone();
        self.spawn(link, role, inbox, move |ending| {
            tracing::debug!(stream = %stream_id, ?ending, "publisher peer ended");
            router.end_stream(&session, stream_id, Some(generation));
        });
        Ok(())
    }

    /// Starts a subscriber peer of `stream_id` for connection `subscriber`
    /// (replacing, and so ending, an older one).
    pub(super) fn subscribe(
        &self,
        signals: Arc<dyn Signalling>,
        session: &SessionId,
        subscriber: Uuid,
        stream_id: Uuid,
    ) -> Result<(), MediaError> {
        let link = self.link()?;
        let (frames, frames_inbox) = mpsc::channel(SUBSCRIBER_QUEUE);
        let (handle, inbox) = self.handle(Some(frames_inbox));
        let generation = handle.generation;
        let (publisher, offers_video) = {
            let mut routes = self.routes();
            let stream = routes
                .stream_mut(session, stream_id)
                .ok_or(MediaError::NotRouted(stream_id))?;
            // A stream published with a video track says what kind it is;
            // muted video (hasVideo false) still has its track.
            let offers_video = stream.view.video_type.is_some() || stream.view.has_video;
            send(
                &stream.publisher.commands,
                PublisherCommand::Attach { subscriber, frames },
            )?;
            stream.subscribers.insert(subscriber, handle);
            (stream.publisher.commands.clone(), offers_video)
        };
        let line = Line::new(signals, session.clone(), subscriber, stream_id);
        let router = self.clone();
        let session = session.clone();
        self.spawn(
            link,
            Subscriber::new(line, publisher, offers_video),
            inbox,
            move |ending| {
                tracing::debug!(stream = %stream_id, ?ending, "subscriber peer ended");
                router.unsubscribe(&session, stream_id, subscriber, Some(generation));
            },
        );
        Ok(())
    }

    pub(super) fn unsubscribe(
        &self,
        session: &SessionId,
        stream_id: Uuid,
        subscriber: Uuid,
        generation: Option<u64>,
    ) {
        let publisher = self
            .routes()
            .unsubscribe(session, stream_id, subscriber, generation);
        if let Some(publisher) = publisher {
            let _ = publisher.try_send(PublisherCommand::Detach(subscriber));
        }
    }

    pub(super) fn end_stream(&self, session: &SessionId, stream_id: Uuid, generation: Option<u64>) {
        let removed = self.routes().remove(session, stream_id, generation);
        if removed.is_some() {
            self.inner
                .taps
                .emit(session, TapEvent::StreamEnded { stream_id });
        }
    }

    /// A socket from the pool, with a host candidate per announced address.
    fn link(&self) -> Result<Link, MediaError> {
        let socket = self.inner.ports.bind()?;
        Ok(Link::new(socket, self.inner.announced.clone())?)
    }

    /// A new task handle and the inbox its task reads.
    fn handle<C>(&self, frames: Option<mpsc::Receiver<Arc<Forwarded>>>) -> (Handle<C>, Inbox<C>) {
        let (commands, command_inbox) = mpsc::channel(COMMAND_QUEUE);
        let (stop, stopped) = oneshot::channel();
        let generation = self.inner.generations.fetch_add(1, Ordering::Relaxed);
        let handle = Handle {
            generation,
            commands,
            _stop: stop,
        };
        let inbox = Inbox {
            commands: command_inbox,
            frames,
            stop: stopped,
        };
        (handle, inbox)
    }

    /// Runs a peer task; `ended` is called with how it ended.
    fn spawn<R: Role>(
        &self,
        link: Link,
        role: R,
        inbox: Inbox<R::Command>,
        ended: impl FnOnce(Ending) + Send + 'static,
    ) {
        let mut rtc = peer::new_rtc();
        link.add_candidates(&mut rtc);
        tokio::spawn(async move {
            let ending = peer::run(rtc, link, role, inbox).await;
            if let Ending::Failed(err) = &ending {
                tracing::info!(%err, "a media peer connection failed");
            }
            ended(ending);
        });
    }
}
