//! Staff accounts as persisted: the [`AccountStore`] trait the accounts
//! service and the `server accounts` commands use (as
//! `Arc<dyn AccountStore>`), and the stored record. Usernames are unique
//! (case-insensitively: [`Username`] is lower case); ids are never reused,
//! so a session token can never come to name a later account.

use app::accounts::{Account, AccountId, Role, Username};
use async_trait::async_trait;

use super::StoreError;
use crate::accounts::PasswordHash;

/// An account with what only the server may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAccount {
    /// The account as the API shows it.
    pub account: Account,
    /// Its current argon2 password hash.
    pub password_hash: PasswordHash,
    /// When it was created (ms since the epoch).
    pub created_at: i64,
}

/// Staff accounts. Every method is one atomic operation.
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Creates an account; [`StoreError::Conflict`] when the username is taken.
    async fn insert_account(
        &self,
        username: &Username,
        role: Role,
        password_hash: &PasswordHash,
    ) -> Result<StoredAccount, StoreError>;

    /// The account with this username, if any.
    async fn account_by_username(
        &self,
        username: &Username,
    ) -> Result<Option<StoredAccount>, StoreError>;

    /// The account with this id, if it still exists.
    async fn account_by_id(&self, id: AccountId) -> Result<Option<StoredAccount>, StoreError>;

    /// Every account, oldest first.
    async fn list_accounts(&self) -> Result<Vec<StoredAccount>, StoreError>;

    /// Replaces an account's password hash; `false` when there is no such account.
    async fn set_password_hash(
        &self,
        username: &Username,
        password_hash: &PasswordHash,
    ) -> Result<bool, StoreError>;

    /// Removes an account; `false` when there was none.
    async fn remove_account(&self, username: &Username) -> Result<bool, StoreError>;
}
