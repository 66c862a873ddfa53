//! What a client token grants: the [`Role`], the [`TokenFormat`] and the
//! [`TokenOptions`] a [`TokenBuilder`](super::TokenBuilder) starts from.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::TokenError;

/// What a connection may do.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Subscribe only.
    Subscriber,
    /// Publish and subscribe (default).
    #[default]
    Publisher,
    /// Publish only.
    #[serde(rename = "publisheronly")]
    PublisherOnly,
    /// Publish, subscribe, and force others to disconnect or unpublish.
    Moderator,
}

impl Role {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Subscriber => "subscriber",
            Role::Publisher => "publisher",
            Role::PublisherOnly => "publisheronly",
            Role::Moderator => "moderator",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = TokenError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "subscriber" => Ok(Role::Subscriber),
            "publisher" => Ok(Role::Publisher),
            "publisheronly" => Ok(Role::PublisherOnly),
            "moderator" => Ok(Role::Moderator),
            other => Err(TokenError::UnknownRole(other.to_owned())),
        }
    }
}

/// The token's encoding.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenFormat {
    /// A JWT (HS256 for projects, RS256 for Vonage applications).
    #[default]
    Jwt,
    /// The legacy `T1==…` string.
    T1,
}

/// What a token grants.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenOptions {
    /// The connection's role (default publisher).
    pub role: Role,
    /// Expiry, epoch seconds (default now + 24 h).
    pub expire_time: Option<u64>,
    /// Connection data other clients see (≤ 1000 characters).
    pub data: Option<String>,
    /// Layout classes of the connection's streams.
    pub initial_layout_class_list: Vec<String>,
    /// JWT (default) or T1.
    pub format: TokenFormat,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_and_print_their_wire_names() {
        for role in [
            Role::Subscriber,
            Role::Publisher,
            Role::PublisherOnly,
            Role::Moderator,
        ] {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
            assert_eq!(serde_json::to_string(&role).unwrap(), format!("\"{role}\""));
        }
        assert_eq!(
            "admin".parse::<Role>().unwrap_err(),
            TokenError::UnknownRole("admin".into())
        );
        assert_eq!(Role::default(), Role::Publisher);
    }
}
