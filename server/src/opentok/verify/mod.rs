//! Client-token verification (§3.1–§3.3, §9.9): what the platform — and our
//! embedded engine — does with the token a browser connects with. Accepts
//! every form the official SDKs mint: `T1` (either base64 alphabet, padded or
//! not), HS256 JWTs signed with the secret of their `iss`, and RS256 JWTs of
//! a Vonage application. Signatures are compared in constant time.

mod t1;

use serde::Deserialize;
use uuid::Uuid;

use super::credentials::Credentials;
use super::jws;
use super::keyring::{Keyring, KeyringError};
use super::session_id::SessionId;
use super::token::{Role, TokenFormat, DEFAULT_TTL_SECS, MAX_DATA_CHARS};
use super::unix_now;

/// Why a token is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// Not a T1 or JWT token, or a required field is missing or mistyped.
    #[error("malformed token: {0}")]
    Malformed(&'static str),
    /// The token names a project or application this verifier does not know.
    #[error("token issuer is not known")]
    UnknownIssuer,
    /// The signature does not match.
    #[error("token signature is invalid")]
    BadSignature,
    /// The JWT algorithm is not the one of the issuer's credentials.
    #[error("unsupported token algorithm {0:?}")]
    Algorithm(String),
    /// The token has expired.
    #[error("token has expired")]
    Expired,
    /// `scope` is not `session.connect`.
    #[error("token scope must be session.connect")]
    Scope,
    /// The role is not one of the four roles.
    #[error("unknown role {0:?}")]
    Role(String),
    /// The session does not belong to the token's issuer.
    #[error("session does not belong to the token issuer")]
    ForeignSession,
    /// Connection data longer than 1000 characters.
    #[error("connection data is longer than 1000 characters")]
    DataTooLong,
}

impl From<KeyringError> for VerifyError {
    fn from(err: KeyringError) -> Self {
        match err {
            KeyringError::UnknownIssuer => VerifyError::UnknownIssuer,
            KeyringError::BadSignature => VerifyError::BadSignature,
        }
    }
}

/// What a valid token grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedToken {
    /// The issuing API key or application id.
    pub owner: String,
    /// The session the token connects to.
    pub session_id: SessionId,
    /// The connection's role.
    pub role: Role,
    /// Expiry, epoch seconds.
    pub expires_at: u64,
    /// Connection data, if any.
    pub connection_data: Option<String>,
    /// Initial layout classes.
    pub initial_layout_class_list: Vec<String>,
    /// The token's form.
    pub format: TokenFormat,
}

/// Checks client tokens against one or more sets of credentials. `Debug`
/// lists keys and application ids, never secrets.
#[derive(Debug, Clone, Default)]
pub struct TokenVerifier {
    keys: Keyring,
}

impl TokenVerifier {
    /// A verifier for the tokens of `credentials`.
    pub fn new(credentials: &Credentials) -> Self {
        TokenVerifier::default().with(credentials)
    }

    /// Also accepts the tokens of `credentials`.
    pub fn with(mut self, credentials: &Credentials) -> Self {
        self.keys.add(credentials);
        self
    }

    /// Verifies `token` now.
    pub fn verify(&self, token: &str) -> Result<VerifiedToken, VerifyError> {
        self.verify_at(token, unix_now())
    }

    /// Verifies `token` as of `now` (epoch seconds).
    pub fn verify_at(&self, token: &str, now: u64) -> Result<VerifiedToken, VerifyError> {
        let token = token.trim();
        match token.strip_prefix("T1==") {
            Some(body) => self.verify_t1(body, now),
            None => self.verify_jwt(token, now),
        }
    }

    fn verify_jwt(&self, token: &str, now: u64) -> Result<VerifiedToken, VerifyError> {
        let parts = jws::split(token).ok_or(VerifyError::Malformed("not a T1 token or a JWT"))?;
        let header: jws::Header =
            jws::decode_part(parts.header).ok_or(VerifyError::Malformed("JWT header"))?;
        let claims: JwtClaims =
            jws::decode_part(parts.claims).ok_or(VerifyError::Malformed("JWT claims"))?;
        let owner = match header.alg.as_str() {
            "HS256" => {
                let owner = claims
                    .iss
                    .as_ref()
                    .ok_or(VerifyError::Malformed("iss"))?
                    .text();
                self.keys.check_hs256(&owner, &parts)?;
                owner
            }
            "RS256" => {
                let id = claims
                    .application_id
                    .as_deref()
                    .ok_or(VerifyError::Malformed("application_id"))?;
                // An id that is not a UUID names no application.
                let id = Uuid::parse_str(id).map_err(|_| VerifyError::UnknownIssuer)?;
                self.keys.check_rs256(id, &parts)?;
                id.to_string()
            }
            other => return Err(VerifyError::Algorithm(other.to_owned())),
        };
        let common = CommonClaims {
            session_id: claims
                .session_id
                .as_deref()
                .ok_or(VerifyError::Malformed("session_id"))?,
            role: claims.role.as_deref(),
            scope: claims.scope.as_deref(),
            expires: claims.exp.or(claims.expire_time),
            issued: claims.iat.or(claims.create_time),
            connection_data: claims.connection_data.as_deref(),
            layout: claims.initial_layout_class_list.as_deref(),
        };
        finish(&owner, common, TokenFormat::Jwt, now)
    }
}

/// The claims every form shares, borrowed from the decoded token.
struct CommonClaims<'a> {
    session_id: &'a str,
    role: Option<&'a str>,
    scope: Option<&'a str>,
    expires: Option<u64>,
    issued: Option<u64>,
    connection_data: Option<&'a str>,
    layout: Option<&'a str>,
}

/// `iss` as a string or (one docs example) a number.
#[derive(Deserialize)]
#[serde(untagged)]
pub(crate) enum Issuer {
    Text(String),
    Number(u64),
}

impl Issuer {
    pub(crate) fn text(&self) -> String {
        match self {
            Issuer::Text(text) => text.clone(),
            Issuer::Number(number) => number.to_string(),
        }
    }
}

#[derive(Deserialize)]
struct JwtClaims {
    iss: Option<Issuer>,
    application_id: Option<String>,
    iat: Option<u64>,
    exp: Option<u64>,
    create_time: Option<u64>,
    expire_time: Option<u64>,
    scope: Option<String>,
    session_id: Option<String>,
    role: Option<String>,
    connection_data: Option<String>,
    initial_layout_class_list: Option<String>,
}

/// The checks after the signature: scope, session owner, role, expiry, data.
fn finish(
    owner: &str,
    claims: CommonClaims<'_>,
    format: TokenFormat,
    now: u64,
) -> Result<VerifiedToken, VerifyError> {
    // T1 tokens from Python, PHP and Ruby carry no scope; JWTs always do.
    match (claims.scope, format) {
        (Some("session.connect"), _) | (None, TokenFormat::T1) => {}
        _ => return Err(VerifyError::Scope),
    }
    let session_id =
        SessionId::parse(claims.session_id).map_err(|_| VerifyError::Malformed("session_id"))?;
    // Application ids are UUIDs, which compare case-insensitively.
    if !session_id.owner().eq_ignore_ascii_case(owner) {
        return Err(VerifyError::ForeignSession);
    }
    let role = match claims.role {
        None => Role::Publisher,
        Some(text) => text
            .parse()
            .map_err(|_| VerifyError::Role(text.to_owned()))?,
    };
    let expires_at = match (claims.expires, claims.issued) {
        (Some(exp), _) => exp,
        (None, Some(iat)) => iat + DEFAULT_TTL_SECS,
        (None, None) => return Err(VerifyError::Malformed("neither exp nor iat")),
    };
    if expires_at <= now {
        return Err(VerifyError::Expired);
    }
    if claims
        .connection_data
        .is_some_and(|d| d.chars().count() > MAX_DATA_CHARS)
    {
        return Err(VerifyError::DataTooLong);
    }
    let initial_layout_class_list = claims
        .layout
        .map(|list| {
            list.split([' ', '+'])
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    Ok(VerifiedToken {
        owner: owner.to_owned(),
        session_id,
        role,
        expires_at,
        connection_data: claims.connection_data.map(str::to_owned),
        initial_layout_class_list,
        format,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opentok::credentials::{ApiKey, ApiSecret};

    const SECRET: &str = "1234567890abcdef1234567890abcdef1234567890";

    fn verifier(key: &str) -> TokenVerifier {
        TokenVerifier::new(&Credentials::Project {
            api_key: ApiKey::parse(key).unwrap(),
            api_secret: ApiSecret::parse(SECRET).unwrap(),
        })
    }

    #[test]
    fn debug_lists_keys_but_not_secrets() {
        let debug = format!("{:?}", verifier("123456"));
        assert!(
            debug.contains("123456") && !debug.contains(SECRET),
            "{debug}"
        );
    }
}
