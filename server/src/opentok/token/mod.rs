//! Client (connection) tokens (§3): what a browser passes to
//! `session.connect`. [`TokenBuilder`] mints them with the SDKs' rules
//! (§3.4): 24-hour default lifetime, at most 30 days, connection data up to
//! 1000 characters, and only for sessions owned by the credentials.
//!
//! Three forms: an HS256 JWT (default for projects, [`jwt`]), the legacy
//! `T1` string ([`t1`], projects only) and an RS256 JWT (Vonage
//! applications). Minting is on the hot path, so project tokens are
//! hand-formatted and signed with the secret's pre-keyed HMAC state.

mod jwt;
mod options;
mod t1;
mod text;

use rand::Rng;

pub use options::{Role, TokenFormat, TokenOptions};

use super::credentials::Credentials;
use super::session_id::SessionId;

/// Default token lifetime: 24 hours.
pub const DEFAULT_TTL_SECS: u64 = 86_400;
/// Longest token lifetime: 30 days.
pub const MAX_TTL_SECS: u64 = 30 * 86_400;
/// Longest connection data, in characters.
pub const MAX_DATA_CHARS: usize = 1000;
/// Longest space-joined initial layout class list, in characters.
pub const MAX_LAYOUT_CHARS: usize = 1000;

/// Why a token cannot be minted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// The session id names another project or application.
    #[error("token cannot be generated unless the session belongs to the API key")]
    ForeignSession,
    /// `expire_time` is not in the future.
    #[error("expire time must be in the future")]
    ExpireInPast,
    /// `expire_time` is more than 30 days ahead.
    #[error("expire time must be within 30 days")]
    ExpireTooFar,
    /// Connection data longer than 1000 characters.
    #[error("connection data must be at most 1000 characters")]
    DataTooLong,
    /// A layout class is empty or contains whitespace.
    #[error("layout class names must be non-empty and contain no whitespace")]
    LayoutClass,
    /// The joined layout class list is longer than 1000 characters.
    #[error("initial layout class list must be at most 1000 characters")]
    LayoutTooLong,
    /// `T1` tokens need project credentials.
    #[error("T1 tokens cannot be generated with Vonage application credentials")]
    T1NeedsProject,
    /// The role name is not one of the four roles.
    #[error("unknown role {0:?}")]
    UnknownRole(String),
    /// RS256 signing failed.
    #[error("cannot sign token: {0}")]
    Signing(String),
}

/// Builds one client token: `TokenBuilder::new(&credentials, &session).role(Role::Moderator).build()`.
#[derive(Debug, Clone)]
pub struct TokenBuilder<'a> {
    credentials: &'a Credentials,
    session_id: &'a SessionId,
    options: TokenOptions,
}

impl<'a> TokenBuilder<'a> {
    /// A publisher token for `session_id` with default options.
    pub fn new(credentials: &'a Credentials, session_id: &'a SessionId) -> Self {
        TokenBuilder {
            credentials,
            session_id,
            options: TokenOptions::default(),
        }
    }

    /// Sets the role.
    pub fn role(mut self, role: Role) -> Self {
        self.options.role = role;
        self
    }

    /// Sets the expiry (epoch seconds).
    pub fn expire_time(mut self, expire_time: u64) -> Self {
        self.options.expire_time = Some(expire_time);
        self
    }

    /// Sets the connection data.
    pub fn data(mut self, data: impl Into<String>) -> Self {
        self.options.data = Some(data.into());
        self
    }

    /// Sets the initial layout classes.
    pub fn initial_layout_class_list<I, S>(mut self, classes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.options.initial_layout_class_list = classes.into_iter().map(Into::into).collect();
        self
    }

    /// Chooses JWT or T1.
    pub fn format(mut self, format: TokenFormat) -> Self {
        self.options.format = format;
        self
    }

    /// Replaces every option with `options`.
    pub fn with_options(mut self, options: &TokenOptions) -> Self {
        self.options = options.clone();
        self
    }

    /// Mints the token now.
    pub fn build(self) -> Result<String, TokenError> {
        generate(self.credentials, self.session_id, &self.options)
    }
}

/// Mints a token without going through the builder (no copy of `options`).
pub fn generate(
    credentials: &Credentials,
    session_id: &SessionId,
    options: &TokenOptions,
) -> Result<String, TokenError> {
    let nonce: u32 = rand::rng().random();
    generate_at(credentials, session_id, options, super::unix_now(), nonce)
}

/// [`generate`] with the clock and nonce explicit (deterministic; for tests).
pub(crate) fn generate_at(
    credentials: &Credentials,
    session_id: &SessionId,
    options: &TokenOptions,
    now: u64,
    nonce: u32,
) -> Result<String, TokenError> {
    let expire_time = check(credentials, session_id, options, now)?;
    match (credentials, options.format) {
        (
            Credentials::Project {
                api_key,
                api_secret,
            },
            TokenFormat::Jwt,
        ) => Ok(jwt::hs256(
            api_key,
            api_secret,
            session_id,
            options,
            now,
            expire_time,
            nonce,
        )),
        (
            Credentials::Project {
                api_key,
                api_secret,
            },
            TokenFormat::T1,
        ) => {
            let mut digits = [0u8; 20];
            let nonce = text::decimal(u64::from(nonce), &mut digits);
            let fields = t1::Fields::new(session_id, options, now, expire_time, nonce);
            Ok(t1::encode(api_key, api_secret, &fields))
        }
        (Credentials::Vonage(app), TokenFormat::Jwt) => {
            jwt::rs256(app, session_id, options, now, expire_time)
        }
        (Credentials::Vonage(_), TokenFormat::T1) => Err(TokenError::T1NeedsProject),
    }
}

/// Applies the §3.4 rules; returns the effective expiry.
fn check(
    credentials: &Credentials,
    session_id: &SessionId,
    options: &TokenOptions,
    now: u64,
) -> Result<u64, TokenError> {
    if !credentials.is_owner(session_id.owner()) {
        return Err(TokenError::ForeignSession);
    }
    let expire_time = options.expire_time.unwrap_or(now + DEFAULT_TTL_SECS);
    if expire_time <= now {
        return Err(TokenError::ExpireInPast);
    }
    if expire_time > now + MAX_TTL_SECS {
        return Err(TokenError::ExpireTooFar);
    }
    if options
        .data
        .as_deref()
        .is_some_and(|data| data.chars().count() > MAX_DATA_CHARS)
    {
        return Err(TokenError::DataTooLong);
    }
    let classes = &options.initial_layout_class_list;
    if classes
        .iter()
        .any(|c| c.is_empty() || c.chars().any(char::is_whitespace))
    {
        return Err(TokenError::LayoutClass);
    }
    let joined_len = classes.iter().map(|c| c.chars().count() + 1).sum::<usize>();
    if joined_len.saturating_sub(1) > MAX_LAYOUT_CHARS {
        return Err(TokenError::LayoutTooLong);
    }
    Ok(expire_time)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opentok::credentials::{ApiKey, ApiSecret, VonageApplication};
    use crate::opentok::verify::TokenVerifier;

    const SESSION: &str = "1_MX4xMjM0NTZ-flNhdCBNYXIgMTUgMTQ6NDI6MjMgUERUIDIwMTR-MC40OTAxMzAyNX4";
    const NOW: u64 = 1_700_000_000;

    fn project() -> Credentials {
        Credentials::Project {
            api_key: ApiKey::parse("123456").unwrap(),
            api_secret: ApiSecret::parse("1234567890abcdef1234567890abcdef1234567890").unwrap(),
        }
    }

    fn mint(options: &TokenOptions) -> Result<String, TokenError> {
        generate_at(
            &project(),
            &SessionId::parse(SESSION).unwrap(),
            options,
            NOW,
            42,
        )
    }

    #[test]
    fn builder_defaults_to_a_day_long_publisher_jwt() {
        let credentials = project();
        let session = SessionId::parse(SESSION).unwrap();
        let token = TokenBuilder::new(&credentials, &session)
            .data("name=Alice")
            .build()
            .unwrap();
        let verified = TokenVerifier::new(&credentials).verify(&token).unwrap();
        assert_eq!(
            (verified.role, verified.format),
            (Role::Publisher, TokenFormat::Jwt)
        );
        assert_eq!(verified.connection_data.as_deref(), Some("name=Alice"));
        let lifetime = verified.expires_at - crate::opentok::unix_now();
        assert!(
            (DEFAULT_TTL_SECS - 5..=DEFAULT_TTL_SECS).contains(&lifetime),
            "{lifetime}"
        );
    }

    #[test]
    fn builder_setters_reach_the_token() {
        let credentials = project();
        let session = SessionId::parse(SESSION).unwrap();
        let expire = crate::opentok::unix_now() + 600;
        let token = TokenBuilder::new(&credentials, &session)
            .role(Role::Moderator)
            .expire_time(expire)
            .initial_layout_class_list(["focus", "main"])
            .format(TokenFormat::T1)
            .build()
            .unwrap();
        assert!(token.starts_with("T1=="));
        let verified = TokenVerifier::new(&credentials).verify(&token).unwrap();
        assert_eq!(
            (verified.role, verified.expires_at),
            (Role::Moderator, expire)
        );
        assert_eq!(verified.initial_layout_class_list, ["focus", "main"]);
        let options = TokenOptions {
            role: Role::Subscriber,
            ..TokenOptions::default()
        };
        let token = TokenBuilder::new(&credentials, &session)
            .role(Role::Moderator)
            .with_options(&options)
            .build();
        assert_eq!(
            TokenVerifier::new(&credentials)
                .verify(&token.unwrap())
                .unwrap()
                .role,
            Role::Subscriber
        );
    }

    #[test]
    fn refuses_what_the_sdks_refuse() {
        let with = |f: fn(&mut TokenOptions)| {
            let mut options = TokenOptions::default();
            f(&mut options);
            mint(&options).unwrap_err()
        };
        assert_eq!(
            with(|o| o.expire_time = Some(NOW)),
            TokenError::ExpireInPast
        );
        assert_eq!(
            with(|o| o.expire_time = Some(NOW + MAX_TTL_SECS + 1)),
            TokenError::ExpireTooFar
        );
        assert_eq!(
            with(|o| o.data = Some("é".repeat(MAX_DATA_CHARS + 1))),
            TokenError::DataTooLong
        );
        assert_eq!(
            with(|o| o.initial_layout_class_list = vec!["a b".into()]),
            TokenError::LayoutClass
        );
        assert_eq!(
            with(|o| o.initial_layout_class_list = vec![String::new()]),
            TokenError::LayoutClass
        );
        assert_eq!(
            with(|o| o.initial_layout_class_list = vec!["c".repeat(501); 2]),
            TokenError::LayoutTooLong
        );
        assert!(mint(&TokenOptions {
            expire_time: Some(NOW + MAX_TTL_SECS),
            ..TokenOptions::default()
        })
        .is_ok());
        assert!(mint(&TokenOptions {
            data: Some("é".repeat(MAX_DATA_CHARS)),
            ..TokenOptions::default()
        })
        .is_ok());
    }

    #[test]
    fn refuses_sessions_of_other_keys() {
        let foreign = SessionId::parse(
            "1_MX42NTQzMjF-flNhdCBNYXIgMTUgMTQ6NDI6MjMgUERUIDIwMTR-MC40OTAxMzAyNX4",
        )
        .unwrap();
        let err = generate_at(&project(), &foreign, &TokenOptions::default(), NOW, 1).unwrap_err();
        assert_eq!(err, TokenError::ForeignSession);
    }

    #[test]
    fn vonage_tokens_are_rs256_and_never_t1() {
        let pem = include_str!("../../../tests/fixtures/opentok/vonage_private_key.pem");
        let id = uuid::Uuid::parse_str("29f760f8-7ce1-46c9-ade3-f2dedee4ed5f").unwrap();
        let credentials = Credentials::Vonage(VonageApplication::from_pem(id, pem).unwrap());
        let session = SessionId::generate(
            &credentials.owner_id(),
            None,
            crate::opentok::model::MediaMode::Routed,
        );
        let token = TokenBuilder::new(&credentials, &session)
            .role(Role::Subscriber)
            .build()
            .unwrap();
        let verified = TokenVerifier::new(&credentials).verify(&token).unwrap();
        assert_eq!(
            (verified.owner.as_str(), verified.role),
            ("29f760f8-7ce1-46c9-ade3-f2dedee4ed5f", Role::Subscriber)
        );
        let t1 = TokenBuilder::new(&credentials, &session)
            .format(TokenFormat::T1)
            .build();
        assert_eq!(t1.unwrap_err(), TokenError::T1NeedsProject);
    }
}
