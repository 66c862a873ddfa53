//! A local session's life after `connect`: applying the hub's messages
//! (routing WebRTC negotiation to the publisher or subscriber it concerns),
//! noticing a dead link and reconnecting with backoff, and ending — by the
//! page's choice, by force, or when reconnection gives up.

use std::rc::Rc;

use futures::channel::mpsc::UnboundedReceiver;
use futures::StreamExt;
use gloo_timers::future::TimeoutFuture;

use super::{link, new_stream_id, Inner, BACKOFF_FIRST_MS, BACKOFF_MAX_MS, RECONNECT_BUDGET_MS};
use crate::hub_protocol::ServerMessage;
use crate::video::negotiation::Negotiation;
use crate::video::{Reason, SessionEvent, VideoError};

impl Inner {
    /// Handles the hub's messages until the session ends.
    pub(super) async fn run(self: Rc<Self>, mut incoming: UnboundedReceiver<ServerMessage>) {
        loop {
            while let Some(message) = incoming.next().await {
                self.dispatch(message);
            }
            let forced = {
                let mut state = self.state.borrow_mut();
                if state.left {
                    return;
                }
                state.lose_link();
                state.forced
            };
            if let Some(reason) = forced {
                self.finish(reason);
                return;
            }
            self.emit(vec![SessionEvent::Reconnecting]);
            match self.reconnect().await {
                Some(next) => incoming = next,
                None => {
                    self.finish(Reason::NetworkDisconnected);
                    return;
                }
            }
        }
    }

    /// Tries to get a new link with backoff; on success rebuilds the state.
    async fn reconnect(self: &Rc<Self>) -> Option<UnboundedReceiver<ServerMessage>> {
        let mut delay = BACKOFF_FIRST_MS;
        let mut waited = 0;
        while waited < RECONNECT_BUDGET_MS {
            TimeoutFuture::new(delay).await;
            waited += delay;
            delay = (delay * 2).min(BACKOFF_MAX_MS);
            if self.state.borrow().left {
                return None;
            }
            match link::open(&self.session_id, &self.token).await {
                Ok((link, welcome, incoming)) => {
                    let (events, subscribers, publishers) = {
                        let mut state = self.state.borrow_mut();
                        let (subscribers, publishers) = state.take_media();
                        (state.resume(link, welcome), subscribers, publishers)
                    };
                    for subscriber in subscribers {
                        subscriber.close(false);
                    }
                    for publisher in publishers {
                        publisher.restart(new_stream_id());
                        self.state
                            .borrow_mut()
                            .publishers
                            .insert(publisher.stream_id(), publisher.clone());
                        self.send(publisher.announcement(None));
                    }
                    self.emit(events);
                    return Some(incoming);
                }
                // The token expired or the session is gone: stop trying.
                Err(VideoError::Refused { .. }) => return None,
                Err(_) => {}
            }
        }
        None
    }

    /// Applies one hub message.
    fn dispatch(self: &Rc<Self>, message: ServerMessage) {
        if let ServerMessage::Rtc {
            from,
            stream_id,
            payload,
        } = message
        {
            let Ok(negotiation) = serde_json::from_value::<Negotiation>(payload) else {
                return;
            };
            let (publisher, subscriber) = {
                let state = self.state.borrow();
                (
                    state.publishers.get(&stream_id).cloned(),
                    state.subscribers.get(&stream_id).cloned(),
                )
            };
            if let Some(publisher) = publisher {
                publisher.handle(from, negotiation);
            } else if let Some(subscriber) = subscriber {
                subscriber.handle(negotiation);
            }
            return;
        }
        let outcome = self.state.borrow_mut().apply(message);
        for connection in &outcome.departed {
            let publishers: Vec<_> = self.state.borrow().publishers.values().cloned().collect();
            for publisher in publishers {
                publisher.drop_peer(connection);
            }
        }
        for stream_id in &outcome.ended_streams {
            let subscriber = self.state.borrow().subscribers.get(stream_id).cloned();
            if let Some(subscriber) = subscriber {
                subscriber.close(false);
            }
        }
        self.emit(outcome.events);
    }

    /// Ends the session for good and says why.
    fn finish(&self, reason: Reason) {
        self.emit(vec![SessionEvent::Disconnected { reason }]);
        self.leave();
    }

    /// Leaves: closes the media and the link; no more events.
    pub(super) fn leave(&self) {
        let (subscribers, publishers) = {
            let mut state = self.state.borrow_mut();
            state.left = true;
            state.lose_link();
            state.take_media()
        };
        for subscriber in subscribers {
            subscriber.close(false);
        }
        for publisher in publishers {
            publisher.close();
        }
    }
}
