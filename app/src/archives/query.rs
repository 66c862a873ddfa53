//! The archives page's filters as they travel: the page's GET query
//! (`/archives?status=available&min_duration=1:00`), so a filtered view is
//! a shareable link. [`FilterField`] names each filter and its query key;
//! [`RawFilter`] holds the values exactly as typed, reads them from a
//! query map and writes them back as a link.

use serde::{Deserialize, Serialize};

/// One filter of the page (and its query key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FilterField {
    /// The recorded session's id (exact).
    Session,
    /// The lifecycle state.
    Status,
    /// Part of the name.
    Name,
    /// The shortest duration.
    MinDuration,
    /// The longest duration.
    MaxDuration,
    /// The smallest file.
    MinSize,
    /// The largest file.
    MaxSize,
    /// The first day created.
    From,
    /// The last day created.
    To,
    /// The viewer's time zone, minutes east of UTC.
    TimeZone,
}

impl FilterField {
    /// Every field, in the query's order.
    pub const ALL: [FilterField; 10] = [
        FilterField::Session,
        FilterField::Status,
        FilterField::Name,
        FilterField::MinDuration,
        FilterField::MaxDuration,
        FilterField::MinSize,
        FilterField::MaxSize,
        FilterField::From,
        FilterField::To,
        FilterField::TimeZone,
    ];

    /// The query key (also the form field's name).
    pub fn key(self) -> &'static str {
        match self {
            FilterField::Session => "session",
            FilterField::Status => "status",
            FilterField::Name => "name",
            FilterField::MinDuration => "min_duration",
            FilterField::MaxDuration => "max_duration",
            FilterField::MinSize => "min_size",
            FilterField::MaxSize => "max_size",
            FilterField::From => "from",
            FilterField::To => "to",
            FilterField::TimeZone => "tz",
        }
    }
}

/// The filters as typed: the page's query values ("" when absent).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
#[allow(missing_docs)] // One per [`FilterField`], named by its key.
pub struct RawFilter {
    pub session: String,
    pub status: String,
    pub name: String,
    pub min_duration: String,
    pub max_duration: String,
    pub min_size: String,
    pub max_size: String,
    pub from: String,
    pub to: String,
    pub tz: String,
}

impl RawFilter {
    /// Reads every field with `get` (a query map's look-up).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Self {
        let mut raw = RawFilter::default();
        for field in FilterField::ALL {
            *raw.slot(field) = get(field.key()).unwrap_or_default();
        }
        raw
    }

    /// The typed value of `field`.
    pub fn value(&self, field: FilterField) -> &str {
        match field {
            FilterField::Session => &self.session,
            FilterField::Status => &self.status,
            FilterField::Name => &self.name,
            FilterField::MinDuration => &self.min_duration,
            FilterField::MaxDuration => &self.max_duration,
            FilterField::MinSize => &self.min_size,
            FilterField::MaxSize => &self.max_size,
            FilterField::From => &self.from,
            FilterField::To => &self.to,
            FilterField::TimeZone => &self.tz,
        }
    }

    fn slot(&mut self, field: FilterField) -> &mut String {
        match field {
            FilterField::Session => &mut self.session,
            FilterField::Status => &mut self.status,
            FilterField::Name => &mut self.name,
            FilterField::MinDuration => &mut self.min_duration,
            FilterField::MaxDuration => &mut self.max_duration,
            FilterField::MinSize => &mut self.min_size,
            FilterField::MaxSize => &mut self.max_size,
            FilterField::From => &mut self.from,
            FilterField::To => &mut self.to,
            FilterField::TimeZone => &mut self.tz,
        }
    }

    /// Whether any filter (besides the time zone) is set.
    pub fn is_empty(&self) -> bool {
        FilterField::ALL
            .into_iter()
            .filter(|field| *field != FilterField::TimeZone)
            .all(|field| self.value(field).trim().is_empty())
    }

    /// `/archives?…` with the non-empty fields, in a fixed order.
    pub fn href(&self) -> String {
        let query: Vec<String> = FilterField::ALL
            .into_iter()
            .filter(|field| !self.value(*field).trim().is_empty())
            .map(|field| format!("{}={}", field.key(), encode(self.value(field).trim())))
            .collect();
        if query.is_empty() {
            "/archives".into()
        } else {
            format!("/archives?{}", query.join("&"))
        }
    }
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_reads_into_fields_and_back_into_a_link() {
        let query = [
            ("status", "available"),
            ("name", "Demo room"),
            ("min_size", "1 MB"),
            ("tz", "60"),
        ];
        let raw = RawFilter::from_lookup(|key| {
            query
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.to_string())
        });
        assert_eq!(raw.value(FilterField::Name), "Demo room");
        assert_eq!(raw.tz, "60");
        assert!(!raw.is_empty());
        assert_eq!(
            raw.href(),
            "/archives?status=available&name=Demo%20room&min_size=1%20MB&tz=60"
        );
    }

    #[test]
    fn an_empty_filter_links_the_bare_page() {
        let mut raw = RawFilter::default();
        assert!(raw.is_empty());
        assert_eq!(raw.href(), "/archives");
        raw.tz = "-300".into();
        assert!(raw.is_empty(), "the time zone alone filters nothing");
        raw.session = " 1_MX4~x/y ".into();
        assert_eq!(raw.href(), "/archives?session=1_MX4~x%2Fy&tz=-300");
    }

    #[test]
    fn keys_are_unique() {
        let mut keys: Vec<_> = FilterField::ALL.iter().map(|f| f.key()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), FilterField::ALL.len());
    }
}
