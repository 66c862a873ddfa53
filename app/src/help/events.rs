//! What the server tells customers and representatives over the help hub
//! session: one JSON signal of type [`HELP_SIGNAL`] per [`HelpEvent`], from
//! the server (`from: null`), sent only to the connections concerned.

use serde::{Deserialize, Serialize};

use super::model::{Assignment, Outcome, QueuePosition};

/// The signal type help events travel under.
pub const HELP_SIGNAL: &str = "help";

/// One help event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "event",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum HelpEvent {
    /// To a waiting customer: where they stand (on joining the queue and
    /// whenever it changes ahead of them).
    Position {
        /// Their place.
        position: QueuePosition,
    },
    /// To the customer: a representative took their call and is joining.
    Answered {
        /// The representative's name.
        rep_name: String,
    },
    /// To every signed-in representative: how many customers wait now.
    Waiting {
        /// The queue length.
        count: u32,
    },
    /// To one representative who asked for the next customer: who it is.
    Assigned {
        /// The customer and the representative's credentials.
        assignment: Assignment,
    },
    /// To both parties: the help session is over.
    Ended {
        /// Which (its media session id).
        session_id: String,
        /// How.
        outcome: Outcome,
    },
}

impl HelpEvent {
    /// The signal data.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("help events serialise")
    }

    /// Reads signal data; `None` if it is not a help event.
    pub fn parse(data: &str) -> Option<Self> {
        serde_json::from_str(data).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_round_trip_with_a_tag() {
        let event = HelpEvent::Position {
            position: QueuePosition {
                position: 2,
                waiting: 5,
                estimated_wait_secs: Some(90),
            },
        };
        let json = event.to_json();
        assert!(json.contains("\"event\":\"position\""), "{json}");
        assert!(json.contains("\"estimatedWaitSecs\":90"), "{json}");
        assert_eq!(HelpEvent::parse(&json), Some(event));
        let ended = HelpEvent::Ended {
            session_id: "s".into(),
            outcome: Outcome::Skipped,
        };
        assert!(ended.to_json().contains("\"outcome\":\"skipped\""));
        assert_eq!(HelpEvent::parse("{\"event\":\"userJoined\"}"), None);
    }
}
