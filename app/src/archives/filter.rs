//! The archives page's filters, typed: [`ArchiveFilter::parse`] turns the
//! page's query as typed ([`RawFilter`]) into bounds — or into one message
//! per bad field, said in words — and [`ArchiveFilter::matches`] applies
//! them. Dates are days in the viewer's time zone (`tz`, minutes east of
//! UTC, filled in by the page; UTC without it); `to` includes its whole day.

use thiserror::Error;
use time::{Date, Month, PrimitiveDateTime, Time, UtcOffset};

use super::model::{ArchiveState, ArchiveSummary};
use super::query::{FilterField, RawFilter};
use super::units::{parse_duration, parse_size, UnitError};

/// A filter that could not be read, with the words to show by its field.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FilterError {
    /// Not one of the platform's states.
    #[error("“{0}” is not a status; pick one from the list.")]
    Status(String),
    /// Not a duration or size.
    #[error(transparent)]
    Unit(UnitError),
    /// Not a `YYYY-MM-DD` date.
    #[error("“{0}” is not a date: write it as YYYY-MM-DD.")]
    Date(String),
    /// Not a time-zone offset.
    #[error("“{0}” is not a time-zone offset in minutes (-840 to 840).")]
    TimeZone(String),
    /// A session id with spaces or too long.
    #[error("That is not a session id.")]
    Session,
    /// A lower bound above its upper bound.
    #[error("The smallest {0} is larger than the largest.")]
    Reversed(&'static str),
    /// A start date after the end date.
    #[error("The first day is after the last day.")]
    DatesReversed,
}

/// The filters, typed. `None` / absent bounds match everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArchiveFilter {
    /// Only this session.
    pub session: Option<String>,
    /// Only this state.
    pub status: Option<ArchiveState>,
    /// Names containing this text (lower case; compared without case).
    pub name: Option<String>,
    /// Duration bounds in seconds, inclusive.
    pub duration: (Option<u64>, Option<u64>),
    /// Size bounds in bytes, inclusive.
    pub size: (Option<u64>, Option<u64>),
    /// Creation bounds in epoch ms: from (inclusive), to (exclusive).
    pub created: (Option<i64>, Option<i64>),
}

/// The longest session id accepted.
const MAX_SESSION_ID: usize = 512;

impl ArchiveFilter {
    /// Reads `raw`; every bad field is reported, with its field.
    pub fn parse(raw: &RawFilter) -> Result<Self, Vec<(FilterField, FilterError)>> {
        let mut errors = Vec::new();
        let text = |field: FilterField| Some(raw.value(field).trim()).filter(|t| !t.is_empty());
        let mut read = |field: FilterField, parse: &dyn Fn(&str) -> Result<u64, FilterError>| {
            keep(&mut errors, field, text(field).map(parse).transpose())
        };
        let duration = |t: &str| parse_duration(t).map_err(FilterError::Unit);
        let size = |t: &str| parse_size(t).map_err(FilterError::Unit);
        let min_duration = read(FilterField::MinDuration, &duration);
        let max_duration = read(FilterField::MaxDuration, &duration);
        let min_size = read(FilterField::MinSize, &size);
        let max_size = read(FilterField::MaxSize, &size);
        let session = keep(
            &mut errors,
            FilterField::Session,
            text(FilterField::Session).map(session).transpose(),
        );
        let status = keep(
            &mut errors,
            FilterField::Status,
            text(FilterField::Status)
                .map(|s| ArchiveState::parse(s).ok_or_else(|| FilterError::Status(s.into())))
                .transpose(),
        );
        let name = text(FilterField::Name).map(str::to_lowercase);
        let offset = keep(
            &mut errors,
            FilterField::TimeZone,
            text(FilterField::TimeZone).map(time_zone).transpose(),
        )
        .unwrap_or(UtcOffset::UTC);
        let from = keep(
            &mut errors,
            FilterField::From,
            text(FilterField::From).map(date).transpose(),
        );
        let to = keep(
            &mut errors,
            FilterField::To,
            text(FilterField::To).map(date).transpose(),
        );
        if matches!((min_duration, max_duration), (Some(lo), Some(hi)) if lo > hi) {
            errors.push((FilterField::MinDuration, FilterError::Reversed("duration")));
        }
        if matches!((min_size, max_size), (Some(lo), Some(hi)) if lo > hi) {
            errors.push((FilterField::MinSize, FilterError::Reversed("size")));
        }
        if matches!((from, to), (Some(lo), Some(hi)) if lo > hi) {
            errors.push((FilterField::From, FilterError::DatesReversed));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let day_start = |day: Date| {
            PrimitiveDateTime::new(day, Time::MIDNIGHT)
                .assume_offset(offset)
                .unix_timestamp()
                * 1000
        };
        Ok(ArchiveFilter {
            session,
            status,
            name,
            duration: (min_duration, max_duration),
            size: (min_size, max_size),
            created: (
                from.map(day_start),
                // The whole last day: up to the next midnight.
                to.map(|day| day.next_day().map_or(i64::MAX, day_start)),
            ),
        })
    }

    /// Whether `archive` passes every filter.
    pub fn matches(&self, archive: &ArchiveSummary) -> bool {
        let within = |value: u64, (lo, hi): (Option<u64>, Option<u64>)| {
            lo.is_none_or(|lo| value >= lo) && hi.is_none_or(|hi| value <= hi)
        };
        let (from, to) = self.created;
        self.session
            .as_deref()
            .is_none_or(|s| archive.session_id == s)
            && self.status.is_none_or(|s| archive.state == s)
            && self.name.as_deref().is_none_or(|part| {
                archive
                    .name
                    .as_deref()
                    .is_some_and(|n| n.to_lowercase().contains(part))
            })
            && within(archive.duration_secs, self.duration)
            && within(archive.size_bytes, self.size)
            && from.is_none_or(|from| archive.created_at_ms >= from)
            && to.is_none_or(|to| archive.created_at_ms < to)
    }
}

/// The value of `result`, or `None` after noting its error under `field`.
fn keep<T>(
    errors: &mut Vec<(FilterField, FilterError)>,
    field: FilterField,
    result: Result<Option<T>, FilterError>,
) -> Option<T> {
    result.unwrap_or_else(|error| {
        errors.push((field, error));
        None
    })
}

fn session(text: &str) -> Result<String, FilterError> {
    if text.len() > MAX_SESSION_ID || text.chars().any(char::is_whitespace) {
        return Err(FilterError::Session);
    }
    Ok(text.to_owned())
}

fn date(text: &str) -> Result<Date, FilterError> {
    let bad = || FilterError::Date(text.to_owned());
    let parts: Vec<&str> = text.split('-').collect();
    let [year, month, day] = parts.as_slice() else {
        return Err(bad());
    };
    if year.len() != 4 || month.len() != 2 || day.len() != 2 {
        return Err(bad());
    }
    let year: i32 = year.parse().map_err(|_| bad())?;
    let month: u8 = month.parse().map_err(|_| bad())?;
    let day: u8 = day.parse().map_err(|_| bad())?;
    let month = Month::try_from(month).map_err(|_| bad())?;
    Date::from_calendar_date(year, month, day).map_err(|_| bad())
}

fn time_zone(text: &str) -> Result<UtcOffset, FilterError> {
    let bad = || FilterError::TimeZone(text.to_owned());
    let minutes: i32 = text.parse().map_err(|_| bad())?;
    if !(-840..=840).contains(&minutes) {
        return Err(bad());
    }
    UtcOffset::from_whole_seconds(minutes * 60).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archives::model::tests::summary;
    use crate::archives::model::OutputKind;

    /// 2026-11-24 14:05:30 UTC, when the test archive was created.
    const CREATED: i64 = 1_795_529_130_000;

    fn raw(pairs: &[(&str, &str)]) -> RawFilter {
        RawFilter::from_lookup(|key| {
            pairs
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.to_string())
        })
    }

    fn parsed(pairs: &[(&str, &str)]) -> ArchiveFilter {
        ArchiveFilter::parse(&raw(pairs)).expect("valid filters")
    }

    #[test]
    fn no_filters_match_everything() {
        let archive = summary(ArchiveState::Failed, OutputKind::Individual);
        assert_eq!(parsed(&[]), ArchiveFilter::default());
        assert!(parsed(&[]).matches(&archive));
    }

    #[test]
    fn each_filter_narrows() {
        let archive = summary(ArchiveState::Available, OutputKind::Composed);
        for (pairs, expected) in [
            (&[("status", "available")][..], true),
            (&[("status", "Stopped")][..], false),
            (&[("session", "1_MX4xMjM0NTZ-fg")][..], true),
            (&[("session", "1_other")][..], false),
            (&[("name", "DEM")][..], true),
            (&[("name", "lobby")][..], false),
            (
                &[("min_duration", "1:05"), ("max_duration", "65")][..],
                true,
            ),
            (&[("min_duration", "1:06")][..], false),
            (&[("max_duration", "1m")][..], false),
            (&[("min_size", "2.4 MB"), ("max_size", "2.4MB")][..], true),
            (&[("min_size", "3 MB")][..], false),
            (&[("max_size", "1 MB")][..], false),
            (&[("from", "2026-11-24"), ("to", "2026-11-24")][..], true),
            (&[("from", "2026-11-25")][..], false),
            (&[("to", "2026-11-23")][..], false),
        ] {
            assert_eq!(parsed(pairs).matches(&archive), expected, "{pairs:?}");
        }
    }

    #[test]
    fn days_are_in_the_viewers_time_zone() {
        let archive = summary(ArchiveState::Available, OutputKind::Composed);
        assert_eq!(archive.created_at_ms, CREATED);
        // 14:05 UTC is already the 25th at UTC+10 and still the 24th at UTC-5.
        assert!(parsed(&[("from", "2026-11-25"), ("tz", "600")]).matches(&archive));
        assert!(!parsed(&[("to", "2026-11-24"), ("tz", "600")]).matches(&archive));
        assert!(parsed(&[("to", "2026-11-24"), ("tz", "-300")]).matches(&archive));
        let day = parsed(&[("from", "2026-11-24"), ("to", "2026-11-24"), ("tz", "60")]);
        let midnight = CREATED - (14 * 3_600 + 5 * 60 + 30) * 1000 - 3_600_000;
        assert_eq!(day.created, (Some(midnight), Some(midnight + 86_400_000)));
    }

    #[test]
    fn bad_values_are_reported_by_field_in_words() {
        let errors = ArchiveFilter::parse(&raw(&[
            ("status", "done"),
            ("min_duration", "soon"),
            ("max_size", "huge"),
            ("from", "24/11/2026"),
            ("tz", "9999"),
            ("session", "has space"),
        ]))
        .unwrap_err();
        assert_eq!(errors.len(), 6);
        let said = |field| {
            errors
                .iter()
                .find(|(f, _)| *f == field)
                .map(|(_, e)| e.to_string())
                .unwrap()
        };
        assert_eq!(
            said(FilterField::Status),
            "“done” is not a status; pick one from the list."
        );
        assert!(said(FilterField::MinDuration).starts_with("“soon” is not a duration"));
        assert!(said(FilterField::MaxSize).starts_with("“huge” is not a size"));
        assert_eq!(
            said(FilterField::From),
            "“24/11/2026” is not a date: write it as YYYY-MM-DD."
        );
        assert!(said(FilterField::TimeZone).contains("9999"));
        assert_eq!(said(FilterField::Session), "That is not a session id.");
    }

    #[test]
    fn reversed_bounds_are_refused() {
        let errors = ArchiveFilter::parse(&raw(&[
            ("min_duration", "10"),
            ("max_duration", "5"),
            ("min_size", "2MB"),
            ("max_size", "1MB"),
            ("from", "2026-02-02"),
            ("to", "2026-02-01"),
        ]))
        .unwrap_err();
        assert_eq!(
            errors,
            vec![
                (FilterField::MinDuration, FilterError::Reversed("duration")),
                (FilterField::MinSize, FilterError::Reversed("size")),
                (FilterField::From, FilterError::DatesReversed),
            ]
        );
        assert!(ArchiveFilter::parse(&raw(&[("from", "2026-02-30")])).is_err());
    }
}
