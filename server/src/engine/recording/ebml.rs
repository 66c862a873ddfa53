//! EBML, the binary container under Matroska/WebM: element ids, variable
//! length sizes ("vints") and the handful of element encodings the WebM
//! writer needs. Every element is `id | size vint | payload`; ids keep their
//! length marker bits, sizes get them added here. Pure functions, no I/O.

/// The element ids the WebM writer uses (Matroska specification values).
pub(crate) mod id {
    pub const EBML: u32 = 0x1A45_DFA3;
    pub const EBML_VERSION: u32 = 0x4286;
    pub const EBML_READ_VERSION: u32 = 0x42F7;
    pub const EBML_MAX_ID_LENGTH: u32 = 0x42F2;
    pub const EBML_MAX_SIZE_LENGTH: u32 = 0x42F3;
    pub const DOC_TYPE: u32 = 0x4282;
    pub const DOC_TYPE_VERSION: u32 = 0x4287;
    pub const DOC_TYPE_READ_VERSION: u32 = 0x4285;
    pub const VOID: u32 = 0xEC;

    pub const SEGMENT: u32 = 0x1853_8067;
    pub const SEEK_HEAD: u32 = 0x114D_9B74;
    pub const SEEK: u32 = 0x4DBB;
    pub const SEEK_ID: u32 = 0x53AB;
    pub const SEEK_POSITION: u32 = 0x53AC;

    pub const INFO: u32 = 0x1549_A966;
    pub const TIMESTAMP_SCALE: u32 = 0x2A_D7B1;
    pub const DURATION: u32 = 0x4489;
    pub const MUXING_APP: u32 = 0x4D80;
    pub const WRITING_APP: u32 = 0x5741;

    pub const TRACKS: u32 = 0x1654_AE6B;
    pub const TRACK_ENTRY: u32 = 0xAE;
    pub const TRACK_NUMBER: u32 = 0xD7;
    pub const TRACK_UID: u32 = 0x73C5;
    pub const TRACK_TYPE: u32 = 0x83;
    pub const FLAG_LACING: u32 = 0x9C;
    pub const CODEC_ID: u32 = 0x86;
    pub const CODEC_PRIVATE: u32 = 0x63A2;
    pub const CODEC_DELAY: u32 = 0x56AA;
    pub const SEEK_PRE_ROLL: u32 = 0x56BB;
    pub const VIDEO: u32 = 0xE0;
    pub const PIXEL_WIDTH: u32 = 0xB0;
    pub const PIXEL_HEIGHT: u32 = 0xBA;
    pub const AUDIO: u32 = 0xE1;
    pub const SAMPLING_FREQUENCY: u32 = 0xB5;
    pub const CHANNELS: u32 = 0x9F;

    pub const CLUSTER: u32 = 0x1F43_B675;
    pub const TIMESTAMP: u32 = 0xE7;
    pub const SIMPLE_BLOCK: u32 = 0xA3;

    pub const CUES: u32 = 0x1C53_BB6B;
    pub const CUE_POINT: u32 = 0xBB;
    pub const CUE_TIME: u32 = 0xB3;
    pub const CUE_TRACK_POSITIONS: u32 = 0xB7;
    pub const CUE_TRACK: u32 = 0xF7;
    pub const CUE_CLUSTER_POSITION: u32 = 0xF1;
}

/// The 8-byte size meaning "unknown": the element runs to its parent's end
/// (or the file's end), so a segment can be written live.
pub(crate) const UNKNOWN_SIZE: [u8; 8] = [0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];

/// The largest size an 8-byte vint can carry (all ones is reserved).
const MAX_SIZE: u64 = (1 << 56) - 2;

/// Appends an element id (its bytes already carry the length marker).
pub(crate) fn put_id(out: &mut Vec<u8>, id: u32) {
    let bytes = id.to_be_bytes();
    let skip = bytes.iter().take_while(|b| **b == 0).count().min(3);
    out.extend_from_slice(&bytes[skip..]);
}

/// Appends `size` as the shortest vint. A value whose bits are all ones in
/// its length would read as "unknown", so it takes one byte more.
pub(crate) fn put_size(out: &mut Vec<u8>, size: u64) {
    assert!(
        size <= MAX_SIZE,
        "an EBML element of {size} bytes cannot be built in memory"
    );
    let len = (1..=8u32)
        .find(|len| size < (1u64 << (7 * len)) - 1)
        .unwrap_or(8);
    put_size_fixed(out, size, len as usize);
}

/// Appends `size` as a vint of exactly `len` bytes (1–8), so that it can be
/// overwritten later with another value of the same length.
pub(crate) fn put_size_fixed(out: &mut Vec<u8>, size: u64, len: usize) {
    debug_assert!((1..=8).contains(&len) && size < (1u64 << (7 * len)) - 1);
    let marked = size | (1u64 << (7 * len));
    out.extend_from_slice(&marked.to_be_bytes()[8 - len..]);
}

/// An element with a raw payload.
pub(crate) fn element(id: u32, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + 12);
    put_id(&mut out, id);
    put_size(&mut out, payload.len() as u64);
    out.extend_from_slice(payload);
    out
}

/// A master element holding `children`, already encoded.
pub(crate) fn master(id: u32, children: &[Vec<u8>]) -> Vec<u8> {
    element(id, &children.concat())
}

/// An unsigned integer element in the fewest bytes (at least one).
pub(crate) fn uint(id: u32, value: u64) -> Vec<u8> {
    let bytes = value.to_be_bytes();
    let skip = bytes.iter().take_while(|b| **b == 0).count().min(7);
    element(id, &bytes[skip..])
}

/// An unsigned integer element in exactly `len` bytes, for values patched later.
pub(crate) fn uint_fixed(id: u32, value: u64, len: usize) -> Vec<u8> {
    debug_assert!((1..=8).contains(&len) && (len == 8 || value >> (8 * len) == 0));
    element(id, &value.to_be_bytes()[8 - len..])
}

/// A 64-bit float element.
pub(crate) fn float(id: u32, value: f64) -> Vec<u8> {
    element(id, &value.to_be_bytes())
}

/// A string element (ASCII or UTF-8).
pub(crate) fn string(id: u32, value: &str) -> Vec<u8> {
    element(id, value.as_bytes())
}

/// A Void element filling exactly `total` bytes (at least 2): padding that
/// readers skip, later overwritten in place.
pub(crate) fn void(total: usize) -> Vec<u8> {
    assert!((2..=1 << 20).contains(&total), "a Void of {total} bytes");
    let size_len = if total - 2 < 127 { 1 } else { 8 };
    let mut out = Vec::with_capacity(total);
    put_id(&mut out, id::VOID);
    put_size_fixed(&mut out, (total - 1 - size_len) as u64, size_len);
    out.resize(total, 0);
    out
}

/// A minimal EBML reader for the recording module's tests.
#[cfg(test)]
pub(crate) mod read {
    use std::ops::Range;

    /// One element: its id, where it starts and where its payload is.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Element {
        pub id: u32,
        pub at: usize,
        pub body: Range<usize>,
    }

    /// A vint's length and value, with or without its length marker.
    fn vint(bytes: &[u8], keep_marker: bool) -> (usize, u64) {
        let len = bytes[0].leading_zeros() as usize + 1;
        let first = if keep_marker {
            bytes[0]
        } else {
            bytes[0] & (0xFF_u16 >> len) as u8
        };
        let value = bytes[1..len]
            .iter()
            .fold(u64::from(first), |v, b| v << 8 | u64::from(*b));
        (len, value)
    }

    /// The elements directly inside `range`; an unknown size runs to its end.
    pub fn children(bytes: &[u8], range: Range<usize>) -> Vec<Element> {
        let mut out = Vec::new();
        let mut at = range.start;
        while at < range.end {
            let (id_len, id) = vint(&bytes[at..], true);
            let (size_len, size) = vint(&bytes[at + id_len..], false);
            let start = at + id_len + size_len;
            let unknown = size == (1u64 << (7 * size_len)) - 1;
            let end = if unknown {
                range.end
            } else {
                start + size as usize
            };
            out.push(Element {
                id: id as u32,
                at,
                body: start..end,
            });
            at = end;
        }
        out
    }

    /// The payload of an unsigned integer element.
    pub fn uint(bytes: &[u8], element: &Element) -> u64 {
        bytes[element.body.clone()]
            .iter()
            .fold(0, |v, b| v << 8 | u64::from(*b))
    }

    /// (absolute timestamp, track byte, flags) of every SimpleBlock in the
    /// Clusters among `segment`.
    pub fn blocks(bytes: &[u8], segment: &[Element]) -> Vec<(u64, u8, u8)> {
        let mut out = Vec::new();
        for cluster in segment.iter().filter(|e| e.id == super::id::CLUSTER) {
            let start = uint(bytes, &child(bytes, cluster, super::id::TIMESTAMP)) as i64;
            for block in children(bytes, cluster.body.clone()) {
                let b = &bytes[block.body.clone()];
                if block.id == super::id::SIMPLE_BLOCK {
                    let relative = i64::from(i16::from_be_bytes([b[1], b[2]]));
                    out.push(((start + relative) as u64, b[0], b[3]));
                }
            }
        }
        out
    }

    /// The first child of `parent` with this id.
    pub fn child(bytes: &[u8], parent: &Element, id: u32) -> Element {
        children(bytes, parent.body.clone())
            .into_iter()
            .find(|e| e.id == id)
            .unwrap_or_else(|| panic!("no element {id:X} in {:X}", parent.id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn size(value: u64) -> Vec<u8> {
        let mut out = Vec::new();
        put_size(&mut out, value);
        out
    }

    #[test]
    fn sizes_use_the_shortest_vint_and_avoid_the_unknown_pattern() {
        assert_eq!(size(0), [0x80]);
        assert_eq!(size(5), [0x85]);
        assert_eq!(size(126), [0xFE]);
        assert_eq!(size(127), [0x40, 0x7F]);
        assert_eq!(size(16_382), [0x7F, 0xFE]);
        assert_eq!(size(16_383), [0x20, 0x3F, 0xFF]);
        assert_eq!(
            size(MAX_SIZE),
            [0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE]
        );
    }

    #[test]
    fn fixed_sizes_pad_with_zeros() {
        let mut out = Vec::new();
        put_size_fixed(&mut out, 5, 8);
        assert_eq!(out, [0x01, 0, 0, 0, 0, 0, 0, 5]);
        out.clear();
        put_size_fixed(&mut out, 300, 2);
        assert_eq!(out, [0x41, 0x2C]);
    }

    #[test]
    fn ids_keep_their_own_length() {
        let mut out = Vec::new();
        put_id(&mut out, id::EBML);
        put_id(&mut out, id::TIMESTAMP_SCALE);
        put_id(&mut out, id::SEEK);
        put_id(&mut out, id::SIMPLE_BLOCK);
        assert_eq!(
            out,
            [0x1A, 0x45, 0xDF, 0xA3, 0x2A, 0xD7, 0xB1, 0x4D, 0xBB, 0xA3]
        );
    }

    #[test]
    fn integers_are_big_endian_and_minimal() {
        assert_eq!(uint(id::TRACK_NUMBER, 1), [0xD7, 0x81, 0x01]);
        assert_eq!(uint(id::TRACK_NUMBER, 0), [0xD7, 0x81, 0x00]);
        assert_eq!(
            uint(id::TIMESTAMP_SCALE, 1_000_000),
            [0x2A, 0xD7, 0xB1, 0x83, 0x0F, 0x42, 0x40]
        );
        assert_eq!(
            uint_fixed(id::PIXEL_WIDTH, 320, 2),
            [0xB0, 0x82, 0x01, 0x40]
        );
    }

    #[test]
    fn floats_strings_and_masters() {
        assert_eq!(
            float(id::SAMPLING_FREQUENCY, 48_000.0),
            [0xB5, 0x88, 0x40, 0xE7, 0x70, 0, 0, 0, 0, 0]
        );
        assert_eq!(
            string(id::DOC_TYPE, "webm"),
            [0x42, 0x82, 0x84, b'w', b'e', b'b', b'm']
        );
        assert_eq!(
            master(
                id::VIDEO,
                &[uint(id::PIXEL_WIDTH, 2), uint(id::PIXEL_HEIGHT, 3)]
            ),
            [0xE0, 0x86, 0xB0, 0x81, 0x02, 0xBA, 0x81, 0x03]
        );
    }

    #[test]
    fn voids_fill_exactly_the_requested_length() {
        assert_eq!(void(2), [0xEC, 0x80]);
        assert_eq!(void(5), [0xEC, 0x83, 0, 0, 0]);
        for total in [2, 3, 100, 128, 129, 130, 4096] {
            let v = void(total);
            assert_eq!(v.len(), total);
            let declared = if v[1] & 0x80 != 0 {
                usize::from(v[1] & 0x7F) + 2
            } else {
                usize::try_from(u64::from_be_bytes(v[1..9].try_into().unwrap()) & !(1 << 56))
                    .unwrap()
                    + 9
            };
            assert_eq!(declared, total, "void({total})");
        }
    }
}
