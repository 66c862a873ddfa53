//! Rendezvous server: the axum application that serves the Leptos pages, the
//! seed HTTP contracts, and the embedded OpenTok-compatible media engine.
//!
//! Layout:
//! - [`config`]: command-line / environment configuration (clap + dotenvy).
//! - [`opentok`]: the OpenTok server SDK — session ids, client tokens and their
//!   verifier, REST authentication and the REST client.
//! - [`engine`]: the embedded engine's OpenTok-compatible REST API.
//! - [`store`]: persistence behind a trait (SQLite by default).
//! - [`provider`]: the media-provider interface with its `local` (embedded
//!   engine) and `opentok` (Vonage / OpenTok cloud) implementations.
//! - [`presence`]: seed 000's presence chat — state machine, identity
//!   cookie, hub events and routes (`/presence`, `/users`, `/chats`).
//! - [`rooms`]: seed 001's routes (`/room/:name`, `/session`, `/archive/...`).
//! - [`startup`]: wiring everything into one router and serving it.

pub mod config;
pub mod engine;
pub mod opentok;
pub mod presence;
pub mod provider;
pub mod rooms;
pub mod startup;
pub mod store;
pub mod telemetry;
