//! Byte-buffer helpers for the token hot path: a per-thread scratch buffer,
//! decimal integers without the `fmt` machinery, and Node's
//! `querystring.escape` copying unreserved runs in one go.

use std::cell::RefCell;

/// Scratch buffers larger than this are not kept between tokens.
const SCRATCH_KEEP: usize = 16 * 1024;

thread_local! {
    static SCRATCH: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` with an empty buffer that is reused by later calls on this
/// thread, saving an allocation per token.
pub(super) fn with_scratch<R>(f: impl FnOnce(&mut Vec<u8>) -> R) -> R {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buf) => {
            buf.clear();
            let result = f(&mut buf);
            if buf.capacity() > SCRATCH_KEEP {
                *buf = Vec::new();
            }
            result
        }
        // Only reachable if `f` itself mints a token; use a fresh buffer.
        Err(_) => f(&mut Vec::new()),
    })
}

/// "00" to "99": two digits per division.
const PAIRS: &[u8; 200] = b"\
    0001020304050607080910111213141516171819\
    2021222324252627282930313233343536373839\
    4041424344454647484950515253545556575859\
    6061626364656667686970717273747576777879\
    8081828384858687888990919293949596979899";

/// Writes `n` in decimal into the end of `buf`; returns the digits.
pub(super) fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &str {
    let mut at = buf.len();
    while n >= 100 {
        let pair = (n % 100) as usize * 2;
        n /= 100;
        at -= 2;
        buf[at..at + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
    }
    if n >= 10 {
        let pair = n as usize * 2;
        at -= 2;
        buf[at..at + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
    } else {
        at -= 1;
        buf[at] = b'0' + n as u8;
    }
    std::str::from_utf8(&buf[at..]).expect("decimal digits are ASCII")
}

/// Appends `n` in decimal.
pub(super) fn push_decimal(out: &mut Vec<u8>, n: u64) {
    let mut buf = [0u8; 20];
    out.extend_from_slice(decimal(n, &mut buf).as_bytes());
}

/// Bytes Node's `querystring.escape` leaves alone: `A-Za-z0-9-_.!~*'()`.
const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'-' | b'_' | b'.' | b'!' | b'~' | b'*' | b'\'' | b'(' | b')'
            );
        b += 1;
    }
    table
};

/// Appends `text` escaped like Node's `querystring.escape` (`%XX`, upper case).
pub(super) fn push_escaped(out: &mut Vec<u8>, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let bytes = text.as_bytes();
    let mut run_start = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        if !UNRESERVED[usize::from(byte)] {
            out.extend_from_slice(&bytes[run_start..i]);
            out.extend_from_slice(&[
                b'%',
                HEX[usize::from(byte >> 4)],
                HEX[usize::from(byte & 0x0f)],
            ]);
            run_start = i + 1;
        }
    }
    out.extend_from_slice(&bytes[run_start..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scratch_starts_empty_and_survives_nesting() {
        with_scratch(|outer| outer.extend_from_slice(b"left over"));
        let inner_len = with_scratch(|outer| {
            assert!(outer.is_empty());
            outer.push(b'x');
            with_scratch(|inner| {
                inner.extend_from_slice(b"yz");
                inner.len()
            })
        });
        assert_eq!(inner_len, 2);
        with_scratch(|buf| buf.resize(SCRATCH_KEEP + 1, 0));
        with_scratch(|buf| assert!(buf.is_empty() && buf.capacity() <= SCRATCH_KEEP));
    }

    #[test]
    fn decimals_match_display() {
        for n in [
            0,
            7,
            10,
            99,
            100,
            101,
            1_700_000_000,
            u64::from(u32::MAX),
            u64::MAX,
        ] {
            let mut out = Vec::new();
            push_decimal(&mut out, n);
            assert_eq!(String::from_utf8(out).unwrap(), n.to_string());
        }
    }

    #[test]
    fn escapes_like_node_querystring() {
        let mut out = Vec::new();
        push_escaped(&mut out, "a b+c/é~*'()!");
        assert_eq!(String::from_utf8(out).unwrap(), "a%20b%2Bc%2F%C3%A9~*'()!");
    }
}
