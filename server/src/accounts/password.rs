//! Passwords and their argon2 hashes. A [`Password`] is what a person chose
//! (8–128 characters, never printed); a [`PasswordHash`] is the PHC string
//! (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`, argon2's default Argon2id
//! parameters and a random salt) that the store keeps. Verification reads
//! the parameters from the stored string, so stronger defaults later keep
//! old hashes valid. Hashing is deliberately slow: callers on the async
//! runtime run it on a blocking thread.

use std::sync::LazyLock;

use argon2::password_hash::phc;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use secrecy::{ExposeSecret, SecretString};
use thiserror::Error;

/// Why a password or a stored hash was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PasswordError {
    /// Shorter than [`Password::MIN_CHARS`].
    #[error("A password has at least 8 characters.")]
    TooShort,
    /// Longer than [`Password::MAX_CHARS`].
    #[error("A password has at most 128 characters.")]
    TooLong,
    /// A stored hash is not an argon2 PHC string.
    #[error("not an argon2 password hash: {0}")]
    BadHash(String),
    /// argon2 itself failed (e.g. no randomness for the salt).
    #[error("cannot hash the password: {0}")]
    Hashing(String),
}

/// A password as typed: 8–128 characters, kept exactly (spaces count).
/// Its `Debug` never shows it.
#[derive(Clone)]
pub struct Password(SecretString);

impl Password {
    /// The shortest password, in characters.
    pub const MIN_CHARS: usize = 8;
    /// The longest password, in characters.
    pub const MAX_CHARS: usize = 128;

    /// Checks the length of `raw`.
    pub fn parse(raw: &str) -> Result<Self, PasswordError> {
        let chars = raw.chars().count();
        if chars < Self::MIN_CHARS {
            Err(PasswordError::TooShort)
        } else if chars > Self::MAX_CHARS {
            Err(PasswordError::TooLong)
        } else {
            Ok(Password(SecretString::from(raw.to_owned())))
        }
    }

    /// The password's text (for hashing only).
    fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// An argon2 PHC string, as stored. `Debug` shows only the algorithm.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl PasswordHash {
    /// Hashes `password` with Argon2id (default parameters, random salt).
    /// Slow on purpose (tens of milliseconds in an optimised build).
    pub fn create(password: &Password) -> Result<Self, PasswordError> {
        Argon2::default()
            .hash_password(password.expose().as_bytes())
            .map(|hash| PasswordHash(hash.to_string()))
            .map_err(|err| PasswordError::Hashing(err.to_string()))
    }

    /// Reads a stored PHC string, checking that it is one.
    pub fn parse(stored: &str) -> Result<Self, PasswordError> {
        let parsed = phc::PasswordHash::new(stored)
            .map_err(|err| PasswordError::BadHash(err.to_string()))?;
        if !parsed.algorithm.as_str().starts_with("argon2") {
            return Err(PasswordError::BadHash(format!(
                "algorithm {}",
                parsed.algorithm
            )));
        }
        if parsed.salt.is_none() || parsed.hash.is_none() {
            return Err(PasswordError::BadHash("no salt or hash".into()));
        }
        Ok(PasswordHash(stored.to_owned()))
    }

    /// Whether `candidate` is the password this hash was made from (argon2
    /// compares the outputs in constant time). Any text may be tried: one
    /// of the wrong length is simply wrong, after the same work.
    pub fn verify(&self, candidate: &str) -> bool {
        Argon2::default()
            .verify_password(candidate.as_bytes(), self.0.as_str())
            .is_ok()
    }

    /// Spends one verification against a hash of a random password — for
    /// unknown usernames, so a sign-in takes as long whether the name
    /// exists or not. Always `false`.
    pub fn verify_nobody(candidate: &str) -> bool {
        static NOBODY: LazyLock<Option<PasswordHash>> = LazyLock::new(|| {
            let random: [u8; 16] = rand::random();
            Password::parse(&hex::encode(random))
                .ok()
                .and_then(|password| PasswordHash::create(&password).ok())
        });
        if let Some(hash) = NOBODY.as_ref() {
            let _ = hash.verify(candidate);
        }
        false
    }

    /// The PHC string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let algorithm = self.0.split('$').nth(1).unwrap_or("?");
        write!(f, "PasswordHash({algorithm}, <redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_bounded_by_characters_not_bytes() {
        assert_eq!(
            Password::parse("seven77").unwrap_err(),
            PasswordError::TooShort
        );
        assert_eq!(Password::parse("").unwrap_err(), PasswordError::TooShort);
        assert!(Password::parse("eight888").is_ok());
        assert!(Password::parse("  spaced  ").is_ok(), "spaces count");
        assert!(Password::parse(&"é".repeat(128)).is_ok());
        assert_eq!(
            Password::parse(&"é".repeat(129)).unwrap_err(),
            PasswordError::TooLong
        );
    }

    #[test]
    fn debug_never_shows_a_password_or_its_hash() {
        let password = Password::parse("correct horse").unwrap();
        let printed = format!("{password:?}");
        assert_eq!(printed, "Password(<redacted>)");
        let hash = PasswordHash::create(&password).unwrap();
        let printed = format!("{hash:?}");
        assert_eq!(printed, "PasswordHash(argon2id, <redacted>)");
        let salt_and_hash = hash.as_str().rsplit('$').next().unwrap();
        assert!(!printed.contains(salt_and_hash));
    }

    #[test]
    fn hashes_verify_only_their_password() {
        let password = Password::parse("correct horse").unwrap();
        let hash = PasswordHash::create(&password).unwrap();
        assert!(
            hash.as_str().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{}",
            hash.as_str()
        );
        assert!(hash.verify("correct horse"));
        assert!(!hash.verify("correct horse "));
        assert!(!hash.verify(""));
        let again = PasswordHash::create(&password).unwrap();
        assert_ne!(again, hash, "each hash has its own salt");
        assert!(again.verify("correct horse"));
    }

    #[test]
    fn stored_hashes_are_checked() {
        let hash = PasswordHash::create(&Password::parse("correct horse").unwrap()).unwrap();
        let read = PasswordHash::parse(hash.as_str()).unwrap();
        assert!(read.verify("correct horse"));
        let truncated = &hash.as_str()[..hash.as_str().rfind('$').unwrap()];
        for bad in [
            "",
            "plain text",
            "$sha1$abc",
            "$argon2id$v=19$m=oops",
            truncated,
        ] {
            assert!(
                matches!(PasswordHash::parse(bad), Err(PasswordError::BadHash(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn nobody_is_never_verified() {
        assert!(!PasswordHash::verify_nobody("correct horse"));
        assert!(!PasswordHash::verify_nobody(""));
    }
}
