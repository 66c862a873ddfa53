//! Staff sessions: an HS256 JWT `{sub: account id, pwv, iat, exp}` valid
//! for 12 hours, carried by the `rendezvous_staff` cookie (`HttpOnly;
//! SameSite=Lax; Path=/`, plus `Secure` when the public URL is HTTPS) or,
//! for API clients, by `Authorization: Bearer <token>`. `pwv` fingerprints
//! the password hash the session was opened with, so changing a password
//! ends the sessions opened with the old one. The signing key is 32 random
//! bytes kept in `DATA_DIR/staff-session-key` (see [`crate::key_file`]) and
//! never printed.

use std::path::Path;
use std::time::Duration;

use app::accounts::AccountId;
use http::header::{AUTHORIZATION, COOKIE};
use http::HeaderMap;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::password::PasswordHash;
use crate::key_file::{load_or_generate_key, KeyFileError};

/// The cookie's name.
pub const COOKIE_NAME: &str = "rendezvous_staff";
/// How long a session lasts.
pub const LIFETIME: Duration = Duration::from_secs(12 * 3600);
/// The key file, inside the data directory.
const KEY_FILE: &str = "staff-session-key";

/// Why a session could not be set up or proven.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// The key file cannot be read or written, or is corrupt.
    #[error("staff session key: {0}")]
    Key(#[from] KeyFileError),
    /// The request carries neither a bearer token nor the cookie.
    #[error("no session token")]
    Missing,
    /// The token is forged, expired or malformed.
    #[error("the session token is not valid")]
    Invalid,
}

/// The claims of a session token.
#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    /// The account id, in decimal (JWT subjects are strings).
    sub: String,
    /// The password-hash fingerprint ([`password_version`]).
    pwv: String,
    iat: u64,
    exp: u64,
}

/// What a genuine, unexpired token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionClaims {
    /// Whose session it is.
    pub account: AccountId,
    /// The fingerprint of the password hash it was opened with.
    password_version: String,
}

impl SessionClaims {
    /// Whether the session was opened with the account's current password.
    pub fn matches_password(&self, hash: &PasswordHash) -> bool {
        let current = password_version(hash);
        bool::from(current.as_bytes().ct_eq(self.password_version.as_bytes()))
    }
}

/// Issues and checks session tokens and their cookies.
pub struct SessionKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    secure: bool,
}

impl std::fmt::Debug for SessionKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionKeys")
            .field("key", &"<redacted>")
            .field("secure", &self.secure)
            .finish()
    }
}

impl SessionKeys {
    /// Keys from the data directory's key file, generating it on first use.
    /// `secure` adds the cookie's `Secure` attribute (HTTPS deployments).
    pub fn load_or_generate(data_dir: &Path, secure: bool) -> Result<Self, SessionError> {
        Ok(Self::from_key(
            &load_or_generate_key(data_dir, KEY_FILE)?,
            secure,
        ))
    }

    /// Keys from raw key bytes.
    pub fn from_key(key: &[u8; 32], secure: bool) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_required_spec_claims(&["exp", "sub"]);
        SessionKeys {
            encoding: EncodingKey::from_secret(key),
            decoding: DecodingKey::from_secret(key),
            validation,
            secure,
        }
    }

    /// A token for `account`, whose password hash is `hash`, valid for
    /// [`LIFETIME`] from now.
    pub fn issue(&self, account: AccountId, hash: &PasswordHash) -> String {
        let iat = now_seconds();
        self.encode(&Claims {
            sub: account.to_string(),
            pwv: password_version(hash),
            iat,
            exp: iat + LIFETIME.as_secs(),
        })
    }

    fn encode(&self, claims: &Claims) -> String {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
            .expect("HS256 signing with an in-memory key cannot fail")
    }

    /// What `token` says, if it is genuine and unexpired.
    pub fn verify(&self, token: &str) -> Result<SessionClaims, SessionError> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|_| SessionError::Invalid)?;
        let id = data
            .claims
            .sub
            .parse::<i64>()
            .map_err(|_| SessionError::Invalid)?;
        Ok(SessionClaims {
            account: AccountId(id),
            password_version: data.claims.pwv,
        })
    }

    /// What the request's bearer token (preferred) or session cookie says.
    pub fn verify_request(&self, headers: &HeaderMap) -> Result<SessionClaims, SessionError> {
        self.verify(request_token(headers).ok_or(SessionError::Missing)?)
    }

    /// The `Set-Cookie` value that stores `token` for [`LIFETIME`].
    pub fn cookie(&self, token: &str) -> String {
        self.cookie_with(token, LIFETIME.as_secs())
    }

    /// The `Set-Cookie` value that removes the cookie.
    pub fn clear_cookie(&self) -> String {
        self.cookie_with("", 0)
    }

    fn cookie_with(&self, value: &str, max_age: u64) -> String {
        let secure = if self.secure { "; Secure" } else { "" };
        format!("{COOKIE_NAME}={value}; Max-Age={max_age}; Path=/; HttpOnly; SameSite=Lax{secure}")
    }
}

/// The token of a request: `Authorization: Bearer …` (also seed 003's
/// `JWT …` scheme), else the `rendezvous_staff` cookie.
fn request_token(headers: &HeaderMap) -> Option<&str> {
    let bearer = headers
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().split_once(' '))
        .filter(|(scheme, _)| {
            scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("jwt")
        })
        .map(|(_, token)| token.trim());
    bearer.or_else(|| {
        headers
            .get_all(COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|header| header.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, value)| *name == COOKIE_NAME && !value.is_empty())
            .map(|(_, value)| value.trim_matches('"'))
    })
}

/// A short fingerprint of a password hash (its salt makes every password
/// change a new fingerprint).
fn password_version(hash: &PasswordHash) -> String {
    hex::encode(&Sha256::digest(hash.as_str().as_bytes())[..8])
}

fn now_seconds() -> u64 {
    u64::try_from(time::OffsetDateTime::now_utc().unix_timestamp()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::password::Password;
    use http::HeaderValue;
    use std::sync::LazyLock;

    static HASH: LazyLock<PasswordHash> =
        LazyLock::new(|| PasswordHash::create(&Password::parse("correct horse").unwrap()).unwrap());

    fn headers(name: http::HeaderName, value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(name, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn a_token_names_its_account_and_password() {
        let keys = SessionKeys::from_key(&[7; 32], false);
        let claims = keys.verify(&keys.issue(AccountId(42), &HASH)).unwrap();
        assert_eq!(claims.account, AccountId(42));
        assert!(claims.matches_password(&HASH));
        let other = PasswordHash::create(&Password::parse("correct horse").unwrap()).unwrap();
        assert!(
            !claims.matches_password(&other),
            "a new hash of the same password is a password change"
        );
    }

    #[test]
    fn bearer_tokens_and_cookies_are_both_accepted() {
        let keys = SessionKeys::from_key(&[7; 32], false);
        let token = keys.issue(AccountId(3), &HASH);
        for (name, value) in [
            (AUTHORIZATION, format!("Bearer {token}")),
            (AUTHORIZATION, format!("bearer  {token} ")),
            (AUTHORIZATION, format!("JWT {token}")),
            (COOKIE, format!("theme=dark; {COOKIE_NAME}={token}; x=1")),
        ] {
            let claims = keys.verify_request(&headers(name, &value)).unwrap();
            assert_eq!(claims.account, AccountId(3), "{value}");
        }
        assert!(matches!(
            keys.verify_request(&headers(AUTHORIZATION, &format!("Basic {token}"))),
            Err(SessionError::Missing)
        ));
        assert!(matches!(
            keys.verify_request(&headers(COOKIE, "rendezvous_id=abc")),
            Err(SessionError::Missing)
        ));
        assert!(matches!(
            keys.verify_request(&HeaderMap::new()),
            Err(SessionError::Missing)
        ));
    }

    #[test]
    fn forged_malformed_and_expired_tokens_are_refused() {
        let keys = SessionKeys::from_key(&[7; 32], false);
        let forged = SessionKeys::from_key(&[8; 32], false).issue(AccountId(1), &HASH);
        assert!(matches!(keys.verify(&forged), Err(SessionError::Invalid)));
        assert!(matches!(
            keys.verify("abc.def.ghi"),
            Err(SessionError::Invalid)
        ));
        let expired = keys.encode(&Claims {
            sub: "1".into(),
            pwv: password_version(&HASH),
            iat: 1_000,
            exp: 2_000,
        });
        assert!(matches!(keys.verify(&expired), Err(SessionError::Invalid)));
        let not_a_number = keys.encode(&Claims {
            sub: "ann".into(),
            pwv: password_version(&HASH),
            iat: now_seconds(),
            exp: now_seconds() + 60,
        });
        assert!(matches!(
            keys.verify(&not_a_number),
            Err(SessionError::Invalid)
        ));
    }

    #[test]
    fn tokens_last_twelve_hours() {
        let keys = SessionKeys::from_key(&[7; 32], false);
        let token = keys.issue(AccountId(1), &HASH);
        let payload = token.split('.').nth(1).unwrap();
        use base64::Engine;
        let json = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap();
        let claims: Claims = serde_json::from_slice(&json).unwrap();
        assert_eq!(claims.exp - claims.iat, 12 * 3600);
    }

    #[test]
    fn cookies_have_the_right_attributes() {
        let plain = SessionKeys::from_key(&[7; 32], false);
        assert_eq!(
            plain.cookie("tok"),
            "rendezvous_staff=tok; Max-Age=43200; Path=/; HttpOnly; SameSite=Lax"
        );
        assert_eq!(
            plain.clear_cookie(),
            "rendezvous_staff=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax"
        );
        let https = SessionKeys::from_key(&[7; 32], true);
        assert!(https.cookie("tok").ends_with("; SameSite=Lax; Secure"));
        assert!(https.clear_cookie().ends_with("; Secure"));
    }

    #[test]
    fn the_key_never_shows_in_debug() {
        let printed = format!("{:?}", SessionKeys::from_key(&[7; 32], true));
        assert!(
            printed.contains("<redacted>") && !printed.contains("7, 7"),
            "{printed}"
        );
    }
}
