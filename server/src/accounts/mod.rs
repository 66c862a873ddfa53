//! Staff accounts (customer-service representatives and administrators):
//! argon2 password hashes ([`password`]), the account directory shared by
//! the server and the `server accounts` commands ([`directory`]), 12-hour
//! session JWTs in a cookie or a bearer header ([`session`]), the service
//! the pages' server functions and other routes authenticate with
//! ([`service`], as `app::accounts::backend::SharedAccounts`), and the JSON
//! routes `/api-token-auth/` and `/api/accounts` ([`routes`]).

pub mod directory;
pub mod password;
pub mod routes;
pub mod service;
pub mod session;

pub use directory::{AccountDirectory, AccountsError};
pub use password::{Password, PasswordError, PasswordHash};
pub use service::{AccountsService, FirstAdmin, StartError};
pub use session::SessionKeys;
