//! What one joined OpenTok.js session holds on the Rust side: the
//! `OT.Session`, its event handlers (which feed the page's callback), the
//! `OT.Stream` / `OT.Connection` objects seen so far (`subscribe` and
//! targeted signals must hand them back to OpenTok.js), this client's
//! publishers, and the rules for leaving it exactly once.
//!
//! OpenTok.js keeps one `Session` object per session id and silently
//! ignores `connect` on a session that is already connecting or connected,
//! so a page may hold at most one live [`SessionState`] per session id.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::rc::{Rc, Weak};

use leptos::logging::warn;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use super::errors::{video_error, Operation};
use super::events::{self, OtEventName};
use super::ffi;
use super::handles::destroy_publisher;
use crate::video::session::EventHandler;
use crate::video::VideoError;

/// An event handler registered with `session.on`, kept to `off` it again.
type Listener = (OtEventName, Closure<dyn FnMut(ffi::Event)>);

thread_local! {
    /// Session ids a [`SessionState`] of this page holds.
    static IN_USE: RefCell<HashSet<String>> = RefCell::default();
}

/// One session of this page; see the module documentation.
pub(super) struct SessionState {
    session_id: String,
    /// The `OT.Session`.
    pub(super) session: ffi::Session,
    on_event: EventHandler,
    /// Streams of others, by stream id.
    streams: RefCell<HashMap<String, ffi::Stream>>,
    /// Connections of others, by connection id.
    connections: RefCell<HashMap<String, ffi::Connection>>,
    /// This client's publishers, destroyed when leaving.
    publishers: RefCell<Vec<ffi::Publisher>>,
    /// The registered event handlers; they live as long as the state.
    listeners: RefCell<Vec<Listener>>,
    /// Set when leaving: no further events are delivered.
    closed: Cell<bool>,
    /// Set once OpenTok.js reported the session over (or we disconnected
    /// it): the `OT.Session` may then belong to a newer state.
    ended: Cell<bool>,
}

impl SessionState {
    /// Claims `session_id` for this page and listens to `session`'s events.
    /// Refused (409) while another state of this page holds the id.
    pub(super) fn new(
        session_id: String,
        session: ffi::Session,
        on_event: EventHandler,
    ) -> Result<Rc<SessionState>, VideoError> {
        if !IN_USE.with(|ids| ids.borrow_mut().insert(session_id.clone())) {
            return Err(VideoError::Refused {
                code: 409,
                message: format!("this page is already in session {session_id}"),
            });
        }
        // From here on, dropping the state releases the id again.
        let state = Rc::new(SessionState {
            session_id,
            session,
            on_event,
            streams: RefCell::default(),
            connections: RefCell::default(),
            publishers: RefCell::default(),
            listeners: RefCell::default(),
            closed: Cell::new(false),
            ended: Cell::new(false),
        });
        for name in OtEventName::ALL {
            let weak: Weak<SessionState> = Rc::downgrade(&state);
            let handler = Closure::<dyn FnMut(ffi::Event)>::new(move |event: ffi::Event| {
                if let Some(state) = weak.upgrade() {
                    state.dispatch(name, &event);
                }
            });
            state
                .session
                .on(name.as_str(), handler.as_ref().unchecked_ref())
                .map_err(|error| video_error(&error, Operation::Connect))?;
            state.listeners.borrow_mut().push((name, handler));
        }
        Ok(state)
    }

    /// Keeps the stream and connection maps current and reports `event`.
    fn dispatch(&self, name: OtEventName, event: &ffi::Event) {
        if self.closed.get() {
            return;
        }
        match name {
            OtEventName::StreamCreated | OtEventName::StreamDestroyed => {
                if let Some(stream) = event.stream() {
                    let mut streams = self.streams.borrow_mut();
                    if name == OtEventName::StreamCreated {
                        streams.insert(stream.stream_id(), stream);
                    } else {
                        streams.remove(&stream.stream_id());
                    }
                }
            }
            OtEventName::ConnectionCreated | OtEventName::ConnectionDestroyed => {
                if let Some(connection) = event.connection() {
                    let mut connections = self.connections.borrow_mut();
                    if name == OtEventName::ConnectionCreated {
                        connections.insert(connection.connection_id(), connection);
                    } else {
                        connections.remove(&connection.connection_id());
                    }
                }
            }
            OtEventName::SessionDisconnected => self.end(),
            _ => {}
        }
        let own = self.own_connection_id();
        match events::session_event(name, event, own.as_deref()) {
            // No borrow is held here: the page may call back into the session.
            Ok(Some(translated)) => (self.on_event)(translated),
            Ok(None) => {}
            Err(error) => warn!("ignoring an OpenTok.js event: {error}"),
        }
    }

    /// This client's connection id, while connected.
    pub(super) fn own_connection_id(&self) -> Option<String> {
        self.session
            .connection()
            .map(|connection| connection.connection_id())
    }

    /// `Err(NotConnected)` once left.
    pub(super) fn ensure_open(&self) -> Result<(), VideoError> {
        if self.closed.get() {
            Err(VideoError::NotConnected)
        } else {
            Ok(())
        }
    }

    /// Whether the page left (or dropped) the session.
    pub(super) fn is_closed(&self) -> bool {
        self.closed.get()
    }

    /// The `OT.Stream` of a stream of others.
    pub(super) fn stream(&self, id: &str) -> Result<ffi::Stream, VideoError> {
        self.streams
            .borrow()
            .get(id)
            .cloned()
            .ok_or_else(|| VideoError::Refused {
                code: 404,
                message: format!("stream {id} is not in the session"),
            })
    }

    /// The `OT.Connection` with id `id` (this client's own included).
    pub(super) fn connection(&self, id: &str) -> Result<ffi::Connection, VideoError> {
        if let Some(own) = self.session.connection() {
            if own.connection_id() == id {
                return Ok(own);
            }
        }
        self.connections
            .borrow()
            .get(id)
            .cloned()
            .ok_or_else(|| VideoError::Refused {
                code: 404,
                message: format!("connection {id} is not in the session"),
            })
    }

    /// Remembers a publisher to destroy when leaving.
    pub(super) fn add_publisher(&self, publisher: ffi::Publisher) {
        self.publishers.borrow_mut().push(publisher);
    }

    /// The session is over for OpenTok.js: the id is free for a new connect.
    fn end(&self) {
        if !self.ended.replace(true) {
            IN_USE.with(|ids| ids.borrow_mut().remove(&self.session_id));
        }
    }

    /// Leaves, once: removes our handlers, destroys our publishers and —
    /// unless OpenTok.js already ended it — disconnects the session.
    pub(super) fn close(&self) {
        if self.closed.replace(true) {
            return;
        }
        for (name, handler) in self.listeners.borrow().iter() {
            let _ = self
                .session
                .off(name.as_str(), handler.as_ref().unchecked_ref());
        }
        for publisher in self.publishers.borrow_mut().drain(..) {
            destroy_publisher(&publisher);
        }
        self.streams.borrow_mut().clear();
        self.connections.borrow_mut().clear();
        if !self.ended.get() {
            if let Err(error) = self.session.disconnect() {
                warn!("OpenTok.js session.disconnect() failed: {error:?}");
            }
            self.end();
        }
    }
}

impl Drop for SessionState {
    /// A session nobody holds any more is left, so OpenTok.js never calls
    /// a handler that is gone.
    fn drop(&mut self) {
        self.close();
    }
}
