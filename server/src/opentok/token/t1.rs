//! The legacy `T1` token (§3.1): `"T1==" + base64("partner_id=K&sig=HEX:" + data)`
//! where `data` is a query string in the Node SDK's field order and escaping,
//! and `HEX` is the HMAC-SHA1 of `data` under the API secret. Built in one
//! buffer: the signature slot is filled in after hashing the data behind it.

use std::fmt::{Display, Write};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::Mac;

use super::{Role, TokenOptions};
use crate::opentok::credentials::{ApiKey, ApiSecret};
use crate::opentok::session_id::SessionId;

/// The literal prefix of every T1 token.
pub(crate) const PREFIX: &str = "T1==";

/// Everything that goes into a T1 token's data, in Node's order.
pub(super) struct Fields<'a, N: Display> {
    pub session_id: &'a str,
    pub create_time: u64,
    pub nonce: N,
    pub role: Role,
    pub expire_time: u64,
    pub connection_data: Option<&'a str>,
    pub layout: &'a [String],
    /// Node's `opentok` adds `scope`; the bare `opentok-token` encoder does not.
    pub scope: bool,
}

impl<'a> Fields<'a, u32> {
    /// The fields the builder emits (always with `scope`).
    pub fn new(
        session_id: &'a SessionId,
        options: &'a TokenOptions,
        now: u64,
        expire_time: u64,
        nonce: u32,
    ) -> Self {
        Fields {
            session_id: session_id.as_str(),
            create_time: now,
            nonce,
            role: options.role,
            expire_time,
            connection_data: options.data.as_deref(),
            layout: &options.initial_layout_class_list,
            scope: true,
        }
    }
}

/// Encodes and signs a T1 token.
pub(super) fn encode<N: Display>(
    api_key: &ApiKey,
    secret: &ApiSecret,
    fields: &Fields<'_, N>,
) -> String {
    const SIG_LEN: usize = 40;
    let mut plain = String::with_capacity(256);
    plain.push_str("partner_id=");
    plain.push_str(api_key.as_str());
    plain.push_str("&sig=");
    let sig_at = plain.len();
    plain.extend(std::iter::repeat_n('0', SIG_LEN));
    plain.push(':');
    let data_at = plain.len();
    write_data(&mut plain, fields);

    let mut mac = secret.hmac_sha1();
    mac.update(&plain.as_bytes()[data_at..]);
    let digest = mac.finalize().into_bytes();
    let mut hex_sig = [0u8; SIG_LEN];
    hex::encode_to_slice(digest, &mut hex_sig).expect("a SHA-1 digest is 20 bytes");
    // Replace the placeholder with the signature, both 40 ASCII characters.
    plain.replace_range(
        sig_at..sig_at + SIG_LEN,
        std::str::from_utf8(&hex_sig).expect("hex is ASCII"),
    );

    let mut token = String::with_capacity(PREFIX.len() + plain.len().div_ceil(3) * 4);
    token.push_str(PREFIX);
    STANDARD.encode_string(plain.as_bytes(), &mut token);
    token
}

fn write_data<N: Display>(out: &mut String, fields: &Fields<'_, N>) {
    out.push_str("session_id=");
    escape_into(out, fields.session_id);
    // Writing integers into a String cannot fail.
    let _ = write!(
        out,
        "&create_time={}&nonce={}",
        fields.create_time, fields.nonce
    );
    out.push_str("&role=");
    out.push_str(fields.role.as_str());
    let _ = write!(out, "&expire_time={}", fields.expire_time);
    if let Some(data) = fields.connection_data {
        out.push_str("&connection_data=");
        escape_into(out, data);
    }
    if !fields.layout.is_empty() {
        out.push_str("&initial_layout_class_list=");
        for (i, class) in fields.layout.iter().enumerate() {
            if i > 0 {
                out.push_str("%20");
            }
            escape_into(out, class);
        }
    }
    if fields.scope {
        out.push_str("&scope=session.connect");
    }
}

/// Node's `querystring.escape`: everything but `A-Za-z0-9-_.!~*'()` as `%XX`.
fn escape_into(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &byte in text.as_bytes() {
        let keep = byte.is_ascii_alphanumeric()
            || matches!(
                byte,
                b'-' | b'_' | b'.' | b'!' | b'~' | b'*' | b'\'' | b'(' | b')'
            );
        if keep {
            out.push(byte as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(byte >> 4)] as char);
            out.push(HEX[usize::from(byte & 0x0f)] as char);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SESSION: &str = "1_MX4xMjM0NTZ-flNhdCBNYXIgMTUgMTQ6NDI6MjMgUERUIDIwMTR-MC40OTAxMzAyNX4";

    fn credentials() -> (ApiKey, ApiSecret) {
        (
            ApiKey::parse("123456").unwrap(),
            ApiSecret::parse("1234567890abcdef1234567890abcdef1234567890").unwrap(),
        )
    }

    #[test]
    fn reproduces_the_opentok_token_vector_7_1() {
        let (key, secret) = credentials();
        let fields = Fields {
            session_id: SESSION,
            create_time: 1_424_221_013,
            nonce: "0.3942609881050885",
            role: Role::Moderator,
            expire_time: 1_424_307_413,
            connection_data: Some(r#"{"name":"value"}"#),
            layout: &[],
            scope: false,
        };
        assert_eq!(
            encode(&key, &secret, &fields),
            "T1==cGFydG5lcl9pZD0xMjM0NTYmc2lnPWRmOTRhNjQ1NTlhY2MwNjFkN2EzNzUyYTZmYzY5NDkzZTkzOGMxOTE6c2Vzc2lvbl9pZD0xX01YNHhNak0wTlRaLWZsTmhkQ0JOWVhJZ01UVWdNVFE2TkRJNk1qTWdVRVJVSURJd01UUi1NQzQwT1RBeE16QXlOWDQmY3JlYXRlX3RpbWU9MTQyNDIyMTAxMyZub25jZT0wLjM5NDI2MDk4ODEwNTA4ODUmcm9sZT1tb2RlcmF0b3ImZXhwaXJlX3RpbWU9MTQyNDMwNzQxMyZjb25uZWN0aW9uX2RhdGE9JTdCJTIybmFtZSUyMiUzQSUyMnZhbHVlJTIyJTdE"
        );
    }

    #[test]
    fn reproduces_the_node_vector_7_3() {
        let (key, secret) = credentials();
        let layout = ["focus".to_owned(), "small".to_owned()];
        let fields = Fields {
            session_id: SESSION,
            create_time: 1_700_000_000,
            nonce: "0.5",
            role: Role::Publisher,
            expire_time: 1_700_086_400,
            connection_data: Some("name=Johnny Doe"),
            layout: &layout,
            scope: true,
        };
        assert_eq!(
            encode(&key, &secret, &fields),
            "T1==cGFydG5lcl9pZD0xMjM0NTYmc2lnPTQyZjdkNzcxMmU0YTA4MWEzNmE0MTA1MTExNzYxYjgxZTgzOWM1NmM6c2Vzc2lvbl9pZD0xX01YNHhNak0wTlRaLWZsTmhkQ0JOWVhJZ01UVWdNVFE2TkRJNk1qTWdVRVJVSURJd01UUi1NQzQwT1RBeE16QXlOWDQmY3JlYXRlX3RpbWU9MTcwMDAwMDAwMCZub25jZT0wLjUmcm9sZT1wdWJsaXNoZXImZXhwaXJlX3RpbWU9MTcwMDA4NjQwMCZjb25uZWN0aW9uX2RhdGE9bmFtZSUzREpvaG5ueSUyMERvZSZpbml0aWFsX2xheW91dF9jbGFzc19saXN0PWZvY3VzJTIwc21hbGwmc2NvcGU9c2Vzc2lvbi5jb25uZWN0"
        );
    }

    #[test]
    fn escapes_like_node_querystring() {
        let mut out = String::new();
        escape_into(&mut out, "a b+c/é~*'()!");
        assert_eq!(out, "a%20b%2Bc%2F%C3%A9~*'()!");
    }
}
