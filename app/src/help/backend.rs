//! What the representatives' pages' server functions need from the server,
//! as a trait the server implements and provides in the Leptos context
//! (`Arc<dyn HelpBackend>`). The caller is an already authenticated
//! [`Account`]; the server decides every queue change atomically and pushes
//! the resulting [`HelpEvent`](super::HelpEvent)s over the hub.

use std::sync::Arc;

use async_trait::async_trait;
use thiserror::Error;

use super::model::{Assignment, HelpMetrics, HelpRecord};
use crate::accounts::Account;
use crate::models::RoomCredentials;
use crate::server_errors::Refusal;

/// Why a help request was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum HelpError {
    /// Bad input. (400)
    #[error("{0}")]
    Invalid(String),
    /// Not this representative's customer. (403)
    #[error("that customer is not yours")]
    Forbidden,
    /// No such help session. (404)
    #[error("no such help session")]
    NotFound,
    /// Does not fit the current state, e.g. asking for a customer while in
    /// a call. (409)
    #[error("{0}")]
    Conflict(String),
    /// The store or the media platform failed. (503)
    #[error("customer service is unavailable: {0}")]
    Unavailable(String),
}

impl Refusal for HelpError {
    fn status(&self) -> u16 {
        match self {
            HelpError::Invalid(_) => 400,
            HelpError::Forbidden => 403,
            HelpError::NotFound => 404,
            HelpError::Conflict(_) => 409,
            HelpError::Unavailable(_) => 503,
        }
    }
}

/// The answer to "next customer".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextCustomer {
    /// Someone was waiting: here they are.
    Assigned(Assignment),
    /// Nobody waits; the representative is now ready and will get a
    /// [`HelpEvent::Assigned`](super::HelpEvent::Assigned) over the hub.
    Ready,
}

/// The server side of customer service for representatives.
#[async_trait]
pub trait HelpBackend: Send + Sync + 'static {
    /// The representative's credentials for the help hub session (their
    /// connection data names their account).
    async fn rep_hub(&self, rep: &Account) -> Result<RoomCredentials, HelpError>;

    /// Takes the first waiting customer (FIFO, atomically), or marks the
    /// representative ready for the next one to arrive.
    async fn next_customer(&self, rep: &Account) -> Result<NextCustomer, HelpError>;

    /// The representative no longer wants a customer (idempotent).
    async fn stop_waiting(&self, rep: &Account) -> Result<(), HelpError>;

    /// The representative ends their call with this customer (`served`).
    async fn end_call(&self, rep: &Account, session_id: &str) -> Result<(), HelpError>;

    /// The customer's video did not arrive in time (`skipped`).
    async fn skip(&self, rep: &Account, session_id: &str) -> Result<(), HelpError>;

    /// How many customers wait now.
    async fn waiting(&self) -> Result<u32, HelpError>;

    /// The metrics over the last 24 hours.
    async fn metrics(&self) -> Result<HelpMetrics, HelpError>;

    /// The most recent help sessions, newest first.
    async fn history(&self, limit: u32, offset: u32) -> Result<Vec<HelpRecord>, HelpError>;
}

/// The handle server functions take from the context.
pub type SharedHelp = Arc<dyn HelpBackend>;
