//! The `local` media provider: the embedded [`Engine`] in this process. No
//! network round trip and no cloud credentials — sessions, archives and
//! client tokens all come from the engine's own project. Engine refusals are
//! mapped to [`ProviderError`] by their HTTP status, so routes answer the same
//! way whichever provider is configured.

use async_trait::async_trait;
use uuid::Uuid;

use super::{MediaProvider, ProviderError, ProviderKind};
use crate::engine::{Engine, EngineError};
use crate::opentok::model::{Archive, ArchiveList, ArchiveOptions, ArchiveQuery, SessionOptions};
use crate::opentok::session_id::SessionId;
use crate::opentok::token::{TokenBuilder, TokenOptions};

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
        Ok(self.engine.create_session(options.clone()).await?)
    }

    fn client_token(
        &self,
        session_id: &SessionId,
        options: &TokenOptions,
    ) -> Result<String, ProviderError> {
        Ok(TokenBuilder::new(self.engine.credentials(), session_id)
            .with_options(options)
            .build()?)
    }

    async fn start_archive(&self, options: &ArchiveOptions) -> Result<Archive, ProviderError> {
        Ok(self.engine.start_archive(options.clone()).await?)
    }

    async fn stop_archive(&self, archive_id: Uuid) -> Result<Archive, ProviderError> {
        Ok(self.engine.stop_archive(archive_id).await?)
    }

    async fn get_archive(&self, archive_id: Uuid) -> Result<Archive, ProviderError> {
        Ok(self.engine.get_archive(archive_id).await?)
    }

    async fn list_archives(&self, query: &ArchiveQuery) -> Result<ArchiveList, ProviderError> {
        Ok(self.engine.list_archives(query).await?)
    }

    async fn delete_archive(&self, archive_id: Uuid) -> Result<(), ProviderError> {
        Ok(self.engine.delete_archive(archive_id).await?)
    }
}

/// Classifies an engine refusal (4xx) by its status; server-side failures
/// are logged and reported as the platform being unavailable, without their
/// details.
impl From<EngineError> for ProviderError {
    fn from(err: EngineError) -> Self {
        let status = err.status();
        if status.is_client_error() {
            return ProviderError::from_status(status.as_u16(), err.to_string());
        }
        tracing::error!(error = %err, "embedded engine failure");
        ProviderError::Unavailable("the embedded engine failed".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opentok::model::ArchiveStatus;
    use crate::store::StoreError;

    #[test]
    fn engine_refusals_keep_their_class() {
        let class = |err: EngineError| ProviderError::from(err);
        assert!(matches!(
            class(EngineError::SessionNotFound),
            ProviderError::NotFound(_)
        ));
        assert!(matches!(
            class(EngineError::SessionRelayed),
            ProviderError::Conflict(_)
        ));
        assert!(matches!(
            class(EngineError::NoClientsConnected),
            ProviderError::Invalid(_)
        ));
        assert!(matches!(
            class(EngineError::NotDeletable(ArchiveStatus::Stopped)),
            ProviderError::Conflict(_)
        ));
        assert!(matches!(
            class(EngineError::Congested),
            ProviderError::Invalid(_)
        ));
        assert!(matches!(
            class(EngineError::Forbidden("no".into())),
            ProviderError::Forbidden(m) if m.contains("no")
        ));
        let store = class(EngineError::Store(StoreError::Corrupt("row 7".into())));
        assert!(matches!(&store, ProviderError::Unavailable(m) if !m.contains("row 7")));
    }
}
