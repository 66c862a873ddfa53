//! JWT client tokens: HS256 for projects (§3.2) and RS256 for Vonage
//! applications (§3.3). The HS256 claims are written by hand, in the Python
//! SDK's order with Node's extra fields, so the §7.4 vector reproduces byte
//! for byte and no intermediate JSON value is built on the hot path.

use serde::Serialize;
use uuid::Uuid;

use super::text::{push_decimal, with_scratch};
use super::{TokenError, TokenOptions};
use crate::opentok::credentials::{ApiKey, ApiSecret, VonageApplication};
use crate::opentok::jws;
use crate::opentok::session_id::SessionId;

/// An HS256 client token.
pub(super) fn hs256(
    api_key: &ApiKey,
    secret: &ApiSecret,
    session_id: &SessionId,
    options: &TokenOptions,
    now: u64,
    expire_time: u64,
    nonce: u32,
) -> String {
    with_scratch(|claims| {
        // Session ids, roles and keys need no JSON escaping (their alphabets
        // exclude `"` and `\`); user strings go through serde_json's escaper.
        claims.extend_from_slice(br#"{"session_id":""#);
        claims.extend_from_slice(session_id.as_str().as_bytes());
        claims.extend_from_slice(br#"","role":""#);
        claims.extend_from_slice(options.role.as_str().as_bytes());
        claims.extend_from_slice(br#"","iat":"#);
        push_decimal(claims, now);
        claims.extend_from_slice(br#","exp":"#);
        push_decimal(claims, expire_time);
        claims.extend_from_slice(br#","scope":"session.connect","initial_layout_class_list":"#);
        write_layout(claims, &options.initial_layout_class_list);
        if let Some(data) = &options.data {
            claims.extend_from_slice(br#","connection_data":"#);
            push_json_string(claims, data);
        }
        claims.extend_from_slice(br#","iss":""#);
        claims.extend_from_slice(api_key.as_str().as_bytes());
        claims.extend_from_slice(br#"","ist":"project","nonce":"#);
        push_decimal(claims, u64::from(nonce));
        claims.push(b'}');
        jws::sign_hs256(secret.hmac_sha256(), claims)
    })
}

/// The space-joined class list as a JSON string.
fn write_layout(out: &mut Vec<u8>, classes: &[String]) {
    match classes {
        [] => out.extend_from_slice(b"\"\""),
        [one] => push_json_string(out, one),
        many => push_json_string(out, &many.join(" ")),
    }
}

/// Appends `text` as a JSON string literal.
fn push_json_string(out: &mut Vec<u8>, text: &str) {
    serde_json::to_writer(&mut *out, text).expect("writing JSON into a Vec cannot fail");
}

/// Claims of an RS256 client token, as `@vonage/video` writes them.
#[derive(Serialize)]
struct VonageClaims<'a> {
    application_id: String,
    iat: u64,
    exp: u64,
    jti: String,
    sub: &'static str,
    acl: serde_json::Value,
    scope: &'static str,
    session_id: &'a str,
    role: &'static str,
    initial_layout_class_list: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    connection_data: Option<&'a str>,
}

/// An RS256 client token for a Vonage application.
pub(super) fn rs256(
    app: &VonageApplication,
    session_id: &SessionId,
    options: &TokenOptions,
    now: u64,
    expire_time: u64,
) -> Result<String, TokenError> {
    let claims = VonageClaims {
        application_id: app.application_id.to_string(),
        iat: now,
        exp: expire_time,
        jti: Uuid::new_v4().to_string(),
        sub: "video",
        acl: serde_json::json!({"paths": {"/session/**": {}}}),
        scope: "session.connect",
        session_id: session_id.as_str(),
        role: options.role.as_str(),
        initial_layout_class_list: options.initial_layout_class_list.join(" "),
        connection_data: options.data.as_deref(),
    };
    jws::sign_rs256(app.encoding_key(), &claims).map_err(|e| TokenError::Signing(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opentok::token::Role;

    const SESSION: &str = "1_MX4xMjM0NTZ-flNhdCBNYXIgMTUgMTQ6NDI6MjMgUERUIDIwMTR-MC40OTAxMzAyNX4";
    const VECTOR_7_4: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzZXNzaW9uX2lkIjoiMV9NWDR4TWpNME5UWi1mbE5oZENCTllYSWdNVFVnTVRRNk5ESTZNak1nVUVSVUlESXdNVFItTUM0ME9UQXhNekF5Tlg0Iiwicm9sZSI6InB1Ymxpc2hlciIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoxNzAwMDAzNjAwLCJzY29wZSI6InNlc3Npb24uY29ubmVjdCIsImluaXRpYWxfbGF5b3V0X2NsYXNzX2xpc3QiOiJhIiwiY29ubmVjdGlvbl9kYXRhIjoiZCIsImlzcyI6IjEyMzQ1NiIsImlzdCI6InByb2plY3QiLCJub25jZSI6NDI0MjQyfQ.KCBH3PYtQj3L83QevG0grS6qFnlp4MiDLYQE5j4VkhM";

    fn project() -> (ApiKey, ApiSecret) {
        (
            ApiKey::parse("123456").unwrap(),
            ApiSecret::parse("1234567890abcdef1234567890abcdef1234567890").unwrap(),
        )
    }

    #[test]
    fn reproduces_the_python_vector_7_4() {
        let (key, secret) = project();
        let options = TokenOptions {
            role: Role::Publisher,
            data: Some("d".into()),
            initial_layout_class_list: vec!["a".into()],
            ..TokenOptions::default()
        };
        let session = SessionId::parse(SESSION).unwrap();
        let token = hs256(
            &key,
            &secret,
            &session,
            &options,
            1_700_000_000,
            1_700_003_600,
            424_242,
        );
        assert_eq!(token, VECTOR_7_4);
    }

    #[test]
    fn escapes_user_strings_and_joins_layouts() {
        let (key, secret) = project();
        let options = TokenOptions {
            data: Some("say \"hi\"\n".into()),
            initial_layout_class_list: vec!["focus".into(), "main".into()],
            ..TokenOptions::default()
        };
        let session = SessionId::parse(SESSION).unwrap();
        let token = hs256(&key, &secret, &session, &options, 10, 20, 7);
        let claims: serde_json::Value =
            jws::decode_part(jws::split(&token).unwrap().claims).unwrap();
        assert_eq!(claims["connection_data"], "say \"hi\"\n");
        assert_eq!(claims["initial_layout_class_list"], "focus main");
        assert_eq!(
            (claims["iat"].as_u64(), claims["exp"].as_u64()),
            (Some(10), Some(20))
        );
    }
}
