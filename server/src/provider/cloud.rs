//! The `opentok` media provider: Vonage / OpenTok cloud reached through the
//! REST [`Client`]. Client tokens are minted locally with the same
//! credentials; platform refusals keep their class (400/403/404/409) and the
//! platform's own message, anything else means the platform is unavailable.

use async_trait::async_trait;
use url::Url;
use uuid::Uuid;

use super::{MediaProvider, ProviderError, ProviderKind};
use crate::opentok::client::{Client, ClientError};
use crate::opentok::credentials::Credentials;
use crate::opentok::model::{Archive, ArchiveList, ArchiveOptions, ArchiveQuery, SessionOptions};
use crate::opentok::session_id::SessionId;
use crate::opentok::token::{self, TokenOptions};

/// Vonage / OpenTok cloud as a [`MediaProvider`].
#[derive(Debug, Clone)]
pub struct CloudProvider {
    client: Client,
}

impl CloudProvider {
    /// A provider for `credentials`, at `api_url` or the platform's default address.
    pub fn new(credentials: Credentials, api_url: Option<Url>) -> Self {
        let client = match api_url {
            Some(url) => Client::new(credentials, url),
            None => Client::for_cloud(credentials),
        };
        CloudProvider { client }
    }

    /// The REST client underneath.
    pub fn client(&self) -> &Client {
        &self.client
    }
}

#[async_trait]
impl MediaProvider for CloudProvider {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Opentok
    }

    fn api_key(&self) -> String {
        self.client.credentials().owner_id()
    }

    async fn create_session(&self, options: &SessionOptions) -> Result<SessionId, ProviderError> {
        Ok(self.client.create_session(options).await?)
    }

    fn client_token(
        &self,
        session_id: &SessionId,
        options: &TokenOptions,
    ) -> Result<String, ProviderError> {
        Ok(token::generate(
            self.client.credentials(),
            session_id,
            options,
        )?)
    }

    async fn start_archive(&self, options: &ArchiveOptions) -> Result<Archive, ProviderError> {
        Ok(self.client.start_archive(options).await?)
    }

    async fn stop_archive(&self, archive_id: Uuid) -> Result<Archive, ProviderError> {
        Ok(self.client.stop_archive(archive_id).await?)
    }

    async fn get_archive(&self, archive_id: Uuid) -> Result<Archive, ProviderError> {
        Ok(self.client.get_archive(archive_id).await?)
    }

    async fn list_archives(&self, query: &ArchiveQuery) -> Result<ArchiveList, ProviderError> {
        Ok(self.client.list_archives(query).await?)
    }

    async fn delete_archive(&self, archive_id: Uuid) -> Result<(), ProviderError> {
        Ok(self.client.delete_archive(archive_id).await?)
    }
}

/// The platform's documented refusals (400, 401/403, 404, 409) keep their
/// class and message; options refused before sending are invalid; anything
/// else (other statuses, network failures, undecodable answers) is logged and
/// means the platform is unavailable.
impl From<ClientError> for ProviderError {
    fn from(err: ClientError) -> Self {
        match err {
            ClientError::Api {
                status: status @ (400 | 401 | 403 | 404 | 409),
                message,
                ..
            } => ProviderError::from_status(status, message),
            ClientError::Session(e) => ProviderError::Invalid(e.to_string()),
            ClientError::Archive(e) => ProviderError::Invalid(e.to_string()),
            ClientError::Signal(e) => ProviderError::Invalid(e.to_string()),
            other => {
                tracing::warn!(error = %other, "video platform call failed");
                ProviderError::Unavailable(other.to_string())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opentok::credentials::{ApiKey, ApiSecret};

    fn api(status: u16) -> ClientError {
        ClientError::Api {
            status,
            code: Some(-1),
            message: format!("platform says {status}"),
        }
    }

    #[test]
    fn refusals_keep_class_and_message() {
        let class = |err: ClientError| ProviderError::from(err);
        assert!(matches!(class(api(400)), ProviderError::Invalid(m) if m == "platform says 400"));
        assert!(matches!(class(api(401)), ProviderError::Forbidden(m) if m == "platform says 401"));
        assert!(matches!(class(api(403)), ProviderError::Forbidden(m) if m == "platform says 403"));
        assert!(matches!(class(api(404)), ProviderError::NotFound(m) if m == "platform says 404"));
        assert!(matches!(class(api(409)), ProviderError::Conflict(m) if m == "platform says 409"));
    }

    #[test]
    fn anything_else_means_the_platform_is_unavailable() {
        for status in [405, 429, 500, 502] {
            let err = ProviderError::from(api(status));
            assert!(
                matches!(&err, ProviderError::Unavailable(m) if m.contains("platform says")),
                "{status}: {err:?}"
            );
        }
        assert!(matches!(
            ProviderError::from(ClientError::Decode("x".into())),
            ProviderError::Unavailable(_)
        ));
    }

    #[test]
    fn identity_and_tokens_come_from_the_credentials() {
        let credentials = Credentials::Project {
            api_key: ApiKey::parse("123456").unwrap(),
            api_secret: ApiSecret::generate(),
        };
        let provider = CloudProvider::new(credentials, None);
        assert_eq!(provider.kind(), ProviderKind::Opentok);
        assert_eq!(provider.api_key(), "123456");
        assert_eq!(
            provider.client().base_url().as_str(),
            "https://api.opentok.com/"
        );
        let foreign = SessionId::parse(
            "1_MX42NTQzMjF-flNhdCBNYXIgMTUgMTQ6NDI6MjMgUERUIDIwMTR-MC40OTAxMzAyNX4",
        )
        .unwrap();
        let refused = provider.client_token(&foreign, &TokenOptions::default());
        assert!(matches!(refused, Err(ProviderError::Forbidden(_))));
        let own = SessionId::parse(
            "1_MX4xMjM0NTZ-flNhdCBNYXIgMTUgMTQ6NDI6MjMgUERUIDIwMTR-MC40OTAxMzAyNX4",
        )
        .unwrap();
        assert!(provider
            .client_token(&own, &TokenOptions::default())
            .unwrap()
            .starts_with("eyJ"));
    }
}
