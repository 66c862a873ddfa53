//! Presence chat (seed 000), decided on the server: who is online and in
//! which state, invitations and 1:1 chats. Browsers join the presence
//! session of our realtime hub with a token whose connection data names
//! them (`{"name","userId"}`); the server watches joins and leaves, decides
//! every state change in one place and pushes the results as `presence`
//! signals (`from: null`), so two browsers can never disagree.
//!
//! - [`machine`]: the pure, synchronous state machine.
//! - [`service`]: [`PresenceService`] — the machine behind one mutex, the
//!   hub observer, deliveries, ring timers, platform calls; it implements
//!   the pages' [`PresenceBackend`](app::presence::backend::PresenceBackend).
//! - [`identity`]: the signed identity cookie.
//! - [`routes`]: seed 000's HTTP contract (`/presence`, `/users`, `/chats`).

pub mod identity;
pub mod machine;
pub mod routes;
pub mod service;

pub use identity::IdentityKeys;
pub use service::{PresenceService, StartError, RING_TIMEOUT};
