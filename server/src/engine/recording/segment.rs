//! The parts of a stream file around its tracks, as bytes: the fixed start
//! (EBML header, Segment of unknown size, room for a SeekHead, Info with room
//! for the Duration), Clusters of SimpleBlocks, and the two indexes written
//! on finish: Cues (where the clusters a player can seek to start, and at
//! which time) and the SeekHead (where Info, Tracks and Cues are). Index
//! positions are relative to the Segment's data, as Matroska defines them.
//! Pure encoding, no I/O.

use super::ebml::{self, id};

/// The longest cluster; its blocks' 16-bit relative timestamps stay in range.
pub(crate) const MAX_CLUSTER_MS: u64 = 5_000;
const _: () = assert!(MAX_CLUSTER_MS < i16::MAX as u64);
/// Room kept after the Segment start for the SeekHead written on finish.
pub(crate) const SEEK_HEAD_SPACE: usize = 96;
/// Room kept in Info for the Duration element (id 2 + size 1 + float 8).
const DURATION_SPACE: usize = 11;
/// Timestamps count milliseconds.
const TIMESTAMP_SCALE_NS: u64 = 1_000_000;
const APP: &str = concat!("rendezvous ", env!("CARGO_PKG_VERSION"));

/// The first bytes of a stream file, and where its later patches go.
#[derive(Debug)]
pub(crate) struct Start {
    pub bytes: Vec<u8>,
    /// The Segment's 8-byte size (unknown until finished).
    pub segment_size_at: u64,
    /// The Segment's data; the SeekHead's room starts here.
    pub segment_data_at: u64,
    pub info_at: u64,
    /// The room for the Duration element.
    pub duration_at: u64,
}

/// EBML header, Segment opening, SeekHead room, Info.
pub(crate) fn start() -> Start {
    let header = ebml::master(
        id::EBML,
        &[
            ebml::uint(id::EBML_VERSION, 1),
            ebml::uint(id::EBML_READ_VERSION, 1),
            ebml::uint(id::EBML_MAX_ID_LENGTH, 4),
            ebml::uint(id::EBML_MAX_SIZE_LENGTH, 8),
            ebml::string(id::DOC_TYPE, "webm"),
            ebml::uint(id::DOC_TYPE_VERSION, 4),
            ebml::uint(id::DOC_TYPE_READ_VERSION, 2),
        ],
    );
    let mut bytes = header;
    ebml::put_id(&mut bytes, id::SEGMENT);
    let segment_size_at = bytes.len() as u64;
    bytes.extend_from_slice(&ebml::UNKNOWN_SIZE);
    let segment_data_at = bytes.len() as u64;
    bytes.extend_from_slice(&ebml::void(SEEK_HEAD_SPACE));
    let info_at = bytes.len() as u64;
    let fields = [
        ebml::uint(id::TIMESTAMP_SCALE, TIMESTAMP_SCALE_NS),
        ebml::string(id::MUXING_APP, APP),
        ebml::string(id::WRITING_APP, APP),
    ]
    .concat();
    let info = ebml::element(id::INFO, &[fields, ebml::void(DURATION_SPACE)].concat());
    let duration_at = info_at + (info.len() - DURATION_SPACE) as u64;
    bytes.extend_from_slice(&info);
    Start {
        bytes,
        segment_size_at,
        segment_data_at,
        info_at,
        duration_at,
    }
}

/// The Duration element that replaces its room in Info.
pub(crate) fn duration(ms: u64) -> Vec<u8> {
    ebml::float(id::DURATION, ms as f64)
}

/// A cluster being filled: its start time and its encoded blocks.
#[derive(Debug)]
pub(crate) struct Cluster {
    pub start_ms: u64,
    /// The track to index it under, if a player can start decoding at it.
    pub cue_track: Option<u64>,
    blocks: Vec<u8>,
}

impl Cluster {
    /// An empty cluster starting at `start_ms`.
    pub fn new(start_ms: u64, cue_track: Option<u64>) -> Cluster {
        Cluster {
            start_ms,
            cue_track,
            blocks: Vec::new(),
        }
    }

    /// Whether a block at `ts_ms` (not earlier than the start) still fits.
    pub fn fits(&self, ts_ms: u64) -> bool {
        ts_ms - self.start_ms < MAX_CLUSTER_MS
    }

    /// Appends a SimpleBlock (no lacing) for a frame that [`Cluster::fits`].
    pub fn push_block(&mut self, ts_ms: u64, track: u64, keyframe: bool, data: &[u8]) {
        let relative = i16::try_from(ts_ms - self.start_ms)
            .expect("clusters are closed before relative timestamps leave i16");
        let blocks = &mut self.blocks;
        ebml::put_id(blocks, id::SIMPLE_BLOCK);
        ebml::put_size(blocks, 4 + data.len() as u64);
        ebml::put_size(blocks, track);
        blocks.extend_from_slice(&relative.to_be_bytes());
        blocks.push(if keyframe { 0x80 } else { 0x00 });
        blocks.extend_from_slice(data);
    }

    /// The whole Cluster element.
    pub fn encode(&self) -> Vec<u8> {
        let timestamp = ebml::uint(id::TIMESTAMP, self.start_ms);
        let mut out = Vec::with_capacity(self.blocks.len() + 16);
        ebml::put_id(&mut out, id::CLUSTER);
        ebml::put_size(&mut out, (timestamp.len() + self.blocks.len()) as u64);
        out.extend_from_slice(&timestamp);
        out.extend_from_slice(&self.blocks);
        out
    }
}

/// A cluster a player can start decoding at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cue {
    /// The cluster's timestamp (ms).
    pub time_ms: u64,
    /// The track whose keyframe starts it.
    pub track: u64,
    /// The cluster's position in the Segment's data.
    pub cluster_at: u64,
}

/// The Cues element, or `None` when nothing can be sought to.
pub(crate) fn cues(points: &[Cue]) -> Option<Vec<u8>> {
    if points.is_empty() {
        return None;
    }
    let points: Vec<Vec<u8>> = points
        .iter()
        .map(|cue| {
            let position = ebml::master(
                id::CUE_TRACK_POSITIONS,
                &[
                    ebml::uint(id::CUE_TRACK, cue.track),
                    ebml::uint(id::CUE_CLUSTER_POSITION, cue.cluster_at),
                ],
            );
            ebml::master(
                id::CUE_POINT,
                &[ebml::uint(id::CUE_TIME, cue.time_ms), position],
            )
        })
        .collect();
    Some(ebml::master(id::CUES, &points))
}

/// A SeekHead pointing at `targets` (element id, position in the Segment's
/// data), padded with a Void to exactly `room` bytes.
pub(crate) fn seek_head(targets: &[(u32, u64)], room: usize) -> Vec<u8> {
    let seeks: Vec<Vec<u8>> = targets
        .iter()
        .map(|&(target, at)| {
            let mut target_id = Vec::new();
            ebml::put_id(&mut target_id, target);
            ebml::master(
                id::SEEK,
                &[
                    ebml::element(id::SEEK_ID, &target_id),
                    ebml::uint(id::SEEK_POSITION, at),
                ],
            )
        })
        .collect();
    let head = ebml::master(id::SEEK_HEAD, &seeks);
    assert!(
        head.len() + 2 <= room,
        "a SeekHead of {} bytes does not fit its {room} bytes",
        head.len()
    );
    let pad = ebml::void(room - head.len());
    [head, pad].concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_start_leaves_room_for_every_patch() {
        let start = start();
        let b = &start.bytes;
        assert_eq!(b[..4], [0x1A, 0x45, 0xDF, 0xA3]);
        assert!(b.windows(4).any(|w| w == b"webm"));
        let size_at = start.segment_size_at as usize;
        assert_eq!(b[size_at - 4..size_at], [0x18, 0x53, 0x80, 0x67]);
        assert_eq!(b[size_at..size_at + 8], ebml::UNKNOWN_SIZE);
        let data_at = start.segment_data_at as usize;
        assert_eq!(
            b[data_at..data_at + 2],
            [0xEC, 0x80 | (SEEK_HEAD_SPACE - 2) as u8]
        );
        assert_eq!(b[start.info_at as usize..][..4], [0x15, 0x49, 0xA9, 0x66]);
        let duration_at = start.duration_at as usize;
        assert_eq!(b[duration_at..], [0xEC, 0x89, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(duration(1500).len(), DURATION_SPACE);
    }

    #[test]
    fn clusters_hold_simple_blocks_relative_to_their_start() {
        let mut cluster = Cluster::new(5000, Some(2));
        assert!(cluster.fits(9_999) && !cluster.fits(10_000));
        cluster.push_block(5000, 2, true, &[0xAA]);
        cluster.push_block(5300, 1, false, &[0xBB, 0xCC]);
        assert_eq!(
            cluster.encode(),
            [
                0x1F, 0x43, 0xB6, 0x75, 0x93, // Cluster
                0xE7, 0x82, 0x13, 0x88, // Timestamp 5000
                0xA3, 0x85, 0x82, 0x00, 0x00, 0x80, 0xAA, // track 2, +0, key
                0xA3, 0x86, 0x81, 0x01, 0x2C, 0x00, 0xBB, 0xCC, // track 1, +300
            ]
        );
    }

    #[test]
    fn cues_list_time_track_and_position() {
        assert_eq!(cues(&[]), None);
        let cue = Cue {
            time_ms: 5000,
            track: 2,
            cluster_at: 300,
        };
        assert_eq!(
            cues(&[cue]).unwrap(),
            [
                0x1C, 0x53, 0xBB, 0x6B, 0x8F, // Cues
                0xBB, 0x8D, // CuePoint
                0xB3, 0x82, 0x13, 0x88, // CueTime 5000
                0xB7, 0x87, // CueTrackPositions
                0xF7, 0x81, 0x02, // CueTrack 2
                0xF1, 0x82, 0x01, 0x2C, // CueClusterPosition 300
            ]
        );
    }

    #[test]
    fn seek_heads_fill_their_room_exactly() {
        let three = [(id::INFO, 96), (id::TRACKS, 160), (id::CUES, u64::MAX >> 8)];
        let head = seek_head(&three, 96);
        assert_eq!(head.len(), 96);
        assert_eq!(head[..4], [0x11, 0x4D, 0x9B, 0x74]);
        assert!(head.windows(4).any(|w| w == [0x15, 0x49, 0xA9, 0x66]));
        let head_len = usize::from(head[4] & 0x7F) + 5;
        assert_eq!(head[head_len], 0xEC, "the rest is a Void");
        assert_eq!(seek_head(&three[..1], 96).len(), 96);
    }
}
