//! Signed-in staff (customer-service representatives and administrators):
//! the account model shared by the server, its JSON routes and the pages,
//! and, on the server side, the interface the pages' server functions call
//! ([`backend`]). Accounts are created by an administrator with the
//! `server accounts add` command (or the first one from `ADMIN_USERNAME` /
//! `ADMIN_PASSWORD`); passwords never leave the server.

#[cfg(feature = "ssr")]
pub mod backend;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// An account's number (stable, never reused).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AccountId(pub i64);

impl std::fmt::Display for AccountId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A sign-in name: 1–50 characters of letters, digits, `.`, `_`, `-`,
/// `@`, compared without regard to case (stored in lower case).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

/// Why a username was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UsernameError {
    /// Nothing but spaces.
    #[error("Enter a username.")]
    Empty,
    /// Longer than [`Username::MAX_CHARS`].
    #[error("A username has at most 50 characters.")]
    TooLong,
    /// A character outside letters, digits and `._-@`.
    #[error("A username may only contain letters, digits and . _ - @")]
    BadCharacter,
}

impl Username {
    /// The longest username, in characters.
    pub const MAX_CHARS: usize = 50;

    /// Trims, lower-cases and checks `raw`.
    pub fn parse(raw: &str) -> Result<Self, UsernameError> {
        let name = raw.trim().to_lowercase();
        if name.is_empty() {
            Err(UsernameError::Empty)
        } else if name.chars().count() > Self::MAX_CHARS {
            Err(UsernameError::TooLong)
        } else if !name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
        {
            Err(UsernameError::BadCharacter)
        } else {
            Ok(Username(name))
        }
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Username {
    type Error = UsernameError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Username::parse(&raw)
    }
}

impl From<Username> for String {
    fn from(name: Username) -> String {
        name.0
    }
}

impl std::fmt::Display for Username {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What an account may do. Both roles answer customers and see metrics;
/// administrators will also manage organizations (seed 003).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// A customer-service representative.
    Rep,
    /// An administrator.
    Admin,
}

impl Role {
    /// The stored / wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Rep => "rep",
            Role::Admin => "admin",
        }
    }
}

/// A signed-in person, as the API (`POST /api-token-auth/` → `user`, in
/// seed 003's snake_case) and the pages see them. No password, ever.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// Their number.
    pub id: AccountId,
    /// Their sign-in name (also shown to customers).
    pub username: Username,
    /// What they may do (seed 003 calls it `user_type`).
    #[serde(rename = "user_type")]
    pub role: Role,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_trimmed_lower_cased_and_checked() {
        assert_eq!(
            Username::parse("  Ann.Lee@Example ").unwrap().as_str(),
            "ann.lee@example"
        );
        assert_eq!(Username::parse("  "), Err(UsernameError::Empty));
        assert_eq!(
            Username::parse(&"a".repeat(51)),
            Err(UsernameError::TooLong)
        );
        assert_eq!(Username::parse("ann lee"), Err(UsernameError::BadCharacter));
        assert_eq!(
            Username::parse("<script>"),
            Err(UsernameError::BadCharacter)
        );
    }

    #[test]
    fn accounts_use_seed_003_field_names() {
        let account = Account {
            id: AccountId(5),
            username: Username::parse("ann").unwrap(),
            role: Role::Admin,
        };
        let json = serde_json::to_value(&account).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"id": 5, "username": "ann", "user_type": "admin"})
        );
        assert_eq!(serde_json::from_value::<Account>(json).unwrap(), account);
    }
}
