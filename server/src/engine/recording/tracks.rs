//! The tracks of a stream file: which ones it holds ([`TrackSpec`]), their
//! numbers, and their Matroska `TrackEntry` headers — Opus with the OpusHead
//! codec-private block WebRTC streams need, VP8 with the picture size read
//! from a keyframe ([`VideoSize::from_vp8_keyframe`]).

use super::ebml::{self, id};
use super::TrackKind;

/// Opus in WebRTC is always 48 kHz, negotiated as two channels.
const OPUS_RATE: u32 = 48_000;
const OPUS_CHANNELS: u8 = 2;
/// Decoders should decode this much before a seek target (80 ms, in ns).
const OPUS_SEEK_PRE_ROLL_NS: u64 = 80_000_000;

/// Which tracks a stream file holds: parsed from a stream's
/// `hasAudio` / `hasVideo` once, so a writer always has at least one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrackSpec {
    /// Opus only.
    Audio,
    /// VP8 only.
    Video,
    /// Opus and VP8.
    AudioVideo,
}

impl TrackSpec {
    /// The spec for these flags; `None` when the stream records nothing.
    pub fn from_flags(has_audio: bool, has_video: bool) -> Option<TrackSpec> {
        match (has_audio, has_video) {
            (true, true) => Some(TrackSpec::AudioVideo),
            (true, false) => Some(TrackSpec::Audio),
            (false, true) => Some(TrackSpec::Video),
            (false, false) => None,
        }
    }

    /// Whether the file has this kind of track.
    pub fn has(self, kind: TrackKind) -> bool {
        match kind {
            TrackKind::Audio => self != TrackSpec::Video,
            TrackKind::Video => self != TrackSpec::Audio,
        }
    }

    /// The Matroska track number of `kind`: audio first, then video.
    pub(crate) fn number(self, kind: TrackKind) -> Option<u64> {
        match (self, kind) {
            (TrackSpec::Video, TrackKind::Audio) | (TrackSpec::Audio, TrackKind::Video) => None,
            (TrackSpec::AudioVideo, TrackKind::Video) => Some(2),
            _ => Some(1),
        }
    }
}

/// A picture size in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VideoSize {
    /// Width in pixels.
    pub width: u16,
    /// Height in pixels.
    pub height: u16,
}

impl VideoSize {
    /// Used in the header until a keyframe tells the real size.
    pub const FALLBACK: VideoSize = VideoSize {
        width: 640,
        height: 480,
    };

    /// Reads the size from a VP8 keyframe (RFC 6386 §9.1): a 3-byte frame
    /// tag whose lowest bit is 0 for keyframes, the start code `9D 01 2A`,
    /// then width and height as 14-bit little-endian values.
    pub fn from_vp8_keyframe(frame: &[u8]) -> Option<VideoSize> {
        match frame {
            [tag, _, _, 0x9D, 0x01, 0x2A, w0, w1, h0, h1, ..] if tag & 1 == 0 => {
                let width = u16::from_le_bytes([*w0, *w1]) & 0x3FFF;
                let height = u16::from_le_bytes([*h0, *h1]) & 0x3FFF;
                (width > 0 && height > 0).then_some(VideoSize { width, height })
            }
            _ => None,
        }
    }
}

/// The encoded `Tracks` element, and where in it the two 2-byte pixel size
/// values sit (so a fallback size can be corrected in place).
pub(crate) struct TracksHeader {
    pub bytes: Vec<u8>,
    pub pixel_width_at: Option<usize>,
    pub pixel_height_at: Option<usize>,
}

/// Builds the `Tracks` element for `spec`.
pub(crate) fn tracks_header(spec: TrackSpec, size: VideoSize) -> TracksHeader {
    let audio = spec
        .number(TrackKind::Audio)
        .map(audio_entry)
        .unwrap_or_default();
    let video = spec
        .number(TrackKind::Video)
        .map(|number| video_entry(number, size));
    let video_len = video.as_ref().map_or(0, |(entry, _)| entry.len());
    let mut bytes = Vec::new();
    ebml::put_id(&mut bytes, id::TRACKS);
    ebml::put_size(&mut bytes, (audio.len() + video_len) as u64);
    bytes.extend_from_slice(&audio);
    let (pixel_width_at, pixel_height_at) = match video {
        Some((entry, (width_at, height_at))) => {
            let base = bytes.len();
            bytes.extend_from_slice(&entry);
            (Some(base + width_at), Some(base + height_at))
        }
        None => (None, None),
    };
    TracksHeader {
        bytes,
        pixel_width_at,
        pixel_height_at,
    }
}

/// The 19-byte OpusHead (RFC 7845 §5.1) for WebRTC Opus: version 1, two
/// channels, no pre-skip, 48 kHz, no gain, channel mapping family 0.
pub(crate) fn opus_head() -> Vec<u8> {
    let mut head = b"OpusHead".to_vec();
    head.push(1);
    head.push(OPUS_CHANNELS);
    head.extend_from_slice(&0u16.to_le_bytes());
    head.extend_from_slice(&OPUS_RATE.to_le_bytes());
    head.extend_from_slice(&0i16.to_le_bytes());
    head.push(0);
    head
}

fn audio_entry(number: u64) -> Vec<u8> {
    ebml::master(
        id::TRACK_ENTRY,
        &[
            ebml::uint(id::TRACK_NUMBER, number),
            ebml::uint(id::TRACK_UID, number),
            ebml::uint(id::TRACK_TYPE, 2),
            ebml::uint(id::FLAG_LACING, 0),
            ebml::string(id::CODEC_ID, "A_OPUS"),
            ebml::element(id::CODEC_PRIVATE, &opus_head()),
            ebml::uint(id::CODEC_DELAY, 0),
            ebml::uint(id::SEEK_PRE_ROLL, OPUS_SEEK_PRE_ROLL_NS),
            ebml::master(
                id::AUDIO,
                &[
                    ebml::float(id::SAMPLING_FREQUENCY, f64::from(OPUS_RATE)),
                    ebml::uint(id::CHANNELS, u64::from(OPUS_CHANNELS)),
                ],
            ),
        ],
    )
}

/// A VP8 entry and the offsets (within it) of the width and height values.
fn video_entry(number: u64, size: VideoSize) -> (Vec<u8>, (usize, usize)) {
    let head = [
        ebml::uint(id::TRACK_NUMBER, number),
        ebml::uint(id::TRACK_UID, number),
        ebml::uint(id::TRACK_TYPE, 1),
        ebml::uint(id::FLAG_LACING, 0),
        ebml::string(id::CODEC_ID, "V_VP8"),
    ]
    .concat();
    let width = ebml::uint_fixed(id::PIXEL_WIDTH, u64::from(size.width), 2);
    let height = ebml::uint_fixed(id::PIXEL_HEIGHT, u64::from(size.height), 2);
    let video = ebml::master(id::VIDEO, &[width.clone(), height.clone()]);
    let entry = ebml::master(id::TRACK_ENTRY, &[head.clone(), video.clone()]);
    // Each pixel element is `id (1 byte) | size (1 byte) | 2-byte value`.
    let video_at = entry.len() - video.len();
    let width_at = video_at + (video.len() - width.len() - height.len()) + 2;
    let height_at = width_at + width.len();
    (entry, (width_at, height_at))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A VP8 keyframe header for 320×240 with horizontal scale bits set.
    const KEYFRAME: [u8; 10] = [0x50, 0x42, 0x00, 0x9D, 0x01, 0x2A, 0x40, 0x41, 0xF0, 0x00];

    #[test]
    fn flags_parse_into_a_spec_with_at_least_one_track() {
        assert_eq!(TrackSpec::from_flags(false, false), None);
        let both = TrackSpec::from_flags(true, true).unwrap();
        assert_eq!(both.number(TrackKind::Audio), Some(1));
        assert_eq!(both.number(TrackKind::Video), Some(2));
        let video = TrackSpec::from_flags(false, true).unwrap();
        assert_eq!(video.number(TrackKind::Video), Some(1));
        assert!(!video.has(TrackKind::Audio));
        assert_eq!(TrackSpec::Audio.number(TrackKind::Video), None);
    }

    #[test]
    fn vp8_keyframes_tell_their_size_and_interframes_do_not() {
        assert_eq!(
            VideoSize::from_vp8_keyframe(&KEYFRAME),
            Some(VideoSize {
                width: 320,
                height: 240
            })
        );
        let mut interframe = KEYFRAME;
        interframe[0] |= 1;
        assert_eq!(VideoSize::from_vp8_keyframe(&interframe), None);
        let mut no_start_code = KEYFRAME;
        no_start_code[4] = 0;
        assert_eq!(VideoSize::from_vp8_keyframe(&no_start_code), None);
        assert_eq!(VideoSize::from_vp8_keyframe(&KEYFRAME[..7]), None);
    }

    #[test]
    fn opus_head_is_the_19_byte_rfc_7845_header() {
        assert_eq!(
            opus_head(),
            [
                b'O', b'p', b'u', b's', b'H', b'e', b'a', b'd', 1, 2, 0, 0, 0x80, 0xBB, 0, 0, 0, 0,
                0
            ]
        );
    }

    #[test]
    fn pixel_offsets_point_at_the_size_values() {
        let size = VideoSize {
            width: 0x0123,
            height: 0x0456,
        };
        for spec in [TrackSpec::Video, TrackSpec::AudioVideo] {
            let header = tracks_header(spec, size);
            let w = header.pixel_width_at.unwrap();
            let h = header.pixel_height_at.unwrap();
            assert_eq!(
                header.bytes[w - 2..w + 2],
                [0xB0, 0x82, 0x01, 0x23],
                "{spec:?}"
            );
            assert_eq!(
                header.bytes[h - 2..h + 2],
                [0xBA, 0x82, 0x04, 0x56],
                "{spec:?}"
            );
        }
        let audio = tracks_header(TrackSpec::Audio, size);
        assert_eq!(audio.pixel_width_at, None);
        assert!(audio.bytes.windows(6).any(|w| w == b"A_OPUS"));
        assert!(!audio.bytes.windows(5).any(|w| w == b"V_VP8"));
    }
}
