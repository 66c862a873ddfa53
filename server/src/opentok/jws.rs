//! Compact JWS plumbing shared by client tokens, REST tokens and their
//! verifiers: splitting a token, decoding its JSON parts, and HS256 / RS256
//! signatures. HS256 uses the secret's pre-keyed HMAC state and compares in
//! constant time; RS256 goes through `jsonwebtoken`'s crypto provider.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey};
use serde::de::DeserializeOwned;
use sha2::Sha256;

/// Base64url of `{"alg":"HS256","typ":"JWT"}`.
pub(crate) const HS256_HEADER: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

/// The three parts of a compact JWS.
pub(crate) struct Parts<'a> {
    /// Base64url header.
    pub header: &'a str,
    /// Base64url claims.
    pub claims: &'a str,
    /// Base64url signature.
    pub signature: &'a str,
    /// `header.claims`, the signed bytes.
    pub signing_input: &'a str,
}

/// Splits `token` into its parts; `None` unless it has exactly three.
pub(crate) fn split(token: &str) -> Option<Parts<'_>> {
    let last_dot = token.rfind('.')?;
    let signing_input = &token[..last_dot];
    let (header, claims) = signing_input.split_once('.')?;
    if claims.contains('.') {
        return None;
    }
    Some(Parts {
        header,
        claims,
        signature: &token[last_dot + 1..],
        signing_input,
    })
}

/// Decodes a base64url JSON part.
pub(crate) fn decode_part<T: DeserializeOwned>(part: &str) -> Option<T> {
    let bytes = URL_SAFE_NO_PAD.decode(part.trim_end_matches('=')).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// An HS256 token with the standard header and the given claims JSON,
/// written into a string allocated once at its final size.
pub(crate) fn sign_hs256(mut mac: Hmac<Sha256>, claims_json: &[u8]) -> String {
    const SIGNATURE_LEN: usize = 43; // 32 bytes in unpadded base64
    let claims_len = base64::encoded_len(claims_json.len(), false).expect("claims fit in memory");
    let mut token = String::with_capacity(HS256_HEADER.len() + claims_len + 2 + SIGNATURE_LEN);
    token.push_str(HS256_HEADER);
    token.push('.');
    URL_SAFE_NO_PAD.encode_string(claims_json, &mut token);
    mac.update(token.as_bytes());
    token.push('.');
    URL_SAFE_NO_PAD.encode_string(mac.finalize().into_bytes(), &mut token);
    token
}

/// Whether `parts` carries a valid HS256 signature (constant-time comparison).
pub(crate) fn verify_hs256(mut mac: Hmac<Sha256>, parts: &Parts<'_>) -> bool {
    let Ok(signature) = URL_SAFE_NO_PAD.decode(parts.signature.trim_end_matches('=')) else {
        return false;
    };
    mac.update(parts.signing_input.as_bytes());
    mac.verify_slice(&signature).is_ok()
}

/// An RS256 token for `claims` signed with `key`.
pub(crate) fn sign_rs256<T: serde::Serialize>(
    key: &EncodingKey,
    claims: &T,
) -> Result<String, jsonwebtoken::errors::Error> {
    jsonwebtoken::encode(&jsonwebtoken::Header::new(Algorithm::RS256), claims, key)
}

/// Whether `parts` carries a valid RS256 signature for `key`.
pub(crate) fn verify_rs256(key: &DecodingKey, parts: &Parts<'_>) -> bool {
    jsonwebtoken::crypto::verify(
        parts.signature,
        parts.signing_input.as_bytes(),
        key,
        Algorithm::RS256,
    )
    .unwrap_or(false)
}

/// The JOSE header fields the verifiers look at.
#[derive(serde::Deserialize)]
pub(crate) struct Header {
    /// Signature algorithm.
    pub alg: String,
    /// Ruby puts the REST token type here instead of in the claims.
    pub ist: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mac(secret: &str) -> Hmac<Sha256> {
        Hmac::new_from_slice(secret.as_bytes()).unwrap()
    }

    #[test]
    fn signs_and_verifies_hs256() {
        let token = sign_hs256(mac("secret"), br#"{"a":1}"#);
        let parts = split(&token).unwrap();
        assert_eq!(parts.header, HS256_HEADER);
        assert_eq!(
            decode_part::<serde_json::Value>(parts.claims).unwrap()["a"],
            1
        );
        assert!(verify_hs256(mac("secret"), &parts));
        assert!(!verify_hs256(mac("other"), &parts));
        let header: Header = decode_part(parts.header).unwrap();
        assert_eq!((header.alg.as_str(), header.ist), ("HS256", None));
    }

    #[test]
    fn split_requires_three_parts() {
        assert!(split("a.b").is_none());
        assert!(split("a.b.c.d").is_none());
        let parts = split("a.b.c").unwrap();
        assert_eq!((parts.signing_input, parts.signature), ("a.b", "c"));
    }
}
