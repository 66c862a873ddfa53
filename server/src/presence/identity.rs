//! The presence identity cookie: who a browser is, proven on every later
//! call. `rendezvous_id` holds an HS256 JWT `{sub: user id, name, iat,
//! exp}` valid for 30 days, `HttpOnly; SameSite=Lax; Path=/` (plus `Secure`
//! when the public URL is HTTPS). The signing key is 32 random bytes
//! generated once into `DATA_DIR/identity-key` (owner-only) and reused, so
//! cookies survive restarts; it never appears in `Debug` output or logs.

use std::path::Path;
use std::time::Duration;

use app::models::DisplayName;
use app::presence::{LocalUser, UserId};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::key_file::{load_or_generate_key, KeyFileError};

/// The cookie's name.
pub const COOKIE_NAME: &str = "rendezvous_id";
/// The key file, inside the data directory.
const KEY_FILE: &str = "identity-key";
/// How long an identity lasts.
pub const LIFETIME: Duration = Duration::from_secs(30 * 24 * 3600);

/// Why an identity could not be set up or proven.
#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    /// The key file cannot be read, written or is corrupt.
    #[error("identity key: {0}")]
    Key(#[from] KeyFileError),
    /// The request carries no identity cookie.
    #[error("no identity cookie")]
    Missing,
    /// The cookie is forged, expired or malformed.
    #[error("the identity cookie is not valid")]
    Invalid,
}

/// The claims of an identity token.
#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: UserId,
    name: DisplayName,
    iat: u64,
    exp: u64,
}

/// Issues and checks identity cookies.
pub struct IdentityKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    secure: bool,
}

impl std::fmt::Debug for IdentityKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdentityKeys")
            .field("key", &"<redacted>")
            .field("secure", &self.secure)
            .finish()
    }
}

impl IdentityKeys {
    /// Keys from the data directory's key file, generating it on first use.
    /// `secure` adds the `Secure` attribute (HTTPS deployments).
    pub fn load_or_generate(data_dir: &Path, secure: bool) -> Result<Self, IdentityError> {
        let key = load_or_generate_key(data_dir, KEY_FILE)?;
        Ok(Self::from_key(&key, secure))
    }

    /// Keys from raw key bytes.
    pub fn from_key(key: &[u8; 32], secure: bool) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_required_spec_claims(&["exp", "sub"]);
        IdentityKeys {
            encoding: EncodingKey::from_secret(key),
            decoding: DecodingKey::from_secret(key),
            validation,
            secure,
        }
    }

    /// The `Set-Cookie` value naming `user` for [`LIFETIME`].
    pub fn cookie(&self, user: &LocalUser) -> String {
        let iat = now_seconds();
        let claims = Claims {
            sub: user.id,
            name: user.name.clone(),
            iat,
            exp: iat + LIFETIME.as_secs(),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .expect("HS256 signing with an in-memory key cannot fail");
        let secure = if self.secure { "; Secure" } else { "" };
        format!(
            "{COOKIE_NAME}={token}; Max-Age={}; Path=/; HttpOnly; SameSite=Lax{secure}",
            LIFETIME.as_secs()
        )
    }

    /// Who the `Cookie` header's identity cookie names, if it is genuine
    /// and unexpired.
    pub fn identify(&self, cookie_header: &str) -> Result<LocalUser, IdentityError> {
        let token = cookie_value(cookie_header, COOKIE_NAME).ok_or(IdentityError::Missing)?;
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|_| IdentityError::Invalid)?;
        Ok(LocalUser {
            id: data.claims.sub,
            name: data.claims.name,
        })
    }
}

/// The value of cookie `name` in a `Cookie` header (`a=1; b=2`).
fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim_matches('"'))
}

fn now_seconds() -> u64 {
    u64::try_from(time::OffsetDateTime::now_utc().unix_timestamp()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use uuid::Uuid;

    fn ada() -> LocalUser {
        LocalUser {
            id: UserId(Uuid::new_v4()),
            name: DisplayName::parse("Ada").expect("a valid name"),
        }
    }

    /// The `name=value` part of a `Set-Cookie` value, as a browser sends it back.
    fn sent_back(set_cookie: &str) -> String {
        set_cookie.split(';').next().unwrap_or_default().to_owned()
    }

    #[test]
    fn a_cookie_proves_who_it_was_issued_to() {
        let keys = IdentityKeys::from_key(&[7; 32], false);
        let user = ada();
        let set = keys.cookie(&user);
        assert!(set.contains("; Path=/; HttpOnly; SameSite=Lax"), "{set}");
        assert!(
            set.contains("Max-Age=2592000") && !set.contains("Secure"),
            "{set}"
        );
        let header = format!("theme=dark; {}; other=1", sent_back(&set));
        assert_eq!(keys.identify(&header).unwrap(), user);
        assert!(IdentityKeys::from_key(&[7; 32], true)
            .cookie(&user)
            .ends_with("; Secure"));
    }

    #[test]
    fn missing_forged_and_expired_cookies_are_refused() {
        let keys = IdentityKeys::from_key(&[7; 32], false);
        assert!(matches!(
            keys.identify("theme=dark"),
            Err(IdentityError::Missing)
        ));
        assert!(matches!(keys.identify(""), Err(IdentityError::Missing)));
        let forged = IdentityKeys::from_key(&[8; 32], false).cookie(&ada());
        assert!(matches!(
            keys.identify(&sent_back(&forged)),
            Err(IdentityError::Invalid)
        ));
        assert!(matches!(
            keys.identify("rendezvous_id=abc.def.ghi"),
            Err(IdentityError::Invalid)
        ));
        let expired = Claims {
            sub: ada().id,
            name: ada().name,
            iat: 1_000,
            exp: 2_000,
        };
        let token = jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &expired,
            &EncodingKey::from_secret(&[7; 32]),
        )
        .unwrap();
        let header = format!("{COOKIE_NAME}={token}");
        assert!(matches!(
            keys.identify(&header),
            Err(IdentityError::Invalid)
        ));
    }

    #[test]
    fn the_key_is_generated_once_and_never_printed() {
        let dir = tempfile::tempdir().unwrap();
        let first = IdentityKeys::load_or_generate(dir.path(), false).unwrap();
        let cookie = first.cookie(&ada());
        let second = IdentityKeys::load_or_generate(dir.path(), false).unwrap();
        assert!(
            second.identify(&sent_back(&cookie)).is_ok(),
            "the key is reused"
        );
        let path = dir.path().join(KEY_FILE);
        let key = fs::read(&path).unwrap();
        assert_eq!(key.len(), 32);
        let printed = format!("{second:?}");
        assert!(printed.contains("<redacted>"), "{printed}");
        assert!(
            !printed.contains(&format!("{}, {}, {}", key[0], key[1], key[2])),
            "{printed}"
        );
        fs::write(&path, b"short").unwrap();
        assert!(matches!(
            IdentityKeys::load_or_generate(dir.path(), false),
            Err(IdentityError::Key(KeyFileError::Corrupt(_)))
        ));
    }
}
