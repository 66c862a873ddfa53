//! Session ids (§2): `<digit>_<unpadded URL-safe base64 of an ASCII ~-list>`,
//! whose field 1 names the owning API key or application. [`SessionId`]
//! generates ids every official SDK accepts (§2.3) and parses ids the way the
//! Node SDK decodes them, remembering the owner so ownership checks are cheap.

use std::fmt;
use std::net::Ipv4Addr;
use std::str::FromStr;

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use serde::{Deserialize, Serialize};

use super::credentials::random_alphanumeric;
use super::model::MediaMode;

/// Longest session id the platform documents.
const MAX_LEN: usize = 255;

/// URL-safe base64 that neither writes padding nor insists on it, and
/// tolerates non-zero trailing bits the way Node's decoder does.
const LENIENT_URL_SAFE: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Why a string is not a session id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SessionIdError {
    /// Empty or longer than 255 characters.
    #[error("session id must be 1 to 255 characters long")]
    Length,
    /// Not `<digit>_<base64url>`.
    #[error("session id must look like <digit>_<base64url>")]
    Shape,
    /// The payload does not decode to an ASCII `~`-separated list with an owner.
    #[error("session id payload is not an encoded ~-separated list")]
    Payload,
}

/// An OpenTok session id, known to be well formed and to name an owner.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SessionId {
    text: String,
    owner_range: (usize, usize),
    decoded: String,
}

impl SessionId {
    /// A new session id owned by `owner` (API key or application id), created now.
    pub fn generate(owner: &str, location: Option<Ipv4Addr>, media_mode: MediaMode) -> SessionId {
        let created_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|elapsed| elapsed.as_millis() as u64)
            .unwrap_or(0);
        Self::from_parts(
            owner,
            location,
            created_ms,
            &random_alphanumeric(24),
            media_mode,
        )
    }

    /// The §2.3 recipe with every input explicit (deterministic; for tests).
    pub(crate) fn from_parts(
        owner: &str,
        location: Option<Ipv4Addr>,
        created_ms: u64,
        random: &str,
        media_mode: MediaMode,
    ) -> SessionId {
        let location = location.map(|ip| ip.to_string()).unwrap_or_default();
        let flag = match media_mode {
            MediaMode::Relayed => "P",
            MediaMode::Routed => "",
        };
        let plain = format!("1~{owner}~{location}~{created_ms}~{random}~{flag}~~");
        let text = format!("1_{}", LENIENT_URL_SAFE.encode(plain.as_bytes()));
        SessionId::parse(&text).expect("a generated session id parses")
    }

    /// Parses a session id, decoding its payload as the Node SDK does.
    pub fn parse(text: &str) -> Result<SessionId, SessionIdError> {
        if text.is_empty() || text.len() > MAX_LEN {
            return Err(SessionIdError::Length);
        }
        let bytes = text.as_bytes();
        let payload = match bytes {
            [digit, b'_', rest @ ..] if digit.is_ascii_digit() && !rest.is_empty() => &text[2..],
            _ => return Err(SessionIdError::Shape),
        };
        let body = payload.trim_end_matches('=');
        if !body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(SessionIdError::Shape);
        }
        // Node drops a dangling final character (a length of 1 mod 4 carries
        // fewer than 8 bits); do the same.
        let usable = if body.len() % 4 == 1 {
            &body[..body.len() - 1]
        } else {
            body
        };
        let plain = LENIENT_URL_SAFE
            .decode(usable)
            .map_err(|_| SessionIdError::Payload)?;
        let decoded = String::from_utf8(plain).map_err(|_| SessionIdError::Payload)?;
        if !decoded.is_ascii() {
            return Err(SessionIdError::Payload);
        }
        let mut fields = decoded.split('~');
        let first_len = fields.next().map_or(0, str::len);
        let owner = fields.next().ok_or(SessionIdError::Payload)?;
        if owner.is_empty() {
            return Err(SessionIdError::Payload);
        }
        let start = first_len + 1;
        Ok(SessionId {
            text: text.to_owned(),
            owner_range: (start, start + owner.len()),
            decoded,
        })
    }

    /// Field 1 of the payload: the owning API key or application id.
    pub fn owner(&self) -> &str {
        &self.decoded[self.owner_range.0..self.owner_range.1]
    }

    /// Whether the session belongs to `owner` (exact match of field 1, as Node checks).
    pub fn belongs_to(&self, owner: &str) -> bool {
        self.owner() == owner
    }

    /// The id as sent on the wire.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SessionId({})", self.text)
    }
}

impl FromStr for SessionId {
    type Err = SessionIdError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        SessionId::parse(text)
    }
}

impl AsRef<str> for SessionId {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl Serialize for SessionId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for SessionId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        SessionId::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RANDOM: &str = "AbCdEfGhIjKlMnOpQrStUvWx";
    const CREATED: u64 = 1_700_000_000_000;

    #[test]
    fn reproduces_the_section_7_6_ids() {
        let cases = [
            ("123456", MediaMode::Relayed, "1_MX4xMjM0NTZ-fjE3MDAwMDAwMDAwMDB-QWJDZEVmR2hJaktsTW5PcFFyU3RVdld4flB-fg"),
            ("47665971", MediaMode::Relayed, "1_MX40NzY2NTk3MX5-MTcwMDAwMDAwMDAwMH5BYkNkRWZHaElqS2xNbk9wUXJTdFV2V3h-UH5-"),
            ("2147483647", MediaMode::Relayed, "1_MX4yMTQ3NDgzNjQ3fn4xNzAwMDAwMDAwMDAwfkFiQ2RFZkdoSWpLbE1uT3BRclN0VXZXeH5Qfn4"),
            ("1000001", MediaMode::Relayed, "1_MX4xMDAwMDAxfn4xNzAwMDAwMDAwMDAwfkFiQ2RFZkdoSWpLbE1uT3BRclN0VXZXeH5Qfn4"),
            (
                "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
                MediaMode::Routed,
                "1_MX4wYjFjMmQzZS00ZjUwLTYxNzItODM5NC1hNWI2YzdkOGU5ZjB-fjE3MDAwMDAwMDAwMDB-QWJDZEVmR2hJaktsTW5PcFFyU3RVdld4fn5-",
            ),
        ];
        for (owner, mode, expected) in cases {
            let id = SessionId::from_parts(owner, None, CREATED, RANDOM, mode);
            assert_eq!(id.as_str(), expected);
            assert_eq!(id.owner(), owner);
            assert_eq!(SessionId::parse(expected).unwrap(), id);
        }
    }

    #[test]
    fn parses_sdk_fixture_ids_with_their_owners() {
        let cases = [
            ("1_MX4xMjM0NTZ-flNhdCBNYXIgMTUgMTQ6NDI6MjMgUERUIDIwMTR-MC40OTAxMzAyNX4", "123456"),
            ("1_MX42NTQzMjF-flNhdCBNYXIgMTUgMTQ6NDI6MjMgUERUIDIwMTR-MC40OTAxMzAyNX4", "654321"),
            ("1_MX4xMjM0NTY3OH4-VGh1IEZlYiAyNyAwNDozODozMSBQU1QgMjAxNH4wLjI0NDgyMjI", "12345678"),
            ("2_MX4xNzAxMjYzMX4xMjcuMC4wLjF-V2VkIEZlYiAyNiAxODo1NzoyNCBQU1QgMjAxNH4wLjU0MDU4ODc0fg", "17012631"),
            ("1_MX40NzY2NTk3MX5-MTczOTUzODg5NDk1OX5ROW1jWEcxUXJOM1RJWXU4eStwcHgvZ3N-UH5-", "47665971"),
            ("2_MX44NTQ1MTF-flR1ZSBOb3YgMTIgMDk6NDA6NTkgUFNUIDIwMTN-MC43NjU0Nzh-", "854511"),
            ("1_MX4xMDB-MTI3LjAuMC4xflR1ZSBKYW4gMjggMTU6NDg6NDAgUFNUIDIwMTR-MC43NjAyOTYyfg", "100"),
            (
                "1_MX4yOWY3NjBmOC03Y2UxLTQ2YzktYWRlMy1mMmRlZGVlNGVkNWZ-fjE3MjY0NjI1ODg2NDd-MTF4TGExYmJoelBlR1FHbVhzbWd4STBrfn5-",
                "29f760f8-7ce1-46c9-ade3-f2dedee4ed5f",
            ),
        ];
        for (text, owner) in cases {
            let id = SessionId::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(id.owner(), owner, "{text}");
            assert!(id.belongs_to(owner));
            assert!(!id.belongs_to("654320"));
            assert_eq!(id.to_string(), text);
        }
    }

    #[test]
    fn rejects_malformed_ids() {
        assert_eq!(SessionId::parse(""), Err(SessionIdError::Length));
        assert_eq!(
            SessionId::parse(&format!("1_{}", "A".repeat(300))),
            Err(SessionIdError::Length)
        );
        for bad in [
            "SESSIONID",
            "x_MX4xMjM0NTZ-",
            "1-MX4xMjM0NTZ-",
            "1_",
            "1_MX4x+jM0NTZ",
            "1_MX4x/jM0",
        ] {
            assert_eq!(SessionId::parse(bad), Err(SessionIdError::Shape), "{bad}");
        }
        // "no tilde" and "empty owner" payloads
        let no_list = format!("1_{}", LENIENT_URL_SAFE.encode("hello"));
        assert_eq!(SessionId::parse(&no_list), Err(SessionIdError::Payload));
        let empty_owner = format!("1_{}", LENIENT_URL_SAFE.encode("1~~x"));
        assert_eq!(SessionId::parse(&empty_owner), Err(SessionIdError::Payload));
        let non_ascii = format!("1_{}", LENIENT_URL_SAFE.encode("1~é~x"));
        assert_eq!(SessionId::parse(&non_ascii), Err(SessionIdError::Payload));
    }

    #[test]
    fn generated_ids_are_unique_and_owned() {
        let a = SessionId::generate(
            "123456",
            Some(Ipv4Addr::new(127, 0, 0, 1)),
            MediaMode::Routed,
        );
        let b = SessionId::generate("123456", None, MediaMode::Relayed);
        assert_ne!(a, b);
        assert!(a.belongs_to("123456") && b.belongs_to("123456"));
        assert!(a.decoded.contains("~127.0.0.1~"));
        assert!(b.decoded.ends_with("~P~~"));
    }

    #[test]
    fn serde_round_trips_through_parse() {
        let id = SessionId::from_parts("123456", None, CREATED, RANDOM, MediaMode::Relayed);
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{id}\""));
        assert_eq!(serde_json::from_str::<SessionId>(&json).unwrap(), id);
        assert!(serde_json::from_str::<SessionId>("\"SESSIONID\"").is_err());
    }
}
