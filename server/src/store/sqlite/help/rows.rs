//! Rows of `help_sessions` read back into domain types: a row that no
//! longer parses is [`StoreError::Corrupt`], never passed on half-read.

use app::accounts::{AccountId, Username};
use app::help::{Outcome, ProblemText};
use app::models::DisplayName;
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

use super::super::parse_session_id;
use crate::store::help::{Closed, HelpSessionRecord, HelpState};
use crate::store::StoreError;

/// The columns [`record`] reads.
pub(super) const COLUMNS: &str = "session_id, customer_name, problem_text, state, created_at, \
    enqueued_at, answered_at, ended_at, queue_seq, rep_id, rep_name, outcome";

/// The columns [`closed`] reads.
pub(super) const CLOSED: &str = "session_id, outcome, rep_id";

/// A whole help session.
pub(super) fn record(row: &SqliteRow) -> Result<HelpSessionRecord, StoreError> {
    let id: String = row.try_get("session_id")?;
    let name: String = row.try_get("customer_name")?;
    let problem: String = row.try_get("problem_text")?;
    let state: String = row.try_get("state")?;
    let rep_name: Option<String> = row.try_get("rep_name")?;
    let outcome: Option<String> = row.try_get("outcome")?;
    Ok(HelpSessionRecord {
        session_id: parse_session_id(&id)?,
        customer_name: DisplayName::parse(&name)
            .map_err(|e| StoreError::Corrupt(format!("customer name {name:?}: {e}")))?,
        problem_text: ProblemText::parse(&problem)
            .map_err(|e| StoreError::Corrupt(format!("problem text of {id}: {e}")))?,
        state: HelpState::parse(&state)
            .ok_or_else(|| StoreError::Corrupt(format!("help state {state:?}")))?,
        created_at: row.try_get("created_at")?,
        enqueued_at: row.try_get("enqueued_at")?,
        answered_at: row.try_get("answered_at")?,
        ended_at: row.try_get("ended_at")?,
        queue_seq: row.try_get("queue_seq")?,
        rep_id: row.try_get::<Option<i64>, _>("rep_id")?.map(AccountId),
        rep_name: rep_name
            .map(|name| {
                Username::parse(&name)
                    .map_err(|e| StoreError::Corrupt(format!("rep name {name:?}: {e}")))
            })
            .transpose()?,
        outcome: outcome.as_deref().map(parse_outcome).transpose()?,
    })
}

/// An ended help session's id, outcome and representative.
pub(super) fn closed(row: &SqliteRow) -> Result<Closed, StoreError> {
    let id: String = row.try_get("session_id")?;
    let outcome: String = row.try_get("outcome")?;
    Ok(Closed {
        session_id: parse_session_id(&id)?,
        outcome: parse_outcome(&outcome)?,
        rep_id: row.try_get::<Option<i64>, _>("rep_id")?.map(AccountId),
    })
}

/// A stored outcome.
pub(super) fn parse_outcome(raw: &str) -> Result<Outcome, StoreError> {
    Outcome::parse(raw).ok_or_else(|| StoreError::Corrupt(format!("outcome {raw:?}")))
}

/// A count that fits in a `u32`.
pub(super) fn count_u32(count: i64) -> Result<u32, StoreError> {
    u32::try_from(count).map_err(|_| StoreError::Corrupt(format!("count {count}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_that_no_longer_parse_are_corrupt() {
        assert!(matches!(parse_outcome("lost"), Err(StoreError::Corrupt(_))));
        assert_eq!(parse_outcome("skipped").unwrap(), Outcome::Skipped);
        assert!(matches!(count_u32(-1), Err(StoreError::Corrupt(_))));
        assert_eq!(count_u32(7).unwrap(), 7);
    }
}
