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
//! - [`help`]: seed 002's customer-service queue — the SQL-decided queue,
//!   the help hub's events, routes (`/help/session`, `/help/queue`).
//! - [`accounts`]: staff accounts — argon2 passwords, session JWTs
//!   (cookie or bearer), `/api-token-auth/` and `/api/accounts`.
//! - [`key_file`]: owner-only secret files and signing keys in the data
//!   directory.
//! - [`startup`]: wiring everything into one router and serving it.

pub mod accounts;
pub mod config;
pub mod engine;
pub mod help;
pub mod key_file;
pub mod opentok;
pub mod presence;
pub mod provider;
pub mod rooms;
pub mod startup;
pub mod store;
pub mod telemetry;
