//! REST authentication (§4.1, §4.2, §9.2). Minting: a fresh short-lived JWT
//! per request — HS256 in `X-OPENTOK-AUTH` for projects, RS256 in
//! `Authorization: Bearer` for Vonage applications. Checking
//! ([`RestAuthVerifier`]): accepts what every official SDK sends (`ist` in
//! the claims or, as Ruby does, in the header; `iss` as string or number;
//! `jti` optional; Vonage tokens without `exp`) and the legacy
//! `X-TB-PARTNER-AUTH: key:secret`.

mod verifier;

use serde::Serialize;
use uuid::Uuid;

pub use verifier::RestAuthVerifier;

use super::credentials::{ApiKey, ApiSecret, VonageApplication};
use super::jws;
use super::keyring::KeyringError;
use super::unix_now;

/// Header carrying a project's HS256 REST token.
pub const OPENTOK_AUTH_HEADER: &str = "x-opentok-auth";
/// Deprecated header carrying `key:secret` in clear.
pub const PARTNER_AUTH_HEADER: &str = "x-tb-partner-auth";
/// Lifetime of the REST tokens we mint (the platform allows at most 5 minutes).
pub const REST_TOKEN_TTL_SECS: u64 = 300;
/// Clock skew tolerated when checking `exp`.
pub const CLOCK_SKEW_SECS: u64 = 30;

/// Why a REST request is not authenticated; the platform answers 403.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RestAuthError {
    /// No authentication header.
    #[error("authentication required")]
    Missing,
    /// The header or token cannot be read.
    #[error("malformed authentication token: {0}")]
    Malformed(&'static str),
    /// The issuer is not a known project or application ("Issuer not found").
    #[error("Issuer not found")]
    UnknownIssuer,
    /// The signature or the legacy secret does not match.
    #[error("invalid signature")]
    BadSignature,
    /// A signature algorithm other than the credentials' one.
    #[error("unsupported algorithm {0:?}")]
    Algorithm(String),
    /// `ist` is present but not `project`.
    #[error("token type must be project")]
    TokenType,
    /// The token has expired.
    #[error("token has expired")]
    Expired,
    /// The token lives longer than the configured maximum.
    #[error("token lifetime exceeds the maximum")]
    Lifetime,
    /// The token was issued for another project than the one in the path.
    #[error("token is not valid for this project")]
    WrongProject,
}

impl From<KeyringError> for RestAuthError {
    fn from(err: KeyringError) -> Self {
        match err {
            KeyringError::UnknownIssuer => RestAuthError::UnknownIssuer,
            KeyringError::BadSignature => RestAuthError::BadSignature,
        }
    }
}

#[derive(Serialize)]
struct ProjectClaims<'a> {
    iss: &'a str,
    ist: &'static str,
    iat: u64,
    exp: u64,
    jti: String,
}

#[derive(Serialize)]
struct VonageClaims {
    application_id: String,
    iat: u64,
    exp: u64,
    jti: String,
}

/// A fresh `X-OPENTOK-AUTH` token (five-minute lifetime).
pub fn project_jwt(api_key: &ApiKey, api_secret: &ApiSecret) -> String {
    project_jwt_at(api_key, api_secret, unix_now())
}

pub(crate) fn project_jwt_at(api_key: &ApiKey, api_secret: &ApiSecret, now: u64) -> String {
    let claims = ProjectClaims {
        iss: api_key.as_str(),
        ist: "project",
        iat: now,
        exp: now + REST_TOKEN_TTL_SECS,
        jti: Uuid::new_v4().to_string(),
    };
    let json = serde_json::to_vec(&claims).expect("REST claims serialize");
    jws::sign_hs256(api_secret.hmac_sha256(), &json)
}

/// A fresh `Authorization: Bearer` token for a Vonage application.
pub fn vonage_jwt(app: &VonageApplication) -> String {
    let now = unix_now();
    let claims = VonageClaims {
        application_id: app.application_id.to_string(),
        iat: now,
        exp: now + REST_TOKEN_TTL_SECS,
        jti: Uuid::new_v4().to_string(),
    };
    jws::sign_rs256(app.encoding_key(), &claims).expect("a parsed RSA private key signs")
}

/// Tests of minting; the fixtures are shared with `verifier`'s tests.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::opentok::credentials::Credentials;
    use http::{HeaderMap, HeaderValue};

    /// The secret of the test project (§7).
    pub(super) const SECRET: &str = "1234567890abcdef1234567890abcdef1234567890";

    /// The test project: key `123456` with [`SECRET`].
    pub(super) fn project() -> Credentials {
        Credentials::Project {
            api_key: ApiKey::parse("123456").unwrap(),
            api_secret: ApiSecret::parse(SECRET).unwrap(),
        }
    }

    /// Request headers holding the single header `name: value`.
    pub(super) fn headers(name: &'static str, value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(name, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn minted_project_tokens_verify_and_carry_the_claims() {
        let Credentials::Project {
            api_key,
            api_secret,
        } = project()
        else {
            unreachable!("project")
        };
        let token = project_jwt_at(&api_key, &api_secret, 1_000);
        let claims: serde_json::Value =
            jws::decode_part(jws::split(&token).unwrap().claims).unwrap();
        assert_eq!(
            (claims["iss"].as_str(), claims["ist"].as_str()),
            (Some("123456"), Some("project"))
        );
        assert_eq!(
            (claims["iat"].as_u64(), claims["exp"].as_u64()),
            (Some(1_000), Some(1_300))
        );
        assert!(Uuid::parse_str(claims["jti"].as_str().unwrap()).is_ok());
        let verifier = RestAuthVerifier::new(&project());
        assert_eq!(
            verifier.verify_at(&headers(OPENTOK_AUTH_HEADER, &token), "123456", 1_100),
            Ok(())
        );
        let strict = verifier.clone().with_max_lifetime(60);
        assert_eq!(
            strict.verify_at(&headers(OPENTOK_AUTH_HEADER, &token), "123456", 1_100),
            Err(RestAuthError::Lifetime)
        );
    }
}
