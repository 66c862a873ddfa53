//! Durations and sizes in human units, both ways: what the archives page
//! shows ("1:05", "2.4 MB") and what its filters accept ("90", "1:30",
//! "2m", "1h"; "500000", "500 kB", "1.5MB", "2 MiB"). Sizes use decimal
//! units (1 kB = 1000 bytes) unless written with `i` (1 KiB = 1024 bytes).

use thiserror::Error;

/// Why a duration or size could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UnitError {
    /// Not a duration.
    #[error(
        "“{0}” is not a duration: write seconds (90), minutes and seconds (1:30), or 2m / 1h."
    )]
    Duration(String),
    /// Not a size.
    #[error("“{0}” is not a size: write bytes (500000) or a number with kB, MB or GB (1.5 MB).")]
    Size(String),
}

/// Reads a duration in whole seconds: `90`, `90s`, `2m`, `1h`, `1:30`,
/// `1:02:03` (surrounding spaces ignored).
pub fn parse_duration(raw: &str) -> Result<u64, UnitError> {
    let text = raw.trim();
    let bad = || UnitError::Duration(text.to_owned());
    if text.contains(':') {
        let parts: Vec<&str> = text.split(':').collect();
        if parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
            return Err(bad());
        }
        let mut total: u64 = 0;
        for (index, part) in parts.iter().enumerate() {
            let value: u64 = part.parse().map_err(|_| bad())?;
            // Every part after the first is minutes or seconds: below 60.
            if index > 0 && value >= 60 {
                return Err(bad());
            }
            total = total
                .checked_mul(60)
                .and_then(|t| t.checked_add(value))
                .ok_or_else(bad)?;
        }
        return Ok(total);
    }
    let lower = text.to_ascii_lowercase();
    let (number, unit) = split_unit(&lower);
    let scale = match unit {
        "" | "s" | "sec" => 1,
        "m" | "min" => 60,
        "h" => 3_600,
        _ => return Err(bad()),
    };
    let value: f64 = number.parse().map_err(|_| bad())?;
    scaled(value, scale as f64).ok_or_else(bad)
}

/// Reads a size in bytes: `500000`, `500 kB`, `1.5MB`, `2 GiB`.
pub fn parse_size(raw: &str) -> Result<u64, UnitError> {
    let text = raw.trim();
    let bad = || UnitError::Size(text.to_owned());
    let lower = text.to_ascii_lowercase();
    let (number, unit) = split_unit(&lower);
    let scale: u64 = match unit {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "m" | "mb" => 1_000_000,
        "g" | "gb" => 1_000_000_000,
        "kib" => 1 << 10,
        "mib" => 1 << 20,
        "gib" => 1 << 30,
        _ => return Err(bad()),
    };
    let value: f64 = number.parse().map_err(|_| bad())?;
    scaled(value, scale as f64).ok_or_else(bad)
}

/// The number and the unit of `text` ("1.5 mb" → ("1.5", "mb")).
fn split_unit(text: &str) -> (&str, &str) {
    let end = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    (&text[..end], text[end..].trim())
}

/// `value × scale`, rounded, if it is a finite non-negative number that fits.
fn scaled(value: f64, scale: f64) -> Option<u64> {
    let product = (value * scale).round();
    (value.is_finite() && value >= 0.0 && product < u64::MAX as f64).then_some(product as u64)
}

/// `0:05`, `12:34`, `1:02:03`.
pub fn format_duration(secs: u64) -> String {
    let (hours, minutes, seconds) = (secs / 3_600, secs / 60 % 60, secs % 60);
    if hours > 0 {
        format!("{hours}:{minutes:02}:{seconds:02}")
    } else {
        format!("{minutes}:{seconds:02}")
    }
}

/// `0 B`, `999 B`, `1.5 kB`, `23.4 MB`, `1.2 GB` (decimal units, one decimal).
pub fn format_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if bytes < 1_000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1_000.0;
    let mut unit = 0;
    while value >= 999.95 && unit + 1 < UNITS.len() {
        value /= 1_000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_every_form() {
        for (text, secs) in [
            ("90", 90),
            (" 90s ", 90),
            ("2m", 120),
            ("2 min", 120),
            ("1.5m", 90),
            ("1h", 3_600),
            ("1:30", 90),
            ("1:02:03", 3_723),
            ("0", 0),
        ] {
            assert_eq!(parse_duration(text), Ok(secs), "{text}");
        }
        for text in ["", "abc", "-5", "1:60", "1::2", "1:2:3:4", "5 days", "1e3"] {
            assert!(parse_duration(text).is_err(), "{text}");
        }
        assert!(parse_duration("x")
            .unwrap_err()
            .to_string()
            .contains("“x” is not a duration"));
    }

    #[test]
    fn sizes_in_every_form() {
        for (text, bytes) in [
            ("500000", 500_000),
            ("500 kB", 500_000),
            ("1.5MB", 1_500_000),
            ("1.5 mb", 1_500_000),
            ("2 GB", 2_000_000_000),
            ("2 MiB", 2 * 1_048_576),
            ("1 KiB", 1_024),
            ("10b", 10),
        ] {
            assert_eq!(parse_size(text), Ok(bytes), "{text}");
        }
        for text in ["", "big", "-1 MB", "1 PB", "1..5 MB", "MB"] {
            assert!(parse_size(text).is_err(), "{text}");
        }
    }

    #[test]
    fn shown_durations_and_sizes() {
        assert_eq!(format_duration(0), "0:00");
        assert_eq!(format_duration(5), "0:05");
        assert_eq!(format_duration(754), "12:34");
        assert_eq!(format_duration(3_723), "1:02:03");
        assert_eq!(format_size(0), "0 B");
        assert_eq!(format_size(999), "999 B");
        assert_eq!(format_size(1_500), "1.5 kB");
        assert_eq!(format_size(23_400_000), "23.4 MB");
        assert_eq!(format_size(999_990), "1.0 MB");
        assert_eq!(format_size(1_200_000_000), "1.2 GB");
    }
}
