//! The video client: one Rust API for live video in the browser with two
//! backends — `local` (our hub over a WebSocket plus browser-to-browser
//! WebRTC) and `opentok` (OpenTok.js through wasm-bindgen, served by our
//! server). The server says which one a page uses; the pages never know.
//!
//! The vocabulary ([`types`]) and errors compile everywhere; everything that
//! touches the browser exists only in the `hydrate` build.

mod error;
pub mod negotiation;
mod types;

#[cfg(feature = "hydrate")]
pub mod devices;
#[cfg(feature = "hydrate")]
mod local;
#[cfg(feature = "hydrate")]
mod opentok;
#[cfg(feature = "hydrate")]
mod session;

pub use error::VideoError;
pub use types::{
    Backend, Connection, IceServer, PublishOptions, Reason, SessionConfig, SessionEvent,
    StreamInfo, StreamProperty, VideoType,
};

#[cfg(feature = "hydrate")]
pub use session::{EventHandler, Publisher, Session, Subscriber};
