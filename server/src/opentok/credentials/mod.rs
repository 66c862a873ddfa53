//! Credentials of the two OpenTok account families (§1 of the protocol notes):
//! a legacy *project* (numeric API key + shared secret, HMAC-signed tokens)
//! and a Vonage *application* (UUID + RSA private key, RS256-signed tokens).
//! Every value is parsed once at the edge into a type that cannot hold an
//! invalid value, and no secret ever reaches a `Debug` or log line.

mod vonage;

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use hmac::{Hmac, Mac};
use rand::distr::{Alphanumeric, SampleString};
use rand::Rng;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha1::Sha1;
use sha2::Sha256;
use uuid::Uuid;

pub use vonage::VonageApplication;

/// Why a key, secret or private key was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CredentialsError {
    /// The API key is not a decimal integer without leading zeros in 1..=2³¹−1.
    #[error("API key must be a decimal number from 1 to 2147483647 without leading zeros")]
    InvalidApiKey,
    /// The API secret is empty.
    #[error("API secret must not be empty")]
    EmptySecret,
    /// The API secret contains whitespace or control characters.
    #[error("API secret must not contain whitespace or control characters")]
    SecretCharacters,
    /// The API secret ends like a file name, which the Python SDK mistakes for a path.
    #[error("API secret must not end like a file name extension (e.g. \".pem\")")]
    SecretLooksLikePath,
    /// The PEM text is not an RSA private key in PKCS#8 or PKCS#1 form.
    #[error("private key is not an RSA private key in PKCS#8 or PKCS#1 PEM form")]
    InvalidPrivateKey,
}

/// A project's API key: a positive decimal integer that fits a signed 32-bit
/// integer, written without leading zeros (the Java SDK stores it as `int`).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ApiKey(String);

impl ApiKey {
    /// Parses an API key such as `"123456"`.
    pub fn parse(text: &str) -> Result<Self, CredentialsError> {
        let digits_only = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
        if !digits_only || text.starts_with('0') || text.len() > 10 {
            return Err(CredentialsError::InvalidApiKey);
        }
        match text.parse::<u64>() {
            Ok(value) if value <= i32::MAX as u64 => Ok(ApiKey(text.to_owned())),
            _ => Err(CredentialsError::InvalidApiKey),
        }
    }

    /// A fresh random key in `100000..=2147483647`.
    pub fn generate() -> Self {
        let value: u32 = rand::rng().random_range(100_000..=i32::MAX as u32);
        ApiKey(value.to_string())
    }

    /// The key as written on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiKey({})", self.0)
    }
}

impl FromStr for ApiKey {
    type Err = CredentialsError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        ApiKey::parse(text)
    }
}

impl TryFrom<String> for ApiKey {
    type Error = CredentialsError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        ApiKey::parse(&text)
    }
}

impl From<ApiKey> for String {
    fn from(key: ApiKey) -> String {
        key.0
    }
}

/// A project's API secret. Besides the secret text it keeps HMAC states
/// already keyed with it (shared, so clones are cheap), so signing a token
/// never re-derives the key.
#[derive(Clone)]
pub struct ApiSecret {
    text: SecretString,
    macs: Arc<KeyedMacs>,
}

/// HMAC states with the secret already absorbed.
struct KeyedMacs {
    sha1: Hmac<Sha1>,
    sha256: Hmac<Sha256>,
}

impl ApiSecret {
    /// Parses a secret: non-empty, no whitespace or control characters, and
    /// not ending like a file name (`.pem`, `.key`, …) — the Python SDK would
    /// try to open such a secret as a private-key file (§1.1).
    pub fn parse(text: &str) -> Result<Self, CredentialsError> {
        if text.is_empty() {
            return Err(CredentialsError::EmptySecret);
        }
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(CredentialsError::SecretCharacters);
        }
        if looks_like_file_name(text) {
            return Err(CredentialsError::SecretLooksLikePath);
        }
        let key = text.as_bytes();
        let macs = KeyedMacs {
            sha1: Hmac::new_from_slice(key).expect("HMAC accepts keys of any length"),
            sha256: Hmac::new_from_slice(key).expect("HMAC accepts keys of any length"),
        };
        Ok(ApiSecret {
            text: SecretString::from(text),
            macs: Arc::new(macs),
        })
    }

    /// A fresh secret of 40 lowercase hex characters, the shape every SDK expects.
    pub fn generate() -> Self {
        let bytes: [u8; 20] = rand::rng().random();
        ApiSecret::parse(&hex::encode(bytes)).expect("40 hex characters form a valid secret")
    }

    /// The secret text, for the few places that must store or send it.
    pub fn expose(&self) -> &str {
        self.text.expose_secret()
    }

    /// An HMAC-SHA1 state keyed with this secret (T1 tokens).
    pub(crate) fn hmac_sha1(&self) -> Hmac<Sha1> {
        self.macs.sha1.clone()
    }

    /// An HMAC-SHA256 state keyed with this secret (HS256 JWTs).
    pub(crate) fn hmac_sha256(&self) -> Hmac<Sha256> {
        self.macs.sha256.clone()
    }
}

/// The Python SDK's test `[.][A-Za-z0-9_]+$`.
fn looks_like_file_name(text: &str) -> bool {
    match text.rfind('.') {
        Some(dot) => {
            let tail = &text[dot + 1..];
            !tail.is_empty() && tail.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        }
        None => false,
    }
}

impl fmt::Debug for ApiSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiSecret(<redacted>)")
    }
}

/// The credentials of one account, in either family.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// A legacy OpenTok project.
    Project {
        /// The project's API key.
        api_key: ApiKey,
        /// The project's API secret.
        api_secret: ApiSecret,
    },
    /// A Vonage application.
    Vonage(VonageApplication),
}

impl Credentials {
    /// The account's public identifier: the API key or the application id.
    /// It is field 1 of the account's session ids and what browsers pass to
    /// `OT.initSession`.
    pub fn owner_id(&self) -> String {
        match self {
            Credentials::Project { api_key, .. } => api_key.to_string(),
            Credentials::Vonage(app) => app.application_id.to_string(),
        }
    }

    /// Whether `owner` names this account.
    pub fn is_owner(&self, owner: &str) -> bool {
        match self {
            Credentials::Project { api_key, .. } => api_key.as_str() == owner,
            Credentials::Vonage(app) => {
                Uuid::parse_str(owner).is_ok_and(|id| id == app.application_id)
            }
        }
    }
}

/// A random alphanumeric string of `len` characters (session-id tokens).
pub(crate) fn random_alphanumeric(len: usize) -> String {
    Alphanumeric.sample_string(&mut rand::rng(), len)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PEM: &str = include_str!("../../../tests/fixtures/opentok/vonage_private_key.pem");

    #[test]
    fn api_keys_follow_the_java_int_rule() {
        for good in ["1", "123456", "47665971", "2147483647"] {
            assert_eq!(ApiKey::parse(good).unwrap().as_str(), good);
        }
        for bad in [
            "",
            "0",
            "0123",
            "2147483648",
            "99999999999",
            "12a",
            "-5",
            " 1",
            "+1",
        ] {
            assert_eq!(
                ApiKey::parse(bad),
                Err(CredentialsError::InvalidApiKey),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn generated_keys_are_valid() {
        for _ in 0..100 {
            let key = ApiKey::generate();
            assert_eq!(ApiKey::parse(key.as_str()).as_ref(), Ok(&key));
            assert!(key.as_str().parse::<u32>().unwrap() >= 100_000);
        }
    }

    #[test]
    fn api_key_serde_is_a_checked_string() {
        let key: ApiKey = serde_json::from_str("\"123456\"").unwrap();
        assert_eq!(serde_json::to_string(&key).unwrap(), "\"123456\"");
        assert!(serde_json::from_str::<ApiKey>("\"0123\"").is_err());
    }

    #[test]
    fn secrets_are_checked_and_redacted() {
        let secret = ApiSecret::parse("1234567890abcdef1234567890abcdef1234567890").unwrap();
        assert_eq!(
            secret.expose(),
            "1234567890abcdef1234567890abcdef1234567890"
        );
        assert_eq!(format!("{secret:?}"), "ApiSecret(<redacted>)");
        assert_eq!(
            ApiSecret::parse("").unwrap_err(),
            CredentialsError::EmptySecret
        );
        assert_eq!(
            ApiSecret::parse("ab cd").unwrap_err(),
            CredentialsError::SecretCharacters
        );
        assert_eq!(
            ApiSecret::parse("key.pem").unwrap_err(),
            CredentialsError::SecretLooksLikePath
        );
        assert!(ApiSecret::parse("ends.with.dot.").is_ok());
    }

    #[test]
    fn generated_secrets_are_forty_lowercase_hex() {
        let secret = ApiSecret::generate();
        assert_eq!(secret.expose().len(), 40);
        assert!(secret
            .expose()
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
        assert_ne!(secret.expose(), ApiSecret::generate().expose());
    }

    #[test]
    fn owner_id_is_key_or_application_id() {
        let project = Credentials::Project {
            api_key: ApiKey::parse("123456").unwrap(),
            api_secret: ApiSecret::generate(),
        };
        assert_eq!(project.owner_id(), "123456");
        assert!(project.is_owner("123456") && !project.is_owner("654321"));
        let id = Uuid::parse_str("29f760f8-7ce1-46c9-ade3-f2dedee4ed5f").unwrap();
        let vonage = Credentials::Vonage(VonageApplication::from_pem(id, PEM).unwrap());
        assert_eq!(vonage.owner_id(), "29f760f8-7ce1-46c9-ade3-f2dedee4ed5f");
        assert!(vonage.is_owner("29F760F8-7CE1-46C9-ADE3-F2DEDEE4ED5F"));
        assert!(!format!("{project:?}").contains(project_secret(&project)));
    }

    fn project_secret(credentials: &Credentials) -> &str {
        match credentials {
            Credentials::Project { api_secret, .. } => api_secret.expose(),
            Credentials::Vonage(_) => unreachable!("project credentials"),
        }
    }
}
