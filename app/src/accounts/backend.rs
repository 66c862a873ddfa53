//! What the staff pages' server functions need from the server, as a trait
//! the server implements and provides in the Leptos context
//! (`Arc<dyn AccountsBackend>`): who is signed in (session cookie or
//! `Authorization: Bearer`), signing in and out.

use std::sync::Arc;

use async_trait::async_trait;
use thiserror::Error;

use super::Account;
use crate::server_errors::Refusal;

/// Why a sign-in or an authenticated request was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AuthError {
    /// No valid session cookie or bearer token. (401)
    #[error("sign in first")]
    NotSignedIn,
    /// Wrong username or password (deliberately not saying which). (400,
    /// as seed 003's `/api-token-auth/`)
    #[error("Unable to sign in with the username and password given.")]
    BadCredentials,
    /// Signed in, but the account may not do this. (403)
    #[error("your account may not do that")]
    Forbidden,
    /// Malformed input. (400)
    #[error("{0}")]
    Invalid(String),
    /// The account store failed. (503)
    #[error("accounts are unavailable: {0}")]
    Unavailable(String),
}

impl Refusal for AuthError {
    fn status(&self) -> u16 {
        match self {
            AuthError::NotSignedIn => 401,
            AuthError::BadCredentials | AuthError::Invalid(_) => 400,
            AuthError::Forbidden => 403,
            AuthError::Unavailable(_) => 503,
        }
    }
}

/// A successful sign-in.
pub struct SignedIn {
    /// Who.
    pub account: Account,
    /// The session JWT (for `Authorization: Bearer` and the cookie).
    pub token: String,
    /// The `Set-Cookie` header value that stores it in a browser.
    pub set_cookie: String,
}

impl std::fmt::Debug for SignedIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignedIn")
            .field("account", &self.account)
            .finish_non_exhaustive()
    }
}

/// The server side of staff accounts.
#[async_trait]
pub trait AccountsBackend: Send + Sync + 'static {
    /// Who the request's session cookie or bearer token belongs to (the
    /// account must still exist).
    async fn authenticate(&self, headers: &http::HeaderMap) -> Result<Account, AuthError>;

    /// Checks a username and password (argon2) and opens a session.
    async fn sign_in(&self, username: &str, password: &str) -> Result<SignedIn, AuthError>;

    /// The `Set-Cookie` header value that signs a browser out.
    fn sign_out_cookie(&self) -> String;
}

/// The handle server functions take from the context.
pub type SharedAccounts = Arc<dyn AccountsBackend>;
