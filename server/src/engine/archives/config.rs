//! Where archives are written, how long recordings may run, and the public
//! address their files are served under.

use std::path::PathBuf;
use std::time::Duration;

use url::Url;

/// Recording settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveConfig {
    /// The directory holding one sub-directory per archive.
    pub dir: PathBuf,
    /// An archive stops this long after the last client left its session.
    pub idle_stop: Duration,
    /// An archive stops after recording this long.
    pub max_duration: Duration,
    /// The server's public base URL: an available archive's `url` is this
    /// plus the file's path; without it, the `url` is the absolute path.
    pub public_url: Option<Url>,
}

impl Default for ArchiveConfig {
    fn default() -> Self {
        ArchiveConfig {
            dir: std::env::temp_dir().join("rendezvous-archives"),
            idle_stop: Duration::from_secs(60),
            max_duration: Duration::from_secs(4 * 60 * 60),
            public_url: None,
        }
    }
}
