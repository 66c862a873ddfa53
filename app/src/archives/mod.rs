//! Archives (recordings) as the pages see them, whichever media provider
//! records them: the shared model ([`model`]), durations and sizes in human
//! units ([`units`]), the `/archives` page's filters as they travel in its
//! query ([`query`]) and typed ([`filter`]), and, on the server side, the
//! interface the pages' server functions call ([`backend`]).

#[cfg(feature = "ssr")]
pub mod backend;
pub mod filter;
pub mod model;
pub mod query;
pub mod units;

pub use filter::{ArchiveFilter, FilterError};
pub use model::{
    view_href, ArchiveListing, ArchiveState, ArchiveSummary, OutputKind, SCAN_LIMIT, SHOW_LIMIT,
};
pub use query::{FilterField, RawFilter};
pub use units::{format_duration, format_size, parse_duration, parse_size, UnitError};
