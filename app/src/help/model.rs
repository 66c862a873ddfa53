//! The typed models of customer service (seed 002), shared by the server's
//! queue, its JSON routes, the hub events and the pages: the customer's
//! problem text, queue ids, what a representative is handed, where a
//! customer stands, how a help session ended, and the history and metrics.
//! Times are milliseconds since the Unix epoch (UTC).

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::models::{DisplayName, RoomCredentials};

/// What the customer needs help with: 1–200 characters after trimming.
/// Shown to representatives, always escaped.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProblemText(String);

/// Why a problem text was refused (the seed's messages).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProblemError {
    /// Nothing but spaces.
    #[error("Describe your problem.")]
    Empty,
    /// Longer than [`ProblemText::MAX_CHARS`].
    #[error("The problem description has at most 200 characters.")]
    TooLong,
}

impl ProblemText {
    /// The longest problem text, in characters.
    pub const MAX_CHARS: usize = 200;

    /// Trims and checks `raw` (line breaks are allowed).
    pub fn parse(raw: &str) -> Result<Self, ProblemError> {
        let text = raw.trim();
        if text.is_empty() {
            Err(ProblemError::Empty)
        } else if text.chars().count() > Self::MAX_CHARS {
            Err(ProblemError::TooLong)
        } else {
            Ok(ProblemText(text.to_owned()))
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ProblemText {
    type Error = ProblemError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        ProblemText::parse(&raw)
    }
}

impl From<ProblemText> for String {
    fn from(text: ProblemText) -> String {
        text.0
    }
}

impl std::fmt::Display for ProblemText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A queue entry's id, as seed 002 makes it: `helpsession:<sessionId>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct QueueId(String);

impl QueueId {
    /// The prefix before the session id.
    pub const PREFIX: &'static str = "helpsession:";

    /// The queue id of the help session in `session_id`.
    pub fn for_session(session_id: &str) -> Self {
        QueueId(format!("{}{session_id}", Self::PREFIX))
    }

    /// The help session's (media) session id, if `raw` is a queue id.
    pub fn session_id_of(raw: &str) -> Option<&str> {
        raw.strip_prefix(Self::PREFIX)
            .filter(|rest| !rest.is_empty())
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for QueueId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// `POST /help/session`'s answer: seed 002's `{apiKey, sessionId, token}`
/// for the help session's media, plus (our addition) `hub`: credentials for
/// the help hub session, where the customer hears their queue position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HelpSessionCreated {
    /// The media session's API key.
    pub api_key: String,
    /// The media session (also the help session's id).
    pub session_id: String,
    /// The customer's token for it.
    pub token: String,
    /// The customer's connection to the help hub session.
    pub hub: RoomCredentials,
}

/// What a representative is handed for the next customer: seed 002's
/// `DELETE /help/queue` body (`{apiKey, sessionId, token, customerName,
/// problemText}`) plus the `queueId`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Assignment {
    /// The media session's API key.
    pub api_key: String,
    /// The customer's media session.
    pub session_id: String,
    /// The representative's token for it.
    pub token: String,
    /// Who is waiting.
    pub customer_name: DisplayName,
    /// What they need.
    pub problem_text: ProblemText,
    /// The entry's queue id.
    pub queue_id: QueueId,
}

/// Where a waiting customer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueuePosition {
    /// 1 = next.
    pub position: u32,
    /// How many are waiting in all.
    pub waiting: u32,
    /// The estimated wait from recent history; `None` without history.
    pub estimated_wait_secs: Option<u32>,
}

/// How a help session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// A representative answered and the call ended.
    Served,
    /// The customer cancelled while waiting.
    Cancelled,
    /// The customer went away while waiting (tab closed, connection lost).
    Abandoned,
    /// The customer's video did not reach the representative in time.
    Skipped,
}

impl Outcome {
    /// Every outcome, in display order.
    pub const ALL: [Outcome; 4] = [
        Outcome::Served,
        Outcome::Cancelled,
        Outcome::Abandoned,
        Outcome::Skipped,
    ];

    /// The stored / wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Served => "served",
            Outcome::Cancelled => "cancelled",
            Outcome::Abandoned => "abandoned",
            Outcome::Skipped => "skipped",
        }
    }

    /// Reads a stored / wire name.
    pub fn parse(raw: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == raw)
    }
}

/// One help session in the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HelpRecord {
    /// Its media session.
    pub session_id: String,
    /// The customer.
    pub customer_name: DisplayName,
    /// Their problem.
    pub problem_text: ProblemText,
    /// The representative who answered, if one did.
    pub rep: Option<String>,
    /// When the customer asked (`POST /help/session`).
    pub created_at: i64,
    /// When they joined the queue.
    pub enqueued_at: Option<i64>,
    /// When a representative took them.
    pub answered_at: Option<i64>,
    /// When it ended.
    pub ended_at: Option<i64>,
    /// How it ended; `None` while open.
    pub outcome: Option<Outcome>,
}

/// Calls answered in one hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HourCount {
    /// The hour's start.
    pub hour_start: i64,
    /// Calls answered in it.
    pub count: u32,
}

/// How many help sessions ended each way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OutcomeCounts {
    /// Answered and ended.
    pub served: u32,
    /// Cancelled while waiting.
    pub cancelled: u32,
    /// Gone while waiting.
    pub abandoned: u32,
    /// Skipped by a representative.
    pub skipped: u32,
}

impl OutcomeCounts {
    /// The count of one outcome.
    pub fn get(&self, outcome: Outcome) -> u32 {
        match outcome {
            Outcome::Served => self.served,
            Outcome::Cancelled => self.cancelled,
            Outcome::Abandoned => self.abandoned,
            Outcome::Skipped => self.skipped,
        }
    }

    /// All of them.
    pub fn total(&self) -> u32 {
        Outcome::ALL.into_iter().map(|o| self.get(o)).sum()
    }
}

/// The metrics page's figures over a window (the last 24 hours).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HelpMetrics {
    /// Customers waiting now.
    pub waiting_now: u32,
    /// Mean wait (enqueue → answer) of answered sessions in the window.
    pub mean_wait_secs: Option<f64>,
    /// 90th percentile of those waits.
    pub p90_wait_secs: Option<f64>,
    /// Calls answered per hour, oldest first, one entry per hour of the
    /// window (zeros included).
    pub calls_per_hour: Vec<HourCount>,
    /// Outcomes of sessions that ended in the window.
    pub outcomes: OutcomeCounts,
    /// The window's start.
    pub since: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_texts_are_trimmed_and_bounded() {
        assert_eq!(
            ProblemText::parse("  no sound \n").unwrap().as_str(),
            "no sound"
        );
        assert_eq!(ProblemText::parse(" \n "), Err(ProblemError::Empty));
        assert!(ProblemText::parse(&"é".repeat(200)).is_ok());
        assert_eq!(
            ProblemText::parse(&"é".repeat(201)),
            Err(ProblemError::TooLong)
        );
    }

    #[test]
    fn queue_ids_are_the_seeds() {
        let id = QueueId::for_session("1_MX4xMjM");
        assert_eq!(id.as_str(), "helpsession:1_MX4xMjM");
        assert_eq!(QueueId::session_id_of(id.as_str()), Some("1_MX4xMjM"));
        assert_eq!(QueueId::session_id_of("helpsession:"), None);
        assert_eq!(QueueId::session_id_of("1_MX4xMjM"), None);
    }

    #[test]
    fn assignments_carry_the_seeds_field_names() {
        let assignment = Assignment {
            api_key: "123".into(),
            session_id: "s".into(),
            token: "t".into(),
            customer_name: DisplayName::parse("Ann").unwrap(),
            problem_text: ProblemText::parse("help").unwrap(),
            queue_id: QueueId::for_session("s"),
        };
        let json = serde_json::to_value(&assignment).unwrap();
        for field in [
            "apiKey",
            "sessionId",
            "token",
            "customerName",
            "problemText",
            "queueId",
        ] {
            assert!(json.get(field).is_some(), "{field} in {json}");
        }
    }

    #[test]
    fn outcomes_round_trip_and_count() {
        for outcome in Outcome::ALL {
            assert_eq!(Outcome::parse(outcome.as_str()), Some(outcome));
        }
        let counts = OutcomeCounts {
            served: 3,
            skipped: 1,
            ..Default::default()
        };
        assert_eq!((counts.get(Outcome::Served), counts.total()), (3, 4));
    }
}
