//! The account directory: creating accounts, changing passwords, removing
//! accounts and checking a username and password — everything but sessions,
//! so the `server accounts` commands use it as well as the running server.
//! argon2 runs on blocking threads, at most [`HASHING_SLOTS`] at once (each
//! takes 19 MiB), so a flood of sign-ins queues instead of exhausting
//! memory. An unknown or malformed username still costs one verification.

use std::sync::Arc;

use app::accounts::{Account, Role, Username};
use thiserror::Error;
use tokio::sync::Semaphore;

use super::password::{Password, PasswordError, PasswordHash};
use crate::store::accounts::{AccountStore, StoredAccount};
use crate::store::StoreError;

/// How many argon2 computations may run at once.
pub const HASHING_SLOTS: usize = 4;

/// Why an account operation failed.
#[derive(Debug, Error)]
pub enum AccountsError {
    /// The username belongs to another account.
    #[error("The username {0} is taken.")]
    Taken(Username),
    /// There is no account with this username.
    #[error("There is no account {0}.")]
    NotFound(Username),
    /// Other records (e.g. help history) still name the account.
    #[error("{0} cannot be removed: other records still refer to it.")]
    InUse(Username),
    /// The password was refused, or hashing failed.
    #[error("{0}")]
    Password(#[from] PasswordError),
    /// The store failed.
    #[error("the account store failed: {0}")]
    Store(#[from] StoreError),
}

/// Staff accounts over an [`AccountStore`]. Cheap to clone.
#[derive(Clone)]
pub struct AccountDirectory {
    store: Arc<dyn AccountStore>,
    hashing: Arc<Semaphore>,
}

impl AccountDirectory {
    /// A directory over `store`.
    pub fn new(store: Arc<dyn AccountStore>) -> Self {
        AccountDirectory {
            store,
            hashing: Arc::new(Semaphore::new(HASHING_SLOTS)),
        }
    }

    /// Creates an account.
    pub async fn create(
        &self,
        username: &Username,
        password: Password,
        role: Role,
    ) -> Result<Account, AccountsError> {
        let hash = self.hash(password).await?;
        match self.store.insert_account(username, role, &hash).await {
            Ok(stored) => Ok(stored.account),
            Err(StoreError::Conflict(_)) => Err(AccountsError::Taken(username.clone())),
            Err(err) => Err(err.into()),
        }
    }

    /// Creates the administrator `username` unless that username exists
    /// (whatever its role or password: those are not touched). `Some` with
    /// the new account when it was created.
    pub async fn ensure_admin(
        &self,
        username: &Username,
        password: Password,
    ) -> Result<Option<Account>, AccountsError> {
        if self.store.account_by_username(username).await?.is_some() {
            return Ok(None);
        }
        match self.create(username, password, Role::Admin).await {
            Ok(account) => Ok(Some(account)),
            // Created meanwhile (another process): it exists, as wanted.
            Err(AccountsError::Taken(_)) => Ok(None),
            Err(err) => Err(err),
        }
    }

    /// Every account, oldest first.
    pub async fn list(&self) -> Result<Vec<StoredAccount>, AccountsError> {
        Ok(self.store.list_accounts().await?)
    }

    /// The account with this id, if it still exists.
    pub async fn by_id(
        &self,
        id: app::accounts::AccountId,
    ) -> Result<Option<StoredAccount>, AccountsError> {
        Ok(self.store.account_by_id(id).await?)
    }

    /// Gives `username` a new password (ending its open sessions).
    pub async fn set_password(
        &self,
        username: &Username,
        password: Password,
    ) -> Result<(), AccountsError> {
        let hash = self.hash(password).await?;
        if self.store.set_password_hash(username, &hash).await? {
            Ok(())
        } else {
            Err(AccountsError::NotFound(username.clone()))
        }
    }

    /// Removes `username` (ending its open sessions).
    pub async fn remove(&self, username: &Username) -> Result<(), AccountsError> {
        match self.store.remove_account(username).await {
            Ok(true) => Ok(()),
            Ok(false) => Err(AccountsError::NotFound(username.clone())),
            Err(StoreError::Conflict(_)) => Err(AccountsError::InUse(username.clone())),
            Err(err) => Err(err.into()),
        }
    }

    /// The account whose username and password these are, if they match.
    /// Takes one argon2 verification whatever the outcome.
    pub async fn check_credentials(
        &self,
        username: &str,
        password: &str,
    ) -> Result<Option<StoredAccount>, AccountsError> {
        let stored = match Username::parse(username) {
            Ok(username) => self.store.account_by_username(&username).await?,
            Err(_) => None,
        };
        let candidate = password.to_owned();
        let hash = stored.as_ref().map(|s| s.password_hash.clone());
        let matches = self
            .blocking(move || match hash {
                Some(hash) => hash.verify(&candidate),
                None => PasswordHash::verify_nobody(&candidate),
            })
            .await?;
        Ok(stored.filter(|_| matches))
    }

    async fn hash(&self, password: Password) -> Result<PasswordHash, AccountsError> {
        Ok(self
            .blocking(move || PasswordHash::create(&password))
            .await??)
    }

    /// Runs argon2 work on a blocking thread once a hashing slot is free.
    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AccountsError> {
        let _slot = self
            .hashing
            .acquire()
            .await
            .expect("the hashing semaphore is never closed");
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|err| PasswordError::Hashing(err.to_string()).into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sqlite::SqliteStore;

    async fn directory() -> AccountDirectory {
        AccountDirectory::new(Arc::new(SqliteStore::in_memory().await.unwrap()))
    }

    fn name(raw: &str) -> Username {
        Username::parse(raw).unwrap()
    }

    fn password(raw: &str) -> Password {
        Password::parse(raw).unwrap()
    }

    #[tokio::test]
    async fn credentials_match_only_the_right_password() {
        let accounts = directory().await;
        let ann = accounts
            .create(&name("ann"), password("correct horse"), Role::Rep)
            .await
            .unwrap();
        let found = accounts
            .check_credentials(" ANN ", "correct horse")
            .await
            .unwrap();
        assert_eq!(found.map(|s| s.account), Some(ann));
        for (user, pass) in [
            ("ann", "wrong horse!"),
            ("ann", ""),
            ("bob", "correct horse"),
            ("not a name", "correct horse"),
        ] {
            assert_eq!(
                accounts.check_credentials(user, pass).await.unwrap(),
                None,
                "{user} / {pass}"
            );
        }
    }

    #[tokio::test]
    async fn taken_names_and_missing_accounts_are_reported() {
        let accounts = directory().await;
        accounts
            .create(&name("ann"), password("correct horse"), Role::Rep)
            .await
            .unwrap();
        let err = accounts
            .create(&name("Ann"), password("correct horse"), Role::Admin)
            .await
            .unwrap_err();
        assert!(matches!(err, AccountsError::Taken(_)), "{err}");
        assert_eq!(err.to_string(), "The username ann is taken.");
        let err = accounts
            .set_password(&name("bob"), password("battery staple"))
            .await
            .unwrap_err();
        assert!(matches!(err, AccountsError::NotFound(_)), "{err}");
        let err = accounts.remove(&name("bob")).await.unwrap_err();
        assert_eq!(err.to_string(), "There is no account bob.");
    }

    #[tokio::test]
    async fn a_new_password_replaces_the_old() {
        let accounts = directory().await;
        accounts
            .create(&name("ann"), password("correct horse"), Role::Rep)
            .await
            .unwrap();
        accounts
            .set_password(&name("ann"), password("battery staple"))
            .await
            .unwrap();
        assert!(accounts
            .check_credentials("ann", "correct horse")
            .await
            .unwrap()
            .is_none());
        assert!(accounts
            .check_credentials("ann", "battery staple")
            .await
            .unwrap()
            .is_some());
        accounts.remove(&name("ann")).await.unwrap();
        assert!(accounts.list().await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn the_first_admin_is_created_once_and_never_changed() {
        let accounts = directory().await;
        let admin = accounts
            .ensure_admin(&name("root"), password("correct horse"))
            .await
            .unwrap()
            .expect("created");
        assert_eq!(admin.role, Role::Admin);
        let again = accounts
            .ensure_admin(&name("root"), password("another password"))
            .await
            .unwrap();
        assert_eq!(again, None);
        assert!(
            accounts
                .check_credentials("root", "correct horse")
                .await
                .unwrap()
                .is_some(),
            "the existing password is kept"
        );
    }
}
