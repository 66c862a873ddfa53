//! Where each video goes on a composed archive's canvas: the platform's
//! best-fit grid (1 → full canvas, 2 → side by side, 3–4 → 2×2, 5–9 → 3×3,
//! 10–16 → 4×4), and which grid slot each stream keeps over time when
//! streams come and go ([`assign_slots`]). Pure arithmetic, no ffmpeg.

use crate::opentok::model::Resolution;

use super::RecordingError;

/// The most videos a composed archive shows at once.
pub const MAX_TILES: usize = 16;

/// The size of a composed archive's picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Canvas {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl From<Resolution> for Canvas {
    fn from(resolution: Resolution) -> Canvas {
        let (width, height) = match resolution {
            Resolution::Sd => (640, 480),
            Resolution::SdPortrait => (480, 640),
            Resolution::Hd => (1280, 720),
            Resolution::HdPortrait => (720, 1280),
            Resolution::FullHd => (1920, 1080),
            Resolution::FullHdPortrait => (1080, 1920),
        };
        Canvas { width, height }
    }
}

/// One video's rectangle on the canvas (all values even, as yuv420p needs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tile {
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

/// The best-fit tiles for `count` videos, row by row, the grid centred.
/// Two videos sit side by side on a landscape canvas and one above the
/// other on a portrait one.
pub fn best_fit(count: usize, canvas: Canvas) -> Result<Vec<Tile>, RecordingError> {
    if count > MAX_TILES {
        return Err(RecordingError::TooManyStreams(count));
    }
    let (cols, rows) = match count {
        0 => return Ok(Vec::new()),
        1 => (1, 1),
        2 if canvas.height > canvas.width => (1, 2),
        2 => (2, 1),
        n => {
            let side = (1..)
                .find(|side| side * side >= n)
                .expect("some square holds n");
            (side, side)
        }
    };
    let (cols, rows) = (cols as u32, rows as u32);
    let width = even(canvas.width / cols);
    let height = even(canvas.height / rows);
    let left = even((canvas.width - cols * width) / 2);
    let top = even((canvas.height - rows * height) / 2);
    Ok((0..count as u32)
        .map(|i| Tile {
            x: left + (i % cols) * width,
            y: top + (i / cols) * height,
            width,
            height,
        })
        .collect())
}

/// Gives each `(start, end)` interval a slot such that intervals sharing a
/// slot never overlap, reusing the lowest free slot; returns the slot of
/// each interval and how many slots there are (the most at once).
pub fn assign_slots(intervals: &[(u64, u64)]) -> (Vec<usize>, usize) {
    let mut order: Vec<usize> = (0..intervals.len()).collect();
    order.sort_by_key(|&i| intervals[i]);
    let mut busy_until: Vec<u64> = Vec::new();
    let mut slots = vec![0; intervals.len()];
    for i in order {
        let (start, end) = intervals[i];
        let slot = match busy_until.iter().position(|&until| until <= start) {
            Some(free) => free,
            None => {
                busy_until.push(0);
                busy_until.len() - 1
            }
        };
        busy_until[slot] = end;
        slots[i] = slot;
    }
    (slots, busy_until.len())
}

fn even(value: u32) -> u32 {
    value & !1
}

#[cfg(test)]
mod tests {
    use super::*;

    const SD: Canvas = Canvas {
        width: 640,
        height: 480,
    };

    fn tile(x: u32, y: u32, width: u32, height: u32) -> Tile {
        Tile {
            x,
            y,
            width,
            height,
        }
    }

    #[test]
    fn one_video_fills_the_canvas_and_two_sit_side_by_side() {
        assert_eq!(best_fit(0, SD).unwrap(), []);
        assert_eq!(best_fit(1, SD).unwrap(), [tile(0, 0, 640, 480)]);
        assert_eq!(
            best_fit(2, SD).unwrap(),
            [tile(0, 0, 320, 480), tile(320, 0, 320, 480)]
        );
        let portrait = Canvas::from(Resolution::SdPortrait);
        assert_eq!(
            best_fit(2, portrait).unwrap(),
            [tile(0, 0, 480, 320), tile(0, 320, 480, 320)]
        );
    }

    #[test]
    fn three_and_four_share_a_two_by_two_grid() {
        let four = [
            tile(0, 0, 320, 240),
            tile(320, 0, 320, 240),
            tile(0, 240, 320, 240),
            tile(320, 240, 320, 240),
        ];
        assert_eq!(best_fit(4, SD).unwrap(), four);
        assert_eq!(best_fit(3, SD).unwrap(), four[..3]);
    }

    #[test]
    fn five_to_nine_use_three_by_three_and_up_to_sixteen_four_by_four() {
        for n in 5..=9 {
            let tiles = best_fit(n, SD).unwrap();
            assert_eq!(tiles.len(), n);
            // 640 / 3 = 213 → 212 wide, centred: 2 px margin each side.
            assert_eq!(tiles[0], tile(2, 0, 212, 160));
            assert_eq!(tiles[4], tile(214, 160, 212, 160));
        }
        let hd = Canvas::from(Resolution::Hd);
        let sixteen = best_fit(16, hd).unwrap();
        assert_eq!(sixteen[15], tile(960, 540, 320, 180));
        assert!(matches!(
            best_fit(17, hd),
            Err(RecordingError::TooManyStreams(17))
        ));
    }

    #[test]
    fn tiles_never_overlap_or_leave_the_canvas() {
        for resolution in Resolution::ALL {
            let canvas = Canvas::from(resolution);
            for n in 1..=MAX_TILES {
                let tiles = best_fit(n, canvas).unwrap();
                for (i, a) in tiles.iter().enumerate() {
                    assert!(a.x + a.width <= canvas.width && a.y + a.height <= canvas.height);
                    assert!([a.x, a.y, a.width, a.height].iter().all(|v| v % 2 == 0));
                    for b in &tiles[i + 1..] {
                        let apart = a.x + a.width <= b.x
                            || b.x + b.width <= a.x
                            || a.y + a.height <= b.y
                            || b.y + b.height <= a.y;
                        assert!(apart, "{resolution} n={n}: {a:?} overlaps {b:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn slots_are_reused_once_their_stream_has_left() {
        // A whole time; B leaves at 3 s; C joins at 4 s and takes B's slot;
        // D overlaps everyone and needs a third slot.
        let intervals = [(0, 10_000), (1_000, 3_000), (4_000, 9_000), (2_000, 5_000)];
        assert_eq!(assign_slots(&intervals), (vec![0, 1, 1, 2], 3));
        assert_eq!(assign_slots(&[]), (vec![], 0));
        assert_eq!(assign_slots(&[(0, 5), (5, 9)]), (vec![0, 0], 1));
    }
}
