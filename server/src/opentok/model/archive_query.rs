//! Archive list queries (§5.2): `GET /archive?offset&count&sessionId`, with
//! the platform's defaults (offset 0, count 50), its limit (count ≤ 1000),
//! both spellings of the session parameter, and the sloppy query strings the
//! Java SDK builds (trailing `&`, empty segments).

use serde::{Deserialize, Serialize};

use super::ArchiveRequestError;
use crate::opentok::session_id::SessionId;

/// Largest page an archive list may ask for.
pub const MAX_LIST_COUNT: u32 = 1000;

/// `GET /archive` query; the serde form is the query string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", try_from = "QueryWire")]
pub struct ArchiveQuery {
    /// Index of the first archive (default 0).
    pub offset: u32,
    /// Page size (default 50, at most 1000).
    pub count: u32,
    /// Only archives of this session.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_id: Option<SessionId>,
}

impl Default for ArchiveQuery {
    fn default() -> Self {
        ArchiveQuery {
            offset: 0,
            count: 50,
            session_id: None,
        }
    }
}

impl ArchiveQuery {
    /// Checks the page size.
    pub fn validate(&self) -> Result<(), ArchiveRequestError> {
        if self.count > MAX_LIST_COUNT {
            return Err(ArchiveRequestError::Count);
        }
        Ok(())
    }
}

/// The raw query: values as strings so empty ones (`offset=`) mean "default".
#[derive(Deserialize)]
struct QueryWire {
    offset: Option<String>,
    count: Option<String>,
    #[serde(rename = "sessionId", alias = "session_id")]
    session_id: Option<SessionId>,
}

impl TryFrom<QueryWire> for ArchiveQuery {
    type Error = ArchiveRequestError;
    fn try_from(wire: QueryWire) -> Result<Self, Self::Error> {
        let number = |value: Option<String>, name, default| match value.as_deref() {
            None | Some("") => Ok(default),
            Some(text) => text
                .parse::<u32>()
                .map_err(|_| ArchiveRequestError::NotANumber(name)),
        };
        let query = ArchiveQuery {
            offset: number(wire.offset, "offset", 0)?,
            count: number(wire.count, "count", 50)?,
            session_id: wire.session_id,
        };
        query.validate()?;
        Ok(query)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SESSION: &str = "1_MX4xMjM0NTZ-flNhdCBNYXIgMTUgMTQ6NDI6MjMgUERUIDIwMTR-MC40OTAxMzAyNX4";

    fn session() -> SessionId {
        SessionId::parse(SESSION).unwrap()
    }

    #[test]
    fn queries_have_defaults_limits_and_both_session_spellings() {
        let parse =
            |q: &str| serde_urlencoded::from_str::<ArchiveQuery>(q).map_err(|e| e.to_string());
        assert_eq!(parse("").unwrap(), ArchiveQuery::default());
        let query = parse(&format!("offset=2&count=4&sessionId={SESSION}")).unwrap();
        assert_eq!(
            (query.offset, query.count, query.session_id),
            (2, 4, Some(session()))
        );
        assert_eq!(
            parse(&format!("session_id={SESSION}")).unwrap().session_id,
            Some(session())
        );
        assert_eq!(parse("offset=5&").unwrap().offset, 5, "Java's trailing &");
        assert_eq!(
            parse("offset=5&&count=3").unwrap().count,
            3,
            "Java's empty segment"
        );
        assert!(parse("count=1001").unwrap_err().contains("at most 1000"));
        assert!(parse("offset=-1").unwrap_err().contains("non-negative"));
        let text = serde_urlencoded::to_string(ArchiveQuery {
            offset: 1,
            count: 5,
            session_id: Some(session()),
        });
        assert_eq!(
            text.unwrap(),
            format!("offset=1&count=5&sessionId={SESSION}")
        );
    }
}
