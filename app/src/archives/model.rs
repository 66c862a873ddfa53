//! An archive as the archives page and the rooms page see it
//! ([`ArchiveSummary`]: the platform's archive object reduced to what
//! people are shown), its lifecycle state with the words and rules the UI
//! needs ([`ArchiveState`]), and one page of filtered results
//! ([`ArchiveListing`]). The server builds these from the media
//! provider's archives, whichever provider it runs.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// How many of the newest archives one listing searches.
pub const SCAN_LIMIT: u64 = 2_000;
/// How many matching archives one listing returns.
pub const SHOW_LIMIT: usize = 100;

/// An archive's lifecycle state, named as the platform names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ArchiveState {
    /// Recording.
    Started,
    /// Recording, but nobody publishes.
    Paused,
    /// Recording ended; the file is being made.
    Stopped,
    /// Uploaded to the project's own storage.
    Uploaded,
    /// Ready: playable and downloadable from its `url`.
    Available,
    /// No longer downloadable.
    Expired,
    /// Recording or processing failed.
    Failed,
    /// Deleted.
    Deleted,
}

impl ArchiveState {
    /// Every state, in lifecycle order (the status filter's choices).
    pub const ALL: [ArchiveState; 8] = [
        ArchiveState::Started,
        ArchiveState::Paused,
        ArchiveState::Stopped,
        ArchiveState::Uploaded,
        ArchiveState::Available,
        ArchiveState::Expired,
        ArchiveState::Failed,
        ArchiveState::Deleted,
    ];

    /// The platform's name, e.g. `"available"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ArchiveState::Started => "started",
            ArchiveState::Paused => "paused",
            ArchiveState::Stopped => "stopped",
            ArchiveState::Uploaded => "uploaded",
            ArchiveState::Available => "available",
            ArchiveState::Expired => "expired",
            ArchiveState::Failed => "failed",
            ArchiveState::Deleted => "deleted",
        }
    }

    /// The state named `raw` (the platform's name, any case).
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        Self::ALL
            .into_iter()
            .find(|state| state.as_str().eq_ignore_ascii_case(raw))
    }

    /// The word people see.
    pub fn label(self) -> &'static str {
        match self {
            ArchiveState::Started => "Recording",
            ArchiveState::Paused => "Paused",
            ArchiveState::Stopped => "Processing",
            ArchiveState::Uploaded => "Uploaded",
            ArchiveState::Available => "Available",
            ArchiveState::Expired => "Expired",
            ArchiveState::Failed => "Failed",
            ArchiveState::Deleted => "Deleted",
        }
    }

    /// Still changing on its own (recording or being processed): the page
    /// shows a spinner and refreshes until it settles.
    pub fn is_pending(self) -> bool {
        matches!(
            self,
            ArchiveState::Started | ArchiveState::Paused | ArchiveState::Stopped
        )
    }

    /// Why it cannot be deleted, or `None` when it can (as on the
    /// platform, only available and uploaded archives can).
    pub fn delete_blocker(self) -> Option<&'static str> {
        match self {
            ArchiveState::Available | ArchiveState::Uploaded => None,
            ArchiveState::Started | ArchiveState::Paused => {
                Some("It is still recording: stop it first.")
            }
            ArchiveState::Stopped => Some("It is still being processed."),
            ArchiveState::Expired | ArchiveState::Failed | ArchiveState::Deleted => {
                Some("Only available recordings can be deleted.")
            }
        }
    }
}

/// One file for everyone, or one per stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputKind {
    /// One composed WebM of the whole call.
    Composed,
    /// A zip with one WebM per stream and a manifest.
    Individual,
}

/// What the pages show of one archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchiveSummary {
    /// The archive's id.
    pub id: Uuid,
    /// Its name (rooms name their recordings after the room).
    pub name: Option<String>,
    /// The recorded session.
    pub session_id: String,
    /// Where it is in its lifecycle.
    pub state: ArchiveState,
    /// Composed or individual.
    pub output: OutputKind,
    /// Recorded length in seconds (0 while recording).
    pub duration_secs: u64,
    /// File size in bytes (0 until made).
    pub size_bytes: u64,
    /// When it started, epoch milliseconds.
    pub created_at_ms: i64,
    /// Where the file is served, once available.
    pub url: Option<String>,
    /// Why it stopped or failed, when the platform says.
    pub reason: String,
}

impl ArchiveSummary {
    /// Its name, or words for a nameless one.
    pub fn title(&self) -> &str {
        self.name
            .as_deref()
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .unwrap_or("Untitled recording")
    }

    /// The file to download, once there is one.
    pub fn download_url(&self) -> Option<&str> {
        match self.state {
            ArchiveState::Available | ArchiveState::Uploaded => self.url.as_deref(),
            _ => None,
        }
    }

    /// The video the page can play: composed archives only (an individual
    /// archive is a zip of separate streams, which browsers do not play).
    pub fn playable_url(&self) -> Option<&str> {
        match self.output {
            OutputKind::Composed => self.download_url(),
            OutputKind::Individual => None,
        }
    }

    /// `/archive/{id}/view`: waits for the file, then redirects to it.
    pub fn view_href(&self) -> String {
        view_href(&self.id.to_string())
    }
}

/// `/archive/{id}/view` for the archive with id `id`.
pub fn view_href(id: &str) -> String {
    format!("/archive/{id}/view")
}

/// One answer of the archives list.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ArchiveListing {
    /// The matching archives, newest first (at most [`SHOW_LIMIT`]).
    pub items: Vec<ArchiveSummary>,
    /// How many of the searched archives match.
    pub matched: u64,
    /// How many archives were searched (the newest ones, at most
    /// [`SCAN_LIMIT`]).
    pub scanned: u64,
    /// How many archives the platform has (in the chosen session).
    pub total: u64,
}

impl ArchiveListing {
    /// Whether some listed archive is still recording or being processed.
    pub fn any_pending(&self) -> bool {
        self.items.iter().any(|item| item.state.is_pending())
    }

    /// Whether older archives were left out of the search.
    pub fn searched_partly(&self) -> bool {
        self.scanned < self.total
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// An archive for tests.
    pub(crate) fn summary(state: ArchiveState, output: OutputKind) -> ArchiveSummary {
        ArchiveSummary {
            id: Uuid::from_u128(7),
            name: Some("demo".into()),
            session_id: "1_MX4xMjM0NTZ-fg".into(),
            state,
            output,
            duration_secs: 65,
            size_bytes: 2_400_000,
            created_at_ms: 1_795_529_130_000,
            url: Some("/recordings/7/archive.webm".into()),
            reason: String::new(),
        }
    }

    #[test]
    fn states_round_trip_their_names() {
        for state in ArchiveState::ALL {
            assert_eq!(ArchiveState::parse(state.as_str()), Some(state));
            assert_eq!(
                serde_json::to_string(&state).unwrap(),
                format!("\"{}\"", state.as_str())
            );
        }
        assert_eq!(
            ArchiveState::parse(" Available "),
            Some(ArchiveState::Available)
        );
        assert_eq!(ArchiveState::parse("done"), None);
    }

    #[test]
    fn only_settled_archives_can_be_deleted() {
        let deletable: Vec<_> = ArchiveState::ALL
            .into_iter()
            .filter(|s| s.delete_blocker().is_none())
            .collect();
        assert_eq!(deletable, [ArchiveState::Uploaded, ArchiveState::Available]);
        assert_eq!(
            ArchiveState::Stopped.delete_blocker(),
            Some("It is still being processed.")
        );
        let pending: Vec<_> = ArchiveState::ALL
            .into_iter()
            .filter(|s| s.is_pending())
            .collect();
        assert_eq!(
            pending,
            [
                ArchiveState::Started,
                ArchiveState::Paused,
                ArchiveState::Stopped
            ]
        );
    }

    #[test]
    fn only_available_composed_archives_play() {
        let ready = summary(ArchiveState::Available, OutputKind::Composed);
        assert_eq!(ready.playable_url(), Some("/recordings/7/archive.webm"));
        assert_eq!(ready.view_href(), format!("/archive/{}/view", ready.id));
        let zip = summary(ArchiveState::Available, OutputKind::Individual);
        assert_eq!(zip.playable_url(), None);
        assert_eq!(zip.download_url(), Some("/recordings/7/archive.webm"));
        let busy = summary(ArchiveState::Stopped, OutputKind::Composed);
        assert_eq!((busy.playable_url(), busy.download_url()), (None, None));
    }

    #[test]
    fn titles_and_listing_facts() {
        let mut nameless = summary(ArchiveState::Started, OutputKind::Composed);
        nameless.name = Some("  ".into());
        assert_eq!(nameless.title(), "Untitled recording");
        let listing = ArchiveListing {
            items: vec![nameless],
            matched: 1,
            scanned: 2_000,
            total: 2_500,
        };
        assert!(listing.any_pending());
        assert!(listing.searched_partly());
        assert!(!ArchiveListing::default().any_pending());
    }
}
