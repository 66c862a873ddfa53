//! The accounts a verifier accepts — project keys with their secrets and
//! Vonage applications — and the one place that finds the account a token or
//! request names and checks its proof: HS256 and RS256 signatures of compact
//! JWS tokens and the legacy clear-text secret (compared in constant time).
//! Used by both [`crate::opentok::verify`] and [`crate::opentok::rest_auth`].

use std::fmt;

use subtle::ConstantTimeEq;
use uuid::Uuid;

use super::credentials::{ApiKey, ApiSecret, Credentials, VonageApplication};
use super::jws;

/// Why a keyring refuses a proof; each verifier maps it to its own error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum KeyringError {
    /// No known project or application has that key or id.
    #[error("issuer is not known")]
    UnknownIssuer,
    /// The account is known but the signature or secret does not match.
    #[error("signature is invalid")]
    BadSignature,
}

/// A set of accounts. `Debug` lists keys and application ids, never secrets.
#[derive(Clone, Default)]
pub(crate) struct Keyring {
    projects: Vec<(ApiKey, ApiSecret)>,
    applications: Vec<VonageApplication>,
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys: Vec<&str> = self.projects.iter().map(|(key, _)| key.as_str()).collect();
        let apps: Vec<Uuid> = self
            .applications
            .iter()
            .map(|app| app.application_id)
            .collect();
        f.debug_struct("Keyring")
            .field("projects", &keys)
            .field("applications", &apps)
            .finish()
    }
}

impl Keyring {
    /// Also accepts `credentials`.
    pub(crate) fn add(&mut self, credentials: &Credentials) {
        match credentials {
            Credentials::Project {
                api_key,
                api_secret,
            } => self.projects.push((api_key.clone(), api_secret.clone())),
            Credentials::Vonage(app) => self.applications.push(app.clone()),
        }
    }

    /// The secret of project `api_key`, if it is known.
    pub(crate) fn secret(&self, api_key: &str) -> Option<&ApiSecret> {
        self.projects
            .iter()
            .find(|(key, _)| key.as_str() == api_key)
            .map(|(_, secret)| secret)
    }

    /// Checks that `parts` is HS256-signed with the secret of project `issuer`.
    pub(crate) fn check_hs256(
        &self,
        issuer: &str,
        parts: &jws::Parts<'_>,
    ) -> Result<(), KeyringError> {
        let secret = self.secret(issuer).ok_or(KeyringError::UnknownIssuer)?;
        if jws::verify_hs256(secret.hmac_sha256(), parts) {
            Ok(())
        } else {
            Err(KeyringError::BadSignature)
        }
    }

    /// Checks that `parts` is RS256-signed with the key of application `id`.
    pub(crate) fn check_rs256(&self, id: Uuid, parts: &jws::Parts<'_>) -> Result<(), KeyringError> {
        let app = self
            .applications
            .iter()
            .find(|app| app.application_id == id)
            .ok_or(KeyringError::UnknownIssuer)?;
        if jws::verify_rs256(app.decoding_key(), parts) {
            Ok(())
        } else {
            Err(KeyringError::BadSignature)
        }
    }

    /// Checks, in constant time, that `secret` is the secret of project `api_key`.
    pub(crate) fn check_secret(&self, api_key: &str, secret: &str) -> Result<(), KeyringError> {
        let known = self.secret(api_key).ok_or(KeyringError::UnknownIssuer)?;
        if bool::from(known.expose().as_bytes().ct_eq(secret.as_bytes())) {
            Ok(())
        } else {
            Err(KeyringError::BadSignature)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "1234567890abcdef1234567890abcdef1234567890";

    fn keyring() -> Keyring {
        let mut keys = Keyring::default();
        keys.add(&Credentials::Project {
            api_key: ApiKey::parse("123456").unwrap(),
            api_secret: ApiSecret::parse(SECRET).unwrap(),
        });
        keys
    }

    #[test]
    fn hs256_needs_the_issuers_own_secret() {
        let keys = keyring();
        let secret = ApiSecret::parse(SECRET).unwrap();
        let token = jws::sign_hs256(secret.hmac_sha256(), br#"{"iss":"123456"}"#);
        let parts = jws::split(&token).unwrap();
        assert_eq!(keys.check_hs256("123456", &parts), Ok(()));
        assert_eq!(
            keys.check_hs256("654321", &parts),
            Err(KeyringError::UnknownIssuer)
        );
        let other = ApiSecret::parse("abcdefabcdefabcdefabcdefabcdefabcdefabcd").unwrap();
        let forged = jws::sign_hs256(other.hmac_sha256(), br#"{"iss":"123456"}"#);
        assert_eq!(
            keys.check_hs256("123456", &jws::split(&forged).unwrap()),
            Err(KeyringError::BadSignature)
        );
    }

    #[test]
    fn rs256_needs_a_known_application() {
        let pem = include_str!("../../tests/fixtures/opentok/vonage_private_key.pem");
        let id = Uuid::parse_str("29f760f8-7ce1-46c9-ade3-f2dedee4ed5f").unwrap();
        let app = VonageApplication::from_pem(id, pem).unwrap();
        let token = jws::sign_rs256(app.encoding_key(), &serde_json::json!({"a": 1})).unwrap();
        let parts = jws::split(&token).unwrap();
        let mut keys = keyring();
        assert_eq!(
            keys.check_rs256(id, &parts),
            Err(KeyringError::UnknownIssuer)
        );
        keys.add(&Credentials::Vonage(app));
        assert_eq!(keys.check_rs256(id, &parts), Ok(()));
        let hs256 = jws::sign_hs256(ApiSecret::parse(SECRET).unwrap().hmac_sha256(), b"{}");
        assert_eq!(
            keys.check_rs256(id, &jws::split(&hs256).unwrap()),
            Err(KeyringError::BadSignature)
        );
    }

    #[test]
    fn clear_secrets_are_compared_and_never_printed() {
        let keys = keyring();
        assert_eq!(keys.check_secret("123456", SECRET), Ok(()));
        assert_eq!(
            keys.check_secret("123456", "nope"),
            Err(KeyringError::BadSignature)
        );
        assert_eq!(
            keys.check_secret("654321", SECRET),
            Err(KeyringError::UnknownIssuer)
        );
        let debug = format!("{keys:?}");
        assert!(
            debug.contains("123456") && !debug.contains(SECRET),
            "{debug}"
        );
    }
}
