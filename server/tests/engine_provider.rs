//! `LocalProvider`: the media-provider interface over the embedded engine —
//! sessions, client tokens the engine verifies, and archives with the
//! platform's refusals mapped to `ProviderError`.

mod engine_support;

use server::opentok::model::{
    ArchiveOptions, ArchiveQuery, ArchiveStatus, MediaMode, SessionOptions,
};
use server::opentok::session_id::SessionId;
use server::opentok::token::{Role, TokenOptions};
use server::provider::local::LocalProvider;
use server::provider::{MediaProvider, ProviderError, ProviderKind};

use engine_support::{test_engine, KEY};

#[tokio::test]
async fn sessions_and_tokens_come_from_the_engine() {
    let t = test_engine().await;
    let provider = LocalProvider::new(t.engine.clone());
    assert_eq!(
        (provider.kind(), provider.api_key()),
        (ProviderKind::Local, KEY.to_owned())
    );

    let options = SessionOptions {
        media_mode: MediaMode::Routed,
        ..SessionOptions::default()
    };
    let session = provider.create_session(&options).await.unwrap();
    assert!(t.engine.session(&session).await.unwrap().is_some());

    let token_options = TokenOptions {
        role: Role::Moderator,
        data: Some("name=Ann".into()),
        ..TokenOptions::default()
    };
    let token = provider.client_token(&session, &token_options).unwrap();
    let verified = t.engine.token_verifier().verify(&token).unwrap();
    assert_eq!(
        (verified.session_id, verified.role),
        (session, Role::Moderator)
    );
    assert_eq!(verified.connection_data.as_deref(), Some("name=Ann"));

    let foreign = SessionId::generate("654321", None, MediaMode::Routed);
    let err = provider
        .client_token(&foreign, &TokenOptions::default())
        .unwrap_err();
    assert!(matches!(err, ProviderError::Forbidden(_)), "{err:?}");
    let bad = SessionOptions {
        archive_name: Some("x".into()),
        ..options
    };
    assert!(matches!(
        provider.create_session(&bad).await,
        Err(ProviderError::Invalid(_))
    ));
}

#[tokio::test]
async fn archives_keep_the_platform_refusals() {
    let t = test_engine().await;
    let provider = LocalProvider::new(t.engine.clone());
    let relayed = provider
        .create_session(&SessionOptions::default())
        .await
        .unwrap();
    let routed = t.routed_session().await;

    let start = |session: &SessionId| ArchiveOptions::new(session.clone());
    assert!(matches!(
        provider.start_archive(&start(&routed)).await,
        Err(ProviderError::Invalid(_))
    ));
    let _a = t.connect(&routed);
    let _b = t.connect(&relayed);
    assert!(matches!(
        provider.start_archive(&start(&relayed)).await,
        Err(ProviderError::Conflict(_))
    ));

    let archive = provider.start_archive(&start(&routed)).await.unwrap();
    assert_eq!(archive.status, ArchiveStatus::Started);
    assert_eq!(provider.get_archive(archive.id).await.unwrap(), archive);
    let listed = provider
        .list_archives(&ArchiveQuery::default())
        .await
        .unwrap();
    assert_eq!((listed.count, listed.items), (1, vec![archive.clone()]));
    // Only finished archives can be deleted; a recording one cannot.
    assert!(matches!(
        provider.delete_archive(archive.id).await,
        Err(ProviderError::Conflict(_))
    ));
    let stopped = provider.stop_archive(archive.id).await.unwrap();
    assert_eq!(stopped.status, ArchiveStatus::Stopped);
    assert!(matches!(
        provider.stop_archive(archive.id).await,
        Err(ProviderError::Conflict(_))
    ));
    let unknown = uuid::Uuid::new_v4();
    assert!(matches!(
        provider.get_archive(unknown).await,
        Err(ProviderError::NotFound(_))
    ));
}
