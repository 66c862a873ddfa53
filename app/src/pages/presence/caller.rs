//! What every presence server function does first (server side only): find
//! the presence backend in the Leptos context and identify the caller from
//! the identity cookie; and how a [`PresenceError`] leaves a server
//! function — its message in a [`ServerFnError`], its status on the HTTP
//! response.

use leptos::prelude::*;

use crate::presence::backend::{PresenceError, SharedPresence};
use crate::presence::LocalUser;

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
        let headers = leptos_axum::extract::<http::HeaderMap>()
            .await
            .map_err(|error| ServerFnError::new(error.to_string()))?;
        let user = presence
            .identify(&cookie_header(&headers))
            .map_err(refused)?;
        Ok(Caller { presence, user })
    }
}

/// All `Cookie` headers as one value (HTTP/2 may split them).
fn cookie_header(headers: &http::HeaderMap) -> String {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Turns a refusal into the server function's error, setting the response's
/// HTTP status to the error's.
pub fn refused(error: PresenceError) -> ServerFnError {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(status) = http::StatusCode::from_u16(error.status()) {
            response.set_status(status);
        }
    }
    ServerFnError::new(error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use leptos::reactive::owner::Owner;

    #[test]
    fn refusals_carry_message_and_status() {
        let owner = Owner::new();
        owner.with(|| {
            let response = leptos_axum::ResponseOptions::default();
            provide_context(response.clone());
            let error = refused(PresenceError::Conflict("you are already inviting".into()));
            assert_eq!(error, ServerFnError::new("you are already inviting"));
            assert_eq!(
                response.0.read().unwrap().status,
                Some(http::StatusCode::CONFLICT)
            );
            refused(PresenceError::Forbidden);
            assert_eq!(
                response.0.read().unwrap().status,
                Some(http::StatusCode::FORBIDDEN)
            );
        });
    }

    #[test]
    fn split_cookie_headers_are_joined() {
        let mut headers = http::HeaderMap::new();
        headers.append(http::header::COOKIE, "a=1".parse().unwrap());
        headers.append(http::header::COOKIE, "rendezvous_id=x.y.z".parse().unwrap());
        assert_eq!(cookie_header(&headers), "a=1; rendezvous_id=x.y.z");
        assert_eq!(cookie_header(&http::HeaderMap::new()), "");
    }
}
