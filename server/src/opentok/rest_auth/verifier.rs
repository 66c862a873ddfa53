//! The server side of REST authentication: [`RestAuthVerifier`] checks
//! `X-OPENTOK-AUTH` (HS256; `ist` in the claims or, as Ruby sends it, in the
//! header; `iss` as string or number; `jti` optional), `Authorization:
//! Bearer` (RS256 of a Vonage application, `exp` optional) and the legacy
//! `X-TB-PARTNER-AUTH: key:secret`, with constant-time comparisons.

use http::HeaderMap;
use serde::Deserialize;
use uuid::Uuid;

use super::{RestAuthError, CLOCK_SKEW_SECS, OPENTOK_AUTH_HEADER, PARTNER_AUTH_HEADER};
use crate::opentok::credentials::Credentials;
use crate::opentok::jws;
use crate::opentok::keyring::Keyring;
use crate::opentok::unix_now;
use crate::opentok::verify::Issuer;

/// Checks the authentication of REST requests for a set of accounts.
/// `Debug` lists keys and application ids, never secrets.
#[derive(Debug, Clone, Default)]
pub struct RestAuthVerifier {
    keys: Keyring,
    max_lifetime: Option<u64>,
}

#[derive(Deserialize)]
struct RestClaims {
    iss: Option<Issuer>,
    ist: Option<String>,
    iat: Option<u64>,
    exp: Option<u64>,
    application_id: Option<String>,
}

impl RestAuthVerifier {
    /// A verifier for requests made with `credentials`.
    pub fn new(credentials: &Credentials) -> Self {
        RestAuthVerifier::default().with(credentials)
    }

    /// Also accepts requests made with `credentials`.
    pub fn with(mut self, credentials: &Credentials) -> Self {
        self.keys.add(credentials);
        self
    }

    /// Refuses tokens whose `exp − iat` exceeds `seconds` (off by default,
    /// because Vonage clients use 15-minute tokens).
    pub fn with_max_lifetime(mut self, seconds: u64) -> Self {
        self.max_lifetime = Some(seconds);
        self
    }

    /// Checks a request to `/v2/project/{project_in_path}/…`.
    pub fn verify(&self, headers: &HeaderMap, project_in_path: &str) -> Result<(), RestAuthError> {
        self.verify_at(headers, project_in_path, unix_now())
    }

    /// [`verify`](Self::verify) as of `now` (epoch seconds).
    pub fn verify_at(
        &self,
        headers: &HeaderMap,
        project_in_path: &str,
        now: u64,
    ) -> Result<(), RestAuthError> {
        let owner = self.authenticate_at(headers, now)?;
        if owner.eq_ignore_ascii_case(project_in_path) {
            Ok(())
        } else {
            Err(RestAuthError::WrongProject)
        }
    }

    /// Authenticates a request without a project in its path (such as
    /// `/session/create`); returns the API key or application id.
    pub fn authenticate(&self, headers: &HeaderMap) -> Result<String, RestAuthError> {
        self.authenticate_at(headers, unix_now())
    }

    /// [`authenticate`](Self::authenticate) as of `now`.
    pub fn authenticate_at(&self, headers: &HeaderMap, now: u64) -> Result<String, RestAuthError> {
        let text = |name| -> Result<Option<&str>, RestAuthError> {
            headers
                .get(name)
                .map(|value| {
                    value
                        .to_str()
                        .map_err(|_| RestAuthError::Malformed("header is not ASCII"))
                })
                .transpose()
        };
        if let Some(token) = text(OPENTOK_AUTH_HEADER)? {
            return self.check_project_token(token.trim(), now);
        }
        if let Some(value) = text(http::header::AUTHORIZATION.as_str())? {
            let (scheme, token) = value
                .trim()
                .split_once(' ')
                .ok_or(RestAuthError::Malformed("Authorization"))?;
            if !scheme.eq_ignore_ascii_case("bearer") {
                return Err(RestAuthError::Malformed(
                    "Authorization scheme must be Bearer",
                ));
            }
            return self.check_bearer_token(token.trim(), now);
        }
        if let Some(value) = text(PARTNER_AUTH_HEADER)? {
            return self.check_partner_auth(value.trim());
        }
        Err(RestAuthError::Missing)
    }

    fn check_project_token(&self, token: &str, now: u64) -> Result<String, RestAuthError> {
        let parts = jws::split(token).ok_or(RestAuthError::Malformed("not a JWT"))?;
        let header: jws::Header =
            jws::decode_part(parts.header).ok_or(RestAuthError::Malformed("JWT header"))?;
        if header.alg != "HS256" {
            return Err(RestAuthError::Algorithm(header.alg));
        }
        let claims: RestClaims =
            jws::decode_part(parts.claims).ok_or(RestAuthError::Malformed("JWT claims"))?;
        let owner = claims
            .iss
            .as_ref()
            .ok_or(RestAuthError::Malformed("iss"))?
            .text();
        self.keys.check_hs256(&owner, &parts)?;
        match claims.ist.as_deref().or(header.ist.as_deref()) {
            None | Some("project") => {}
            Some(_) => return Err(RestAuthError::TokenType),
        }
        let exp = claims.exp.ok_or(RestAuthError::Malformed("exp"))?;
        self.check_times(claims.iat, Some(exp), now)?;
        Ok(owner)
    }

    fn check_bearer_token(&self, token: &str, now: u64) -> Result<String, RestAuthError> {
        let parts = jws::split(token).ok_or(RestAuthError::Malformed("not a JWT"))?;
        let header: jws::Header =
            jws::decode_part(parts.header).ok_or(RestAuthError::Malformed("JWT header"))?;
        if header.alg != "RS256" {
            return Err(RestAuthError::Algorithm(header.alg));
        }
        let claims: RestClaims =
            jws::decode_part(parts.claims).ok_or(RestAuthError::Malformed("JWT claims"))?;
        let id = claims
            .application_id
            .as_deref()
            .ok_or(RestAuthError::Malformed("application_id"))?;
        let id = Uuid::parse_str(id).map_err(|_| RestAuthError::Malformed("application_id"))?;
        self.keys.check_rs256(id, &parts)?;
        self.check_times(claims.iat, claims.exp, now)?;
        Ok(id.to_string())
    }

    fn check_partner_auth(&self, value: &str) -> Result<String, RestAuthError> {
        let (key, secret) = value
            .split_once(':')
            .ok_or(RestAuthError::Malformed("X-TB-PARTNER-AUTH"))?;
        self.keys.check_secret(key, secret)?;
        Ok(key.to_owned())
    }

    fn check_times(
        &self,
        iat: Option<u64>,
        exp: Option<u64>,
        now: u64,
    ) -> Result<(), RestAuthError> {
        if let Some(exp) = exp {
            if exp + CLOCK_SKEW_SECS <= now {
                return Err(RestAuthError::Expired);
            }
            if let (Some(max), Some(iat)) = (self.max_lifetime, iat) {
                if exp.saturating_sub(iat) > max {
                    return Err(RestAuthError::Lifetime);
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opentok::credentials::{ApiKey, ApiSecret, VonageApplication};
    use crate::opentok::rest_auth::tests::{headers, project, SECRET};
    use crate::opentok::rest_auth::vonage_jwt;

    /// §7.5: a Ruby SDK request, `ist` in the JOSE header, issued at 1492510660.
    const RUBY_TOKEN: &str = "eyJpc3QiOiJwcm9qZWN0IiwiYWxnIjoiSFMyNTYifQ.eyJpc3MiOiIxMjM0NTYiLCJpYXQiOjE0OTI1MTA2NjAsImV4cCI6MTQ5MjUxMDk2MH0.BplMVhJWx4ld7KLKXqEmow6MjNPPFw9W8IHCMfeb120";

    #[test]
    fn accepts_the_ruby_vector_until_it_expires() {
        let verifier = RestAuthVerifier::new(&project());
        let request = headers(OPENTOK_AUTH_HEADER, RUBY_TOKEN);
        assert_eq!(
            verifier.verify_at(&request, "123456", 1_492_510_700),
            Ok(())
        );
        assert_eq!(
            verifier.verify_at(&request, "123456", 1_492_510_960 + 29),
            Ok(()),
            "skew"
        );
        assert_eq!(
            verifier.verify_at(&request, "123456", 1_492_510_960 + 30),
            Err(RestAuthError::Expired)
        );
        assert_eq!(
            verifier.verify_at(&request, "654321", 1_492_510_700),
            Err(RestAuthError::WrongProject)
        );
    }

    #[test]
    fn refuses_other_keys_and_tampering() {
        let other = Credentials::Project {
            api_key: ApiKey::parse("123456").unwrap(),
            api_secret: ApiSecret::parse("abcdefabcdefabcdefabcdefabcdefabcdefabcd").unwrap(),
        };
        let request = headers(OPENTOK_AUTH_HEADER, RUBY_TOKEN);
        assert_eq!(
            RestAuthVerifier::new(&other).verify_at(&request, "123456", 1_492_510_700),
            Err(RestAuthError::BadSignature)
        );
        let stranger = Credentials::Project {
            api_key: ApiKey::parse("654321").unwrap(),
            api_secret: ApiSecret::parse(SECRET).unwrap(),
        };
        assert_eq!(
            RestAuthVerifier::new(&stranger).authenticate_at(&request, 1_492_510_700),
            Err(RestAuthError::UnknownIssuer)
        );
        let verifier = RestAuthVerifier::new(&project());
        assert_eq!(
            verifier.authenticate_at(&HeaderMap::new(), 0),
            Err(RestAuthError::Missing)
        );
        assert!(matches!(
            verifier.authenticate_at(&headers(OPENTOK_AUTH_HEADER, "x.y"), 0),
            Err(RestAuthError::Malformed(_))
        ));
    }

    #[test]
    fn numeric_issuer_and_wrong_ist() {
        let Credentials::Project { api_secret, .. } = project() else {
            unreachable!("project")
        };
        let verifier = RestAuthVerifier::new(&project());
        let numeric = jws::sign_hs256(
            api_secret.hmac_sha256(),
            br#"{"iss":123456,"ist":"project","iat":1,"exp":500}"#,
        );
        assert_eq!(
            verifier.verify_at(&headers(OPENTOK_AUTH_HEADER, &numeric), "123456", 100),
            Ok(())
        );
        let account = jws::sign_hs256(
            api_secret.hmac_sha256(),
            br#"{"iss":"123456","ist":"account","iat":1,"exp":500}"#,
        );
        assert_eq!(
            verifier.verify_at(&headers(OPENTOK_AUTH_HEADER, &account), "123456", 100),
            Err(RestAuthError::TokenType)
        );
        let no_exp = jws::sign_hs256(api_secret.hmac_sha256(), br#"{"iss":"123456","iat":1}"#);
        assert_eq!(
            verifier.verify_at(&headers(OPENTOK_AUTH_HEADER, &no_exp), "123456", 100),
            Err(RestAuthError::Malformed("exp"))
        );
    }

    #[test]
    fn vonage_bearer_tokens_verify_against_the_path() {
        let pem = include_str!("../../../tests/fixtures/opentok/vonage_private_key.pem");
        let id = Uuid::parse_str("29f760f8-7ce1-46c9-ade3-f2dedee4ed5f").unwrap();
        let app = VonageApplication::from_pem(id, pem).unwrap();
        let verifier = RestAuthVerifier::new(&Credentials::Vonage(app.clone()));
        let request = headers("authorization", &format!("Bearer {}", vonage_jwt(&app)));
        assert_eq!(
            verifier.verify(&request, "29f760f8-7ce1-46c9-ade3-f2dedee4ed5f"),
            Ok(())
        );
        assert_eq!(
            verifier.verify(&request, "123456"),
            Err(RestAuthError::WrongProject)
        );
        let project_token = headers(OPENTOK_AUTH_HEADER, RUBY_TOKEN);
        assert_eq!(
            verifier.authenticate_at(&project_token, 1_492_510_700),
            Err(RestAuthError::UnknownIssuer)
        );
        let basic = headers("authorization", "Basic abc");
        assert!(matches!(
            verifier.authenticate(&basic),
            Err(RestAuthError::Malformed(_))
        ));
    }

    #[test]
    fn legacy_partner_auth_compares_the_secret() {
        let verifier = RestAuthVerifier::new(&project());
        let good = headers(PARTNER_AUTH_HEADER, &format!("123456:{SECRET}"));
        assert_eq!(verifier.authenticate(&good), Ok("123456".to_owned()));
        let bad = headers(PARTNER_AUTH_HEADER, "123456:nope");
        assert_eq!(
            verifier.authenticate(&bad),
            Err(RestAuthError::BadSignature)
        );
        assert!(!format!("{verifier:?}").contains(SECRET));
    }
}
