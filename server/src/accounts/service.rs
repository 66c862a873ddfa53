//! The accounts service of the running server: the [`AccountDirectory`]
//! plus session keys. It implements the pages' [`AccountsBackend`] (who is
//! signed in, signing in and out) and is what the JSON routes and other
//! services (the help queue's `DELETE /help/queue`) authenticate with.
//! A session is honoured only while its account exists and still has the
//! password the session was opened with.

use std::path::Path;
use std::sync::Arc;

use app::accounts::backend::{AccountsBackend, AuthError, SignedIn};
use app::accounts::{Account, Role, Username};
use async_trait::async_trait;
use http::HeaderMap;

use super::directory::{AccountDirectory, AccountsError};
use super::password::Password;
use super::session::{SessionError, SessionKeys};
use crate::store::accounts::AccountStore;

/// The first administrator, from `ADMIN_USERNAME` + `ADMIN_PASSWORD`.
#[derive(Debug, Clone)]
pub struct FirstAdmin {
    /// Their username.
    pub username: Username,
    /// Their password (used only if the account does not exist yet).
    pub password: Password,
}

/// Why the service could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The session key could not be loaded or generated.
    #[error(transparent)]
    Keys(#[from] SessionError),
    /// The first administrator could not be created.
    #[error("creating the first administrator: {0}")]
    FirstAdmin(#[from] AccountsError),
}

/// Staff accounts and sessions. Cheap to clone.
#[derive(Clone)]
pub struct AccountsService {
    directory: AccountDirectory,
    keys: Arc<SessionKeys>,
}

impl AccountsService {
    /// A service over `directory`, signing sessions with `keys`.
    pub fn new(directory: AccountDirectory, keys: SessionKeys) -> Self {
        AccountsService {
            directory,
            keys: Arc::new(keys),
        }
    }

    /// Loads (or generates) the session key in `data_dir` (`secure`: HTTPS
    /// cookies) and creates `first_admin` unless that username exists.
    pub async fn start(
        store: Arc<dyn AccountStore>,
        data_dir: &Path,
        secure: bool,
        first_admin: Option<FirstAdmin>,
    ) -> Result<Self, StartError> {
        let service = Self::new(
            AccountDirectory::new(store),
            SessionKeys::load_or_generate(data_dir, secure)?,
        );
        if let Some(admin) = first_admin {
            if let Some(account) = service
                .directory
                .ensure_admin(&admin.username, admin.password)
                .await?
            {
                tracing::info!(username = %account.username, "created the first administrator");
            }
        }
        Ok(service)
    }

    /// The account directory (creating accounts, changing passwords).
    pub fn directory(&self) -> &AccountDirectory {
        &self.directory
    }

    /// The signed-in administrator of the request: 401 without a valid
    /// session, 403 for a representative.
    pub async fn authenticate_admin(&self, headers: &HeaderMap) -> Result<Account, AuthError> {
        let account = self.authenticate(headers).await?;
        match account.role {
            Role::Admin => Ok(account),
            Role::Rep => Err(AuthError::Forbidden),
        }
    }
}

impl std::fmt::Debug for AccountsService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountsService")
            .field("keys", &self.keys)
            .finish_non_exhaustive()
    }
}

/// Store and hashing failures are 503s; nothing else reaches the pages.
fn unavailable(err: AccountsError) -> AuthError {
    tracing::error!(%err, "staff accounts failed");
    AuthError::Unavailable(err.to_string())
}

#[async_trait]
impl AccountsBackend for AccountsService {
    async fn authenticate(&self, headers: &HeaderMap) -> Result<Account, AuthError> {
        let claims = self
            .keys
            .verify_request(headers)
            .map_err(|_| AuthError::NotSignedIn)?;
        let stored = self
            .directory
            .by_id(claims.account)
            .await
            .map_err(unavailable)?
            .ok_or(AuthError::NotSignedIn)?;
        if claims.matches_password(&stored.password_hash) {
            Ok(stored.account)
        } else {
            Err(AuthError::NotSignedIn)
        }
    }

    async fn sign_in(&self, username: &str, password: &str) -> Result<SignedIn, AuthError> {
        let stored = self
            .directory
            .check_credentials(username, password)
            .await
            .map_err(unavailable)?
            .ok_or(AuthError::BadCredentials)?;
        let token = self.keys.issue(stored.account.id, &stored.password_hash);
        Ok(SignedIn {
            account: stored.account,
            set_cookie: self.keys.cookie(&token),
            token,
        })
    }

    fn sign_out_cookie(&self) -> String {
        self.keys.clear_cookie()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sqlite::SqliteStore;
    use http::header::{AUTHORIZATION, COOKIE};
    use http::HeaderValue;

    async fn service() -> AccountsService {
        let store = Arc::new(SqliteStore::in_memory().await.unwrap());
        AccountsService::new(
            AccountDirectory::new(store),
            SessionKeys::from_key(&[9; 32], false),
        )
    }

    fn name(raw: &str) -> Username {
        Username::parse(raw).unwrap()
    }

    fn bearer(token: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        let value = HeaderValue::from_str(&format!("Bearer {token}")).unwrap();
        headers.insert(AUTHORIZATION, value);
        headers
    }

    async fn add(service: &AccountsService, user: &str, role: Role) -> Account {
        let password = Password::parse("correct horse").unwrap();
        service
            .directory()
            .create(&name(user), password, role)
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn a_sign_in_opens_a_session_for_cookie_and_bearer() {
        let service = service().await;
        let ann = add(&service, "ann", Role::Rep).await;
        let signed_in = service.sign_in("Ann", "correct horse").await.unwrap();
        assert_eq!(signed_in.account, ann);
        assert!(signed_in.set_cookie.starts_with("rendezvous_staff="));
        assert_eq!(
            service.authenticate(&bearer(&signed_in.token)).await,
            Ok(ann.clone())
        );
        let mut cookie = HeaderMap::new();
        let pair = signed_in.set_cookie.split(';').next().unwrap();
        cookie.insert(COOKIE, HeaderValue::from_str(pair).unwrap());
        assert_eq!(service.authenticate(&cookie).await, Ok(ann));
        assert!(service.sign_out_cookie().contains("Max-Age=0"));
    }

    #[tokio::test]
    async fn wrong_credentials_are_one_refusal() {
        let service = service().await;
        add(&service, "ann", Role::Rep).await;
        for (user, pass) in [("ann", "wrong horse"), ("bob", "correct horse")] {
            let err = service.sign_in(user, pass).await.unwrap_err();
            assert_eq!(err, AuthError::BadCredentials);
        }
        assert_eq!(
            service.authenticate(&HeaderMap::new()).await,
            Err(AuthError::NotSignedIn)
        );
    }

    #[tokio::test]
    async fn sessions_end_with_the_account_or_its_password() {
        let service = service().await;
        add(&service, "ann", Role::Rep).await;
        let token = service.sign_in("ann", "correct horse").await.unwrap().token;
        let new_password = Password::parse("battery staple").unwrap();
        service
            .directory()
            .set_password(&name("ann"), new_password)
            .await
            .unwrap();
        assert_eq!(
            service.authenticate(&bearer(&token)).await,
            Err(AuthError::NotSignedIn)
        );
        let token = service
            .sign_in("ann", "battery staple")
            .await
            .unwrap()
            .token;
        service.directory().remove(&name("ann")).await.unwrap();
        assert_eq!(
            service.authenticate(&bearer(&token)).await,
            Err(AuthError::NotSignedIn)
        );
    }

    #[tokio::test]
    async fn only_administrators_pass_the_admin_check() {
        let service = service().await;
        add(&service, "root", Role::Admin).await;
        add(&service, "ann", Role::Rep).await;
        let root = service
            .sign_in("root", "correct horse")
            .await
            .unwrap()
            .token;
        let ann = service.sign_in("ann", "correct horse").await.unwrap().token;
        assert!(service.authenticate_admin(&bearer(&root)).await.is_ok());
        assert_eq!(
            service.authenticate_admin(&bearer(&ann)).await,
            Err(AuthError::Forbidden)
        );
        assert_eq!(
            service.authenticate_admin(&HeaderMap::new()).await,
            Err(AuthError::NotSignedIn)
        );
    }

    #[tokio::test]
    async fn start_creates_the_first_admin_and_keeps_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<dyn AccountStore> = Arc::new(SqliteStore::open(dir.path()).await.unwrap());
        let admin = FirstAdmin {
            username: name("root"),
            password: Password::parse("correct horse").unwrap(),
        };
        let first = AccountsService::start(store.clone(), dir.path(), false, Some(admin))
            .await
            .unwrap();
        let token = first.sign_in("root", "correct horse").await.unwrap().token;
        let second = AccountsService::start(store, dir.path(), false, None)
            .await
            .unwrap();
        let root = second.authenticate(&bearer(&token)).await.unwrap();
        assert_eq!((root.username.as_str(), root.role), ("root", Role::Admin));
    }
}
