//! What every presence server function does first (server side only): find
//! the presence backend in the Leptos context and identify the caller from
//! the identity cookie. Refusals leave through
//! [`refused`](crate::server_errors::refused).

use leptos::prelude::*;

use crate::presence::backend::SharedPresence;
use crate::presence::LocalUser;
pub use crate::server_errors::refused;
use crate::server_errors::{cookie_header, request_headers};

/// The person calling a server function, and the backend to act with.
pub struct Caller {
    /// The server's presence service.
    pub presence: SharedPresence,
    /// Who is calling (from the identity cookie).
    pub user: LocalUser,
}

impl Caller {
    /// Identifies the caller of the running server function.
    pub async fn identify() -> Result<Caller, ServerFnError> {
        let presence = use_context::<SharedPresence>()
            .ok_or_else(|| ServerFnError::new("presence chat is not available on this server"))?;
        let headers = request_headers().await?;
        let user = presence
            .identify(&cookie_header(&headers))
            .map_err(refused)?;
        Ok(Caller { presence, user })
    }
}
