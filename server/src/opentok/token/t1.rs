//! The legacy `T1` token (§3.1): `"T1==" + base64("partner_id=K&sig=HEX:" + data)`
//! where `data` is a query string in the Node SDK's field order and escaping,
//! and `HEX` is the HMAC-SHA1 of `data` under the API secret. Built in one
//! buffer: the signature slot is filled in after hashing the data behind it.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::Mac;

use super::text::{push_decimal, push_escaped, with_scratch};
use super::{Role, TokenOptions};
use crate::opentok::credentials::{ApiKey, ApiSecret};
use crate::opentok::session_id::SessionId;

/// The literal prefix of every T1 token.
pub(crate) const PREFIX: &str = "T1==";

/// Length of the hex HMAC-SHA1 signature.
const SIG_LEN: usize = 40;

/// Everything that goes into a T1 token's data, in Node's order.
pub(super) struct Fields<'a> {
    /// The session the token is for (parsed, so its alphabet is known).
    pub session_id: &'a SessionId,
    /// Creation time, epoch seconds.
    pub create_time: u64,
    /// The nonce as written (Node writes a float, we an integer).
    pub nonce: &'a str,
    /// The granted role.
    pub role: Role,
    /// Expiry, epoch seconds.
    pub expire_time: u64,
    /// Connection data, if any.
    pub connection_data: Option<&'a str>,
    /// Initial layout classes (omitted when empty).
    pub layout: &'a [String],
    /// Node's `opentok` adds `scope`; the bare `opentok-token` encoder does not.
    pub scope: bool,
}

impl<'a> Fields<'a> {
    /// The fields the builder emits (always with `scope`).
    pub fn new(
        session_id: &'a SessionId,
        options: &'a TokenOptions,
        now: u64,
        expire_time: u64,
        nonce: &'a str,
    ) -> Self {
        Fields {
            session_id,
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
pub(super) fn encode(api_key: &ApiKey, secret: &ApiSecret, fields: &Fields<'_>) -> String {
    with_scratch(|plain| {
        plain.extend_from_slice(b"partner_id=");
        plain.extend_from_slice(api_key.as_str().as_bytes());
        plain.extend_from_slice(b"&sig=");
        let sig_at = plain.len();
        plain.extend_from_slice(&[b'0'; SIG_LEN]);
        plain.push(b':');
        let data_at = plain.len();
        write_data(plain, fields);

        let mut mac = secret.hmac_sha1();
        mac.update(&plain[data_at..]);
        hex::encode_to_slice(
            mac.finalize().into_bytes(),
            &mut plain[sig_at..sig_at + SIG_LEN],
        )
        .expect("a SHA-1 digest is 20 bytes, 40 hex digits");

        let encoded_len = base64::encoded_len(plain.len(), true).expect("a token fits in memory");
        let mut token = String::with_capacity(PREFIX.len() + encoded_len);
        token.push_str(PREFIX);
        STANDARD.encode_string(&plain[..], &mut token);
        token
    })
}

fn write_data(out: &mut Vec<u8>, fields: &Fields<'_>) {
    out.extend_from_slice(b"session_id=");
    // A session id's alphabet is URL-safe base64 (unreserved), except for
    // optional trailing `=` padding; skip the escaping scan when it has none.
    let session_id = fields.session_id.as_str();
    if session_id.ends_with('=') {
        push_escaped(out, session_id);
    } else {
        out.extend_from_slice(session_id.as_bytes());
    }
    out.extend_from_slice(b"&create_time=");
    push_decimal(out, fields.create_time);
    out.extend_from_slice(b"&nonce=");
    push_escaped(out, fields.nonce);
    out.extend_from_slice(b"&role=");
    out.extend_from_slice(fields.role.as_str().as_bytes());
    out.extend_from_slice(b"&expire_time=");
    push_decimal(out, fields.expire_time);
    if let Some(data) = fields.connection_data {
        out.extend_from_slice(b"&connection_data=");
        push_escaped(out, data);
    }
    if let [first, rest @ ..] = fields.layout {
        out.extend_from_slice(b"&initial_layout_class_list=");
        push_escaped(out, first);
        for class in rest {
            out.extend_from_slice(b"%20");
            push_escaped(out, class);
        }
    }
    if fields.scope {
        out.extend_from_slice(b"&scope=session.connect");
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
            session_id: &SessionId::parse(SESSION).unwrap(),
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
            session_id: &SessionId::parse(SESSION).unwrap(),
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
}
