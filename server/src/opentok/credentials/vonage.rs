//! Vonage application credentials: the application id and its RSA key pair,
//! read from the PKCS#8 or PKCS#1 PEM the Vonage dashboard hands out. The
//! private key signs RS256 tokens; its public half, derived here, verifies
//! them — so the embedded engine can check what it mints.

use std::fmt;

use jsonwebtoken::{DecodingKey, EncodingKey};
use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey, EncodeRsaPublicKey};
use rsa::pkcs8::DecodePrivateKey;
use rsa::{RsaPrivateKey, RsaPublicKey};
use uuid::Uuid;

use super::CredentialsError;

/// A Vonage application: its id and RSA key pair. The private key signs
/// tokens; the public half (derived from it) verifies them.
#[derive(Clone)]
pub struct VonageApplication {
    /// The application id, used where a project uses its API key.
    pub application_id: Uuid,
    encoding_key: EncodingKey,
    decoding_key: DecodingKey,
}

impl VonageApplication {
    /// Reads the application's private key from PEM text (PKCS#8
    /// `BEGIN PRIVATE KEY` or PKCS#1 `BEGIN RSA PRIVATE KEY`).
    pub fn from_pem(application_id: Uuid, pem: &str) -> Result<Self, CredentialsError> {
        let private = RsaPrivateKey::from_pkcs8_pem(pem)
            .or_else(|_| RsaPrivateKey::from_pkcs1_pem(pem))
            .map_err(|_| CredentialsError::InvalidPrivateKey)?;
        let private_der = private
            .to_pkcs1_der()
            .map_err(|_| CredentialsError::InvalidPrivateKey)?;
        let public_der = RsaPublicKey::from(&private)
            .to_pkcs1_der()
            .map_err(|_| CredentialsError::InvalidPrivateKey)?;
        Ok(VonageApplication {
            application_id,
            encoding_key: EncodingKey::from_rsa_der(private_der.as_bytes()),
            decoding_key: DecodingKey::from_rsa_der(public_der.as_bytes()),
        })
    }

    /// The key that signs RS256 tokens.
    pub(crate) fn encoding_key(&self) -> &EncodingKey {
        &self.encoding_key
    }

    /// The public key that verifies RS256 tokens.
    pub(crate) fn decoding_key(&self) -> &DecodingKey {
        &self.decoding_key
    }
}

impl fmt::Debug for VonageApplication {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VonageApplication")
            .field("application_id", &self.application_id)
            .field("private_key", &"<redacted>")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PEM: &str = include_str!("../../../tests/fixtures/opentok/vonage_private_key.pem");
    const PEM_PKCS1: &str =
        include_str!("../../../tests/fixtures/opentok/vonage_private_key_pkcs1.pem");

    #[test]
    fn vonage_application_reads_both_pem_forms_and_redacts() {
        let id = Uuid::parse_str("29f760f8-7ce1-46c9-ade3-f2dedee4ed5f").unwrap();
        let app = VonageApplication::from_pem(id, PEM).unwrap();
        let pkcs1 = VonageApplication::from_pem(id, PEM_PKCS1).unwrap();
        assert_eq!(
            app.encoding_key().as_bytes(),
            pkcs1.encoding_key().as_bytes()
        );
        let debug = format!("{app:?}");
        assert!(
            debug.contains("<redacted>") && !debug.contains("MII"),
            "{debug}"
        );
        assert_eq!(
            VonageApplication::from_pem(
                id,
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"
            )
            .unwrap_err(),
            CredentialsError::InvalidPrivateKey
        );
    }
}
