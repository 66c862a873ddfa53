//! Customer service (seed 002): the shared models ([`model`]), the events the
//! server pushes over the hub ([`events`]) and, on the server side, the
//! interface the representatives' server functions call ([`backend`]).
//!
//! Customers use seed 002's HTTP routes (`POST /help/session`,
//! `POST /help/queue`, `DELETE /help/queue/{queueId}`); representatives sign
//! in and use server functions (or, for API clients, `DELETE /help/queue`
//! with a bearer token). Both also join the *help hub session* on our
//! embedded engine (in both provider modes), where the server tells each
//! customer their queue position and each representative the queue length
//! and their assignments.

#[cfg(feature = "ssr")]
pub mod backend;
pub mod events;
pub mod model;

pub use events::{HelpEvent, HELP_SIGNAL};
pub use model::{
    Assignment, HelpMetrics, HelpRecord, HelpSessionCreated, HourCount, Outcome, OutcomeCounts,
    ProblemError, ProblemText, QueueId, QueuePosition,
};
