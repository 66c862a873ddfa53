//! `T1` token verification (§3.1): base64 in either alphabet, padded or
//! not; split at the first `:`; HMAC-SHA1 over the raw data bytes compared in
//! constant time with the case-insensitive hex `sig`; only then is the data
//! form-decoded (so any field order or escaping an SDK chose is accepted).

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use hmac::Mac;

use super::{finish, CommonClaims, TokenVerifier, VerifiedToken, VerifyError};
use crate::opentok::token::TokenFormat;

/// Standard or URL-safe base64, padded or not (Java emits URL-safe with padding).
fn lenient(alphabet: &alphabet::Alphabet) -> GeneralPurpose {
    let config = GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true);
    GeneralPurpose::new(alphabet, config)
}

impl TokenVerifier {
    /// Verifies the part of a T1 token after `T1==`.
    pub(super) fn verify_t1(&self, body: &str, now: u64) -> Result<VerifiedToken, VerifyError> {
        let url_safe = body.contains(['-', '_']);
        let engine = lenient(if url_safe {
            &alphabet::URL_SAFE
        } else {
            &alphabet::STANDARD
        });
        let plain = engine
            .decode(body)
            .map_err(|_| VerifyError::Malformed("T1 body is not base64"))?;
        let colon = plain
            .iter()
            .position(|&b| b == b':')
            .ok_or(VerifyError::Malformed("T1 has no ':'"))?;
        let (meta, data) = (&plain[..colon], &plain[colon + 1..]);
        let meta: Vec<(String, String)> =
            serde_urlencoded::from_bytes(meta).map_err(|_| VerifyError::Malformed("T1 meta"))?;
        let field = |name: &str| {
            meta.iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let owner = field("partner_id").ok_or(VerifyError::Malformed("T1 has no partner_id"))?;
        let signature = field("sig").ok_or(VerifyError::Malformed("T1 has no sig"))?;
        let secret = self.keys.secret(owner).ok_or(VerifyError::UnknownIssuer)?;
        let signature = hex::decode(signature).map_err(|_| VerifyError::BadSignature)?;
        let mut mac = secret.hmac_sha1();
        mac.update(data);
        mac.verify_slice(&signature)
            .map_err(|_| VerifyError::BadSignature)?;

        let data: Vec<(String, String)> =
            serde_urlencoded::from_bytes(data).map_err(|_| VerifyError::Malformed("T1 data"))?;
        let field = |name: &str| {
            data.iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let number = |name: &'static str| {
            field(name)
                .map(|v| v.parse::<u64>().map_err(|_| VerifyError::Malformed(name)))
                .transpose()
        };
        let claims = CommonClaims {
            session_id: field("session_id").ok_or(VerifyError::Malformed("session_id"))?,
            role: field("role"),
            scope: field("scope"),
            expires: number("expire_time")?,
            issued: Some(number("create_time")?.ok_or(VerifyError::Malformed("create_time"))?),
            connection_data: field("connection_data"),
            layout: field("initial_layout_class_list"),
        };
        finish(owner, claims, TokenFormat::T1, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opentok::credentials::{ApiKey, ApiSecret, Credentials};
    use crate::opentok::token::Role;

    const SESSION: &str = "1_MX4xMjM0NTZ-flNhdCBNYXIgMTUgMTQ6NDI6MjMgUERUIDIwMTR-MC40OTAxMzAyNX4";
    const SECRET: &str = "1234567890abcdef1234567890abcdef1234567890";
    /// §7.2: Python SDK 3.15.0, legacy T1, time frozen at 1700000000.
    const VECTOR_7_2: &str = "T1==cGFydG5lcl9pZD0xMjM0NTYmc2lnPTA2YWRmNjg2NThkOGYwM2VhNGM4M2MxOTk3MWMwZjM5N2JkOGM0ZDQ6c2Vzc2lvbl9pZD0xX01YNHhNak0wTlRaLWZsTmhkQ0JOWVhJZ01UVWdNVFE2TkRJNk1qTWdVRVJVSURJd01UUi1NQzQwT1RBeE16QXlOWDQmY3JlYXRlX3RpbWU9MTcwMDAwMDAwMCZleHBpcmVfdGltZT0xNzAwMDAzNjAwJnJvbGU9bW9kZXJhdG9yJm5vbmNlPTQyNDI0MiZpbml0aWFsX2xheW91dF9jbGFzc19saXN0PWZvY3VzK3NtYWxsJmNvbm5lY3Rpb25fZGF0YT1uYW1lJTNESm9obm55K0RvZSUyNnglM0Qx";

    fn verifier(key: &str) -> TokenVerifier {
        TokenVerifier::new(&Credentials::Project {
            api_key: ApiKey::parse(key).unwrap(),
            api_secret: ApiSecret::parse(SECRET).unwrap(),
        })
    }

    #[test]
    fn verifies_the_python_t1_vector() {
        let token = verifier("123456")
            .verify_at(VECTOR_7_2, 1_700_000_001)
            .unwrap();
        assert_eq!(token.owner, "123456");
        assert_eq!(token.session_id.as_str(), SESSION);
        assert_eq!(
            (token.role, token.expires_at, token.format),
            (Role::Moderator, 1_700_003_600, TokenFormat::T1)
        );
        assert_eq!(
            token.connection_data.as_deref(),
            Some("name=Johnny Doe&x=1")
        );
        assert_eq!(token.initial_layout_class_list, ["focus", "small"]);
    }

    #[test]
    fn t1_accepts_both_alphabets_with_or_without_padding() {
        let standard = &VECTOR_7_2[4..];
        let url_safe = standard.replace('+', "-").replace('/', "_");
        for body in [
            standard.to_owned(),
            standard.trim_end_matches('=').to_owned(),
            url_safe,
        ] {
            assert!(
                verifier("123456")
                    .verify_at(&format!("T1=={body}"), 1_700_000_001)
                    .is_ok(),
                "{body}"
            );
        }
    }

    #[test]
    fn t1_failures_are_precise() {
        let at = |token: &str, now| verifier("123456").verify_at(token, now);
        assert_eq!(
            at(VECTOR_7_2, 1_700_003_600).unwrap_err(),
            VerifyError::Expired
        );
        assert_eq!(
            verifier("654321").verify_at(VECTOR_7_2, 0).unwrap_err(),
            VerifyError::UnknownIssuer
        );
        let mut tampered = VECTOR_7_2.to_owned();
        tampered.replace_range(60..61, if &VECTOR_7_2[60..61] == "A" { "B" } else { "A" });
        assert!(matches!(
            at(&tampered, 0).unwrap_err(),
            VerifyError::BadSignature | VerifyError::Malformed(_)
        ));
        assert!(matches!(
            at("T1==!!!", 0).unwrap_err(),
            VerifyError::Malformed(_)
        ));
        assert!(matches!(
            at("garbage", 0).unwrap_err(),
            VerifyError::Malformed(_)
        ));
    }
}
