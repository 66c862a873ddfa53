//! The media-provider interface: everything the product needs from a video
//! platform (sessions, client tokens, archives), with two implementations —
//! [`local::LocalProvider`], the embedded engine in this process, and
//! [`cloud::CloudProvider`], Vonage / OpenTok cloud reached through the REST
//! client of [`crate::opentok::client`]. Routes hold an
//! `Arc<dyn MediaProvider>` and never know which one they talk to;
//! [`publisher_credentials`] is how a party of a two-person call joins.

pub mod cloud;
pub mod local;

use app::models::{ConnectionData, DisplayName, RoomCredentials};
use async_trait::async_trait;
use axum::http::StatusCode;
use uuid::Uuid;

use crate::opentok::model::{Archive, ArchiveList, ArchiveOptions, ArchiveQuery, SessionOptions};
use crate::opentok::session_id::SessionId;
use crate::opentok::token::{Role, TokenError, TokenOptions};

/// Which platform carries the media.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProviderKind {
    /// The embedded engine (no credentials needed).
    Local,
    /// Vonage / OpenTok cloud.
    Opentok,
}

impl ProviderKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ProviderKind::Local => "local",
            ProviderKind::Opentok => "opentok",
        }
    }
}

/// Failures a provider reports, already classified the way the platform does.
#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    /// The request was refused as invalid (400), e.g. no client connected.
    #[error("{0}")]
    Invalid(String),
    /// The platform refused our credentials — a server misconfiguration, so
    /// our routes answer 502, not 403.
    #[error("the video platform refused our credentials: {0}")]
    Forbidden(String),
    /// The session or archive does not exist (404).
    #[error("{0}")]
    NotFound(String),
    /// The request conflicts with the current state (409), e.g. a relayed session.
    #[error("{0}")]
    Conflict(String),
    /// The platform could not be reached or answered unexpectedly (502).
    #[error("video platform unavailable: {0}")]
    Unavailable(String),
}

impl ProviderError {
    /// The HTTP status our own routes answer with for this error.
    pub fn status(&self) -> StatusCode {
        match self {
            ProviderError::Invalid(_) => StatusCode::BAD_REQUEST,
            ProviderError::Forbidden(_) => StatusCode::BAD_GATEWAY,
            ProviderError::NotFound(_) => StatusCode::NOT_FOUND,
            ProviderError::Conflict(_) => StatusCode::CONFLICT,
            ProviderError::Unavailable(_) => StatusCode::BAD_GATEWAY,
        }
    }

    /// Classifies a refusal by the HTTP status the platform answered, keeping
    /// its message: 401/403 → [`Forbidden`](Self::Forbidden), 404 →
    /// [`NotFound`](Self::NotFound), 409 → [`Conflict`](Self::Conflict), any
    /// other 4xx → [`Invalid`](Self::Invalid), anything else →
    /// [`Unavailable`](Self::Unavailable).
    pub fn from_status(status: u16, message: String) -> Self {
        match status {
            401 | 403 => ProviderError::Forbidden(message),
            404 => ProviderError::NotFound(message),
            409 => ProviderError::Conflict(message),
            400..=499 => ProviderError::Invalid(message),
            _ => ProviderError::Unavailable(message),
        }
    }
}

/// Client tokens are minted locally by both providers: a session of another
/// project is refused as forbidden, a signing failure means we cannot serve,
/// and every other refusal is a bad request.
impl From<TokenError> for ProviderError {
    fn from(err: TokenError) -> Self {
        match err {
            TokenError::ForeignSession => ProviderError::Forbidden(err.to_string()),
            TokenError::Signing(_) => ProviderError::Unavailable(err.to_string()),
            other => ProviderError::Invalid(other.to_string()),
        }
    }
}

/// One video platform. Implementations must be cheap to share (`Arc`).
#[async_trait]
pub trait MediaProvider: Send + Sync + 'static {
    /// Which implementation this is (shown on the landing page, sent to clients).
    fn kind(&self) -> ProviderKind;
    /// The key clients pass to `OT.initSession` (API key or application id).
    fn api_key(&self) -> String;
    /// Creates a session on the platform.
    async fn create_session(&self, options: &SessionOptions) -> Result<SessionId, ProviderError>;
    /// Mints a client token for `session_id`; no network round trip.
    fn client_token(
        &self,
        session_id: &SessionId,
        options: &TokenOptions,
    ) -> Result<String, ProviderError>;
    async fn start_archive(&self, options: &ArchiveOptions) -> Result<Archive, ProviderError>;
    async fn stop_archive(&self, archive_id: Uuid) -> Result<Archive, ProviderError>;
    async fn get_archive(&self, archive_id: Uuid) -> Result<Archive, ProviderError>;
    async fn list_archives(&self, query: &ArchiveQuery) -> Result<ArchiveList, ProviderError>;
    async fn delete_archive(&self, archive_id: Uuid) -> Result<(), ProviderError>;
}

/// Credentials for the media session `session` with a publisher token whose
/// connection data is `{"name"}`: how each party of a two-person call (a
/// presence chat, a help call) joins it.
pub fn publisher_credentials(
    provider: &dyn MediaProvider,
    session: &SessionId,
    name: &DisplayName,
) -> Result<RoomCredentials, ProviderError> {
    let data = ConnectionData {
        name: name.clone(),
        user_id: None,
    };
    let options = TokenOptions {
        role: Role::Publisher,
        data: Some(data.to_json()),
        ..TokenOptions::default()
    };
    Ok(RoomCredentials {
        api_key: provider.api_key(),
        session_id: session.to_string(),
        token: provider.client_token(session, &options)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_classify_refusals_and_keep_the_message() {
        let class = |status| ProviderError::from_status(status, format!("said {status}"));
        assert!(matches!(class(400), ProviderError::Invalid(m) if m == "said 400"));
        assert!(matches!(class(401), ProviderError::Forbidden(m) if m == "said 401"));
        assert!(matches!(class(403), ProviderError::Forbidden(m) if m == "said 403"));
        assert!(matches!(class(404), ProviderError::NotFound(m) if m == "said 404"));
        assert!(matches!(class(409), ProviderError::Conflict(m) if m == "said 409"));
        assert!(matches!(class(413), ProviderError::Invalid(_)));
        assert!(matches!(class(429), ProviderError::Invalid(_)));
        assert!(matches!(class(500), ProviderError::Unavailable(m) if m == "said 500"));
        assert!(matches!(class(302), ProviderError::Unavailable(_)));
    }

    #[tokio::test]
    async fn publisher_credentials_name_the_party() {
        use crate::engine::Engine;
        use crate::opentok::credentials::{ApiKey, ApiSecret, Credentials};
        use crate::opentok::model::MediaMode;
        use crate::opentok::verify::TokenVerifier;
        use crate::store::sqlite::SqliteStore;

        let store = std::sync::Arc::new(SqliteStore::in_memory().await.unwrap());
        let credentials = Credentials::Project {
            api_key: ApiKey::parse("123456").unwrap(),
            api_secret: ApiSecret::generate(),
        };
        let engine = Engine::new(credentials, store);
        let provider = local::LocalProvider::new(engine.clone());
        let session = SessionId::generate("123456", None, MediaMode::Routed);
        let ann = DisplayName::parse("Ann").unwrap();
        let given = publisher_credentials(&provider, &session, &ann).unwrap();
        assert_eq!(
            (given.api_key.as_str(), given.session_id.as_str()),
            ("123456", session.as_str())
        );
        let verified = TokenVerifier::new(engine.credentials())
            .verify(&given.token)
            .unwrap();
        assert_eq!(verified.role, Role::Publisher);
        assert_eq!(verified.session_id, session);
        assert_eq!(
            verified.connection_data.as_deref(),
            Some(r#"{"name":"Ann"}"#)
        );
        let foreign = SessionId::generate("999999", None, MediaMode::Routed);
        assert!(matches!(
            publisher_credentials(&provider, &foreign, &ann),
            Err(ProviderError::Forbidden(_))
        ));
    }

    #[test]
    fn token_refusals_keep_their_class() {
        assert!(matches!(
            ProviderError::from(TokenError::ForeignSession),
            ProviderError::Forbidden(_)
        ));
        assert!(matches!(
            ProviderError::from(TokenError::Signing("rsa".into())),
            ProviderError::Unavailable(_)
        ));
        assert!(matches!(
            ProviderError::from(TokenError::DataTooLong),
            ProviderError::Invalid(_)
        ));
    }
}
