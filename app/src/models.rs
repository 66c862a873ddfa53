//! Typed models shared by the server, its JSON routes and the UI. They cross
//! the wire, so every one derives `Serialize` / `Deserialize`.

use serde::{Deserialize, Serialize};

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

#[cfg(test)]
mod tests {
    use super::*;

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
