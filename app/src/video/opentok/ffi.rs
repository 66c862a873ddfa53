//! wasm-bindgen declarations of the part of OpenTok.js (`window.OT`, npm
//! `@opentok/client` 2.35) this backend uses: `OT.initSession` /
//! `OT.initPublisher`, the `Session`, `Publisher` and `Subscriber` methods,
//! and getters of the value objects (`Stream`, `Connection`) and of the
//! event objects OpenTok.js dispatches.
//!
//! Calls that OpenTok.js may answer with an exception are declared `catch`,
//! so a throw becomes an `Err` instead of unwinding through Rust frames.
//! Getters whose value OpenTok.js itself produces are typed; values another
//! client chose (signal data, `newValue`) stay `JsValue` and are checked
//! where they are read.

use js_sys::{Function, Object};
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

#[wasm_bindgen]
extern "C" {
    /// `OT.Session`: one session, connected or not.
    #[derive(Debug, Clone)]
    pub type Session;

    /// `OT.initSession(apiKey, sessionId)`.
    #[wasm_bindgen(js_namespace = OT, js_name = initSession, catch)]
    pub fn init_session(api_key: &str, session_id: &str) -> Result<Session, JsValue>;

    /// `session.connect(token, callback(error?))`.
    #[wasm_bindgen(method, catch)]
    pub fn connect(this: &Session, token: &str, callback: &Function) -> Result<(), JsValue>;

    /// `session.disconnect()`.
    #[wasm_bindgen(method, catch)]
    pub fn disconnect(this: &Session) -> Result<(), JsValue>;

    /// `session.on(event, handler)`.
    #[wasm_bindgen(method, catch)]
    pub fn on(this: &Session, event: &str, handler: &Function) -> Result<(), JsValue>;

    /// `session.off(event, handler)`.
    #[wasm_bindgen(method, catch)]
    pub fn off(this: &Session, event: &str, handler: &Function) -> Result<(), JsValue>;

    /// `session.signal({type, data, to?}, callback(error?))`.
    #[wasm_bindgen(method, catch)]
    pub fn signal(this: &Session, signal: &Object, callback: &Function) -> Result<(), JsValue>;

    /// `session.publish(publisher, callback(error?))`.
    #[wasm_bindgen(method, catch)]
    pub fn publish(
        this: &Session,
        publisher: &Publisher,
        callback: &Function,
    ) -> Result<(), JsValue>;

    /// `session.unpublish(publisher)`.
    #[wasm_bindgen(method, catch)]
    pub fn unpublish(this: &Session, publisher: &Publisher) -> Result<(), JsValue>;

    /// `session.subscribe(stream, target, properties, callback(error?))`.
    #[wasm_bindgen(method, catch)]
    pub fn subscribe(
        this: &Session,
        stream: &Stream,
        target: &HtmlElement,
        properties: &JsValue,
        callback: &Function,
    ) -> Result<Subscriber, JsValue>;

    /// `session.unsubscribe(subscriber)`.
    #[wasm_bindgen(method, catch)]
    pub fn unsubscribe(this: &Session, subscriber: &Subscriber) -> Result<JsValue, JsValue>;

    /// `session.connection`: this client's connection, once connected.
    #[wasm_bindgen(method, getter)]
    pub fn connection(this: &Session) -> Option<Connection>;

    /// `session.capabilities`, once connected.
    #[wasm_bindgen(method, getter)]
    pub fn capabilities(this: &Session) -> Option<Capabilities>;

    /// `session.capabilities`: what the token allows (numbers, 1 = allowed).
    #[derive(Debug, Clone)]
    pub type Capabilities;

    /// `capabilities.publish` (1 when allowed).
    #[wasm_bindgen(method, getter)]
    pub fn publish(this: &Capabilities) -> JsValue;

    /// `OT.Publisher`: this client's camera and microphone.
    #[derive(Debug, Clone)]
    pub type Publisher;

    /// `OT.initPublisher(target, properties, callback(error?))`.
    #[wasm_bindgen(js_namespace = OT, js_name = initPublisher, catch)]
    pub fn init_publisher(
        target: &HtmlElement,
        properties: &JsValue,
        callback: &Function,
    ) -> Result<Publisher, JsValue>;

    /// `publisher.publishAudio(on)`.
    #[wasm_bindgen(method, js_name = publishAudio, catch)]
    pub fn publish_audio(this: &Publisher, on: bool) -> Result<(), JsValue>;

    /// `publisher.publishVideo(on)`.
    #[wasm_bindgen(method, js_name = publishVideo, catch)]
    pub fn publish_video(this: &Publisher, on: bool) -> Result<(), JsValue>;

    /// `publisher.destroy()`: stops publishing and releases the devices.
    #[wasm_bindgen(method, catch)]
    pub fn destroy(this: &Publisher) -> Result<(), JsValue>;

    /// `publisher.stream`, once published.
    #[wasm_bindgen(method, getter)]
    pub fn stream(this: &Publisher) -> Option<Stream>;

    /// `OT.Subscriber`: a received stream.
    #[derive(Debug, Clone)]
    pub type Subscriber;

    /// `OT.Stream`.
    #[derive(Debug, Clone)]
    pub type Stream;

    /// `stream.streamId`.
    #[wasm_bindgen(method, getter, js_name = streamId)]
    pub fn stream_id(this: &Stream) -> String;

    /// `stream.connection`: who publishes it.
    #[wasm_bindgen(method, getter)]
    pub fn connection(this: &Stream) -> Option<Connection>;

    /// `stream.name`.
    #[wasm_bindgen(method, getter)]
    pub fn name(this: &Stream) -> Option<String>;

    /// `stream.hasAudio`.
    #[wasm_bindgen(method, getter, js_name = hasAudio)]
    pub fn has_audio(this: &Stream) -> Option<bool>;

    /// `stream.hasVideo`.
    #[wasm_bindgen(method, getter, js_name = hasVideo)]
    pub fn has_video(this: &Stream) -> Option<bool>;

    /// `stream.videoType`: `camera`, `screen`, `custom`, or none for audio only.
    #[wasm_bindgen(method, getter, js_name = videoType)]
    pub fn video_type(this: &Stream) -> Option<String>;

    /// `OT.Connection`.
    #[derive(Debug, Clone)]
    pub type Connection;

    /// `connection.connectionId`.
    #[wasm_bindgen(method, getter, js_name = connectionId)]
    pub fn connection_id(this: &Connection) -> String;

    /// `connection.data`: the token's connection data.
    #[wasm_bindgen(method, getter)]
    pub fn data(this: &Connection) -> Option<String>;

    /// `connection.creationTime`, epoch milliseconds.
    #[wasm_bindgen(method, getter, js_name = creationTime)]
    pub fn creation_time(this: &Connection) -> Option<f64>;

    /// Any event a `Session` dispatches; which getters are set depends on
    /// the event (`ConnectionEvent`, `StreamEvent`, `SignalEvent`, …).
    #[derive(Debug, Clone)]
    pub type Event;

    /// `event.type`, e.g. `streamCreated` or `signal:chat`.
    #[wasm_bindgen(method, getter, js_name = type)]
    pub fn kind(this: &Event) -> Option<String>;

    /// `event.connection` (connection events).
    #[wasm_bindgen(method, getter)]
    pub fn connection(this: &Event) -> Option<Connection>;

    /// `event.stream` (stream events).
    #[wasm_bindgen(method, getter)]
    pub fn stream(this: &Event) -> Option<Stream>;

    /// `event.reason` (destroyed / disconnected events).
    #[wasm_bindgen(method, getter)]
    pub fn reason(this: &Event) -> Option<String>;

    /// `event.changedProperty` (`streamPropertyChanged`).
    #[wasm_bindgen(method, getter, js_name = changedProperty)]
    pub fn changed_property(this: &Event) -> Option<String>;

    /// `event.newValue` (`streamPropertyChanged`).
    #[wasm_bindgen(method, getter, js_name = newValue)]
    pub fn new_value(this: &Event) -> JsValue;

    /// `event.data` (`signal`), whatever the sender put there.
    #[wasm_bindgen(method, getter)]
    pub fn data(this: &Event) -> JsValue;

    /// `event.from` (`signal`); absent when the server sent it.
    #[wasm_bindgen(method, getter)]
    pub fn from(this: &Event) -> Option<Connection>;

    /// `event.id` (`archiveStarted` / `archiveStopped`): the archive's id.
    #[wasm_bindgen(method, getter)]
    pub fn id(this: &Event) -> Option<String>;

    /// `event.name` (`archiveStarted`): the archive's name, if any.
    #[wasm_bindgen(method, getter)]
    pub fn name(this: &Event) -> Option<String>;
}
