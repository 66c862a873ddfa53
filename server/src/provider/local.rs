//! The `local` media provider: the embedded [`Engine`] in this process. No
//! network round trip and no cloud credentials — sessions, archives and
//! client tokens all come from the engine's own project. Engine refusals are
//! mapped to [`ProviderError`] by their HTTP status, so routes answer the same
//! way whichever provider is configured.

use async_trait::async_trait;
use axum::http::StatusCode;
use uuid::Uuid;

use super::{MediaProvider, ProviderError, ProviderKind};
use crate::engine::{Engine, EngineError};
use crate::opentok::model::{Archive, ArchiveList, ArchiveOptions, ArchiveQuery, SessionOptions};
use crate::opentok::session_id::SessionId;
use crate::opentok::token::{TokenBuilder, TokenError, TokenOptions};

/// The embedded engine as a [`MediaProvider`].
#[derive(Debug, Clone)]
pub struct LocalProvider {
    engine: Engine,
}

impl LocalProvider {
    /// A provider backed by `engine`.
    pub fn new(engine: Engine) -> Self {
        LocalProvider { engine }
    }
}

#[async_trait]
impl MediaProvider for LocalProvider {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Local
    }

    fn api_key(&self) -> String {
        self.engine.api_key().to_owned()
    }

    async fn create_session(&self, options: &SessionOptions) -> Result<SessionId, ProviderError> {
        self.engine
            .create_session(options.clone())
            .await
            .map_err(provider_error)
    }

    fn client_token(
        &self,
        session_id: &SessionId,
        options: &TokenOptions,
    ) -> Result<String, ProviderError> {
        TokenBuilder::new(self.engine.credentials(), session_id)
            .with_options(options)
            .build()
            .map_err(token_error)
    }

    async fn start_archive(&self, options: &ArchiveOptions) -> Result<Archive, ProviderError> {
        self.engine
            .start_archive(options.clone())
            .await
            .map_err(provider_error)
    }

    async fn stop_archive(&self, archive_id: Uuid) -> Result<Archive, ProviderError> {
        self.engine
            .stop_archive(archive_id)
            .await
            .map_err(provider_error)
    }

    async fn get_archive(&self, archive_id: Uuid) -> Result<Archive, ProviderError> {
        self.engine
            .get_archive(archive_id)
            .await
            .map_err(provider_error)
    }

    async fn list_archives(&self, query: &ArchiveQuery) -> Result<ArchiveList, ProviderError> {
        self.engine
            .list_archives(query)
            .await
            .map_err(provider_error)
    }

    async fn delete_archive(&self, archive_id: Uuid) -> Result<(), ProviderError> {
        self.engine
            .delete_archive(archive_id)
            .await
            .map_err(provider_error)
    }
}

/// Classifies an engine refusal by its status; server-side failures are
/// logged and reported as the platform being unavailable.
fn provider_error(err: EngineError) -> ProviderError {
    let message = err.to_string();
    match err.status() {
        StatusCode::FORBIDDEN => ProviderError::Forbidden(message),
        StatusCode::NOT_FOUND => ProviderError::NotFound(message),
        StatusCode::CONFLICT => ProviderError::Conflict(message),
        status if status.is_client_error() => ProviderError::Invalid(message),
        _ => {
            tracing::error!(error = %err, "embedded engine failure");
            ProviderError::Unavailable("the embedded engine failed".into())
        }
    }
}

fn token_error(err: TokenError) -> ProviderError {
    match err {
        TokenError::ForeignSession => ProviderError::Forbidden(err.to_string()),
        TokenError::Signing(_) => ProviderError::Unavailable(err.to_string()),
        other => ProviderError::Invalid(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opentok::model::ArchiveStatus;
    use crate::store::StoreError;

    #[test]
    fn engine_refusals_keep_their_class() {
        assert!(matches!(
            provider_error(EngineError::SessionNotFound),
            ProviderError::NotFound(_)
        ));
        assert!(matches!(
            provider_error(EngineError::SessionRelayed),
            ProviderError::Conflict(_)
        ));
        assert!(matches!(
            provider_error(EngineError::NoClientsConnected),
            ProviderError::Invalid(_)
        ));
        assert!(matches!(
            provider_error(EngineError::NotDeletable(ArchiveStatus::Stopped)),
            ProviderError::Conflict(_)
        ));
        assert!(matches!(
            provider_error(EngineError::Congested),
            ProviderError::Invalid(_)
        ));
        let store = provider_error(EngineError::Store(StoreError::Corrupt("row 7".into())));
        assert!(matches!(&store, ProviderError::Unavailable(m) if !m.contains("row 7")));
    }

    #[test]
    fn token_refusals_keep_their_class() {
        assert!(matches!(
            token_error(TokenError::ForeignSession),
            ProviderError::Forbidden(_)
        ));
        assert!(matches!(
            token_error(TokenError::DataTooLong),
            ProviderError::Invalid(_)
        ));
    }
}
