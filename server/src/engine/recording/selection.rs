//! Which streams an archive records, and with which tracks. A track is
//! recorded when the archive records that kind (`hasAudio` / `hasVideo`),
//! the stream sends it, and — in manual stream mode — the stream was
//! added to the archive with that kind. Automatic mode records every
//! stream; manual mode only those in `archive.streams`, a list that
//! [`StreamChange`]s edit while the archive records.

use std::collections::HashMap;

use uuid::Uuid;

use crate::engine::hub::protocol::StreamView;
use crate::opentok::model::{Archive, StreamMode};

use super::TrackSpec;

/// A `PATCH /archive/{id}/streams` request (manual stream mode).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamChange {
    /// Include a stream, with or without its audio and video.
    Add {
        /// The stream.
        stream_id: Uuid,
        /// Whether its audio is recorded.
        has_audio: bool,
        /// Whether its video is recorded.
        has_video: bool,
    },
    /// Stop including a stream.
    Remove {
        /// The stream.
        stream_id: Uuid,
    },
}

/// The kinds a stream (or an archive) records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Kinds {
    audio: bool,
    video: bool,
}

/// What an archive records; see the module documentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    archive: Kinds,
    /// `None` in automatic mode; the included streams in manual mode.
    manual: Option<HashMap<Uuid, Kinds>>,
}

impl Selection {
    /// The selection of `archive` as it is now.
    pub fn of(archive: &Archive) -> Selection {
        let manual = (archive.stream_mode == StreamMode::Manual).then(|| {
            archive
                .streams
                .iter()
                // Ids were checked when added; one that is not a UUID can
                // never match a routed stream.
                .filter_map(|s| {
                    let id = Uuid::parse_str(&s.stream_id).ok()?;
                    Some((
                        id,
                        Kinds {
                            audio: s.has_audio,
                            video: s.has_video,
                        },
                    ))
                })
                .collect()
        });
        Selection {
            archive: Kinds {
                audio: archive.has_audio,
                video: archive.has_video,
            },
            manual,
        }
    }

    /// The tracks recorded of `stream`; `None` when it is not recorded.
    pub fn tracks(&self, stream: &StreamView) -> Option<TrackSpec> {
        let picked = match &self.manual {
            None => Kinds {
                audio: true,
                video: true,
            },
            Some(included) => *included.get(&stream.stream_id)?,
        };
        TrackSpec::from_flags(
            self.archive.audio && picked.audio && stream.has_audio,
            self.archive.video && picked.video && stream.has_video,
        )
    }

    /// Applies a manual-mode change (ignored in automatic mode).
    pub fn apply(&mut self, change: &StreamChange) {
        let Some(included) = &mut self.manual else {
            return;
        };
        match *change {
            StreamChange::Add {
                stream_id,
                has_audio,
                has_video,
            } => {
                included.insert(
                    stream_id,
                    Kinds {
                        audio: has_audio,
                        video: has_video,
                    },
                );
            }
            StreamChange::Remove { stream_id } => {
                included.remove(&stream_id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opentok::model::{ArchiveOptions, ArchiveStream, MediaMode, ProjectId, VideoType};
    use crate::opentok::session_id::SessionId;

    fn archive(mode: StreamMode, has_audio: bool, has_video: bool) -> Archive {
        let session = SessionId::generate("123456", None, MediaMode::Routed);
        let mut options = ArchiveOptions::new(session);
        options.stream_mode = mode;
        options.has_audio = has_audio;
        options.has_video = has_video;
        Archive::started(&options, ProjectId::new("123456"), 0)
    }

    fn stream(id: u128, has_audio: bool, has_video: bool) -> StreamView {
        StreamView {
            stream_id: Uuid::from_u128(id),
            connection_id: Uuid::from_u128(100 + id),
            name: String::new(),
            has_audio,
            has_video,
            video_type: has_video.then_some(VideoType::Camera),
            creation_time: 0,
        }
    }

    #[test]
    fn automatic_mode_records_what_both_the_archive_and_the_stream_have() {
        let all = Selection::of(&archive(StreamMode::Auto, true, true));
        assert_eq!(
            all.tracks(&stream(1, true, true)),
            Some(TrackSpec::AudioVideo)
        );
        assert_eq!(all.tracks(&stream(2, true, false)), Some(TrackSpec::Audio));
        let audio_only = Selection::of(&archive(StreamMode::Auto, true, false));
        assert_eq!(
            audio_only.tracks(&stream(1, true, true)),
            Some(TrackSpec::Audio)
        );
        assert_eq!(audio_only.tracks(&stream(2, false, true)), None);
    }

    #[test]
    fn manual_mode_records_only_added_streams_with_their_own_flags() {
        let mut manual = archive(StreamMode::Manual, true, true);
        manual.streams = vec![
            ArchiveStream {
                stream_id: Uuid::from_u128(1).to_string(),
                has_audio: false,
                has_video: true,
            },
            ArchiveStream {
                stream_id: "not-a-uuid".into(),
                has_audio: true,
                has_video: true,
            },
        ];
        let mut selection = Selection::of(&manual);
        assert_eq!(
            selection.tracks(&stream(1, true, true)),
            Some(TrackSpec::Video)
        );
        assert_eq!(selection.tracks(&stream(2, true, true)), None);
        selection.apply(&StreamChange::Add {
            stream_id: Uuid::from_u128(2),
            has_audio: true,
            has_video: false,
        });
        assert_eq!(
            selection.tracks(&stream(2, true, true)),
            Some(TrackSpec::Audio)
        );
        selection.apply(&StreamChange::Remove {
            stream_id: Uuid::from_u128(1),
        });
        assert_eq!(selection.tracks(&stream(1, true, true)), None);
    }

    #[test]
    fn changes_do_not_narrow_automatic_mode() {
        let mut auto = Selection::of(&archive(StreamMode::Auto, true, true));
        auto.apply(&StreamChange::Remove {
            stream_id: Uuid::from_u128(1),
        });
        assert_eq!(
            auto.tracks(&stream(1, true, true)),
            Some(TrackSpec::AudioVideo)
        );
    }
}
