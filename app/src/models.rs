//! Typed models shared by the server, its JSON routes and the UI. They cross
//! the wire, so every one derives `Serialize` / `Deserialize`.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The credentials triple of seed 001's `GET /room/{name}` (and later seeds):
/// what an OpenTok client needs to join a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoomCredentials {
    pub api_key: String,
    pub session_id: String,
    pub token: String,
}

/// The JSON body of every error our own (non-OpenTok) routes answer with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: String,
}

/// A person's display name: 1–50 characters after trimming, no control
/// characters. Shown to others, always escaped.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DisplayName(String);

/// Why a display name was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NameError {
    /// Nothing but spaces.
    #[error("Enter a name.")]
    Empty,
    /// More than [`DisplayName::MAX_CHARS`] characters.
    #[error("A name has at most 50 characters.")]
    TooLong,
    /// Control characters (line breaks, tabs, …).
    #[error("A name cannot contain line breaks or control characters.")]
    ControlCharacters,
}

impl DisplayName {
    /// The longest name, in characters.
    pub const MAX_CHARS: usize = 50;

    /// Trims and checks `raw`.
    pub fn parse(raw: &str) -> Result<Self, NameError> {
        let name = raw.trim();
        if name.is_empty() {
            Err(NameError::Empty)
        } else if name.chars().count() > Self::MAX_CHARS {
            Err(NameError::TooLong)
        } else if name.chars().any(char::is_control) {
            Err(NameError::ControlCharacters)
        } else {
            Ok(DisplayName(name.to_owned()))
        }
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for DisplayName {
    type Error = NameError;
    fn try_from(raw: String) -> Result<Self, NameError> {
        DisplayName::parse(&raw)
    }
}

impl From<DisplayName> for String {
    fn from(name: DisplayName) -> String {
        name.0
    }
}

impl std::fmt::Display for DisplayName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A room name as it appears in `/room/{name}` and `/rooms/{name}`: 1–100
/// characters (after trimming) of letters, digits, `-`, `_`, `.` or space.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RoomName(String);

/// Why a room name was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("a room name is 1-100 letters, digits, spaces, '-', '_' or '.'")]
pub struct RoomNameError;

impl RoomName {
    /// Trims and checks `raw`.
    pub fn parse(raw: &str) -> Result<Self, RoomNameError> {
        let name = raw.trim();
        let valid_chars = name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ' '));
        if name.is_empty() || name.chars().count() > 100 || !valid_chars {
            return Err(RoomNameError);
        }
        Ok(Self(name.to_owned()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The connection data our tokens carry (`{"name": …}`), so others in a
/// session see who is who.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionData {
    /// The person's display name.
    pub name: DisplayName,
    /// Their presence identity, on presence tokens.
    #[serde(default, rename = "userId", skip_serializing_if = "Option::is_none")]
    pub user_id: Option<crate::presence::UserId>,
}

impl ConnectionData {
    /// The JSON text to put into a token.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("connection data serialises")
    }

    /// Reads connection data; `None` for data not made by us.
    pub fn parse(data: &str) -> Option<Self> {
        serde_json::from_str(data).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_are_trimmed_and_bounded() {
        assert_eq!(DisplayName::parse("  Ada ").unwrap().as_str(), "Ada");
        assert_eq!(DisplayName::parse("   "), Err(NameError::Empty));
        assert_eq!(
            DisplayName::parse(&"é".repeat(50))
                .unwrap()
                .as_str()
                .chars()
                .count(),
            50
        );
        assert_eq!(DisplayName::parse(&"é".repeat(51)), Err(NameError::TooLong));
        assert_eq!(
            DisplayName::parse("a\nb"),
            Err(NameError::ControlCharacters)
        );
        assert!(serde_json::from_str::<DisplayName>("\"  \"").is_err());
    }

    #[test]
    fn room_names() {
        assert_eq!(
            RoomName::parse(" daily standup ").unwrap().as_str(),
            "daily standup"
        );
        assert!(RoomName::parse("session").is_ok());
        assert!(RoomName::parse("").is_err());
        assert!(RoomName::parse("<script>").is_err());
        assert!(RoomName::parse(&"x".repeat(101)).is_err());
    }

    #[test]
    fn connection_data_round_trips_and_ignores_foreign_data() {
        let data = ConnectionData {
            name: DisplayName::parse("<b>Bo</b>").unwrap(),
            user_id: None,
        };
        assert_eq!(data.to_json(), r#"{"name":"<b>Bo</b>"}"#);
        assert_eq!(ConnectionData::parse(&data.to_json()), Some(data));
        assert_eq!(ConnectionData::parse("userId=42"), None);
        assert_eq!(ConnectionData::parse(r#"{"name":""}"#), None);
    }

    #[test]
    fn room_credentials_use_the_seed_field_names() {
        let creds = RoomCredentials {
            api_key: "1".into(),
            session_id: "2".into(),
            token: "3".into(),
        };
        let json = serde_json::to_value(&creds).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"apiKey": "1", "sessionId": "2", "token": "3"})
        );
    }
}
