//! The [`PresenceBackend`] the pages' server functions call. Platform
//! calls (creating a chat session, starting or stopping an archive) happen
//! outside the lock; the machine checks the request before and records
//! the outcome after.

use app::presence::backend::{PresenceBackend, PresenceError};
use app::presence::{
    CallOptions, Chat, ChatEndReason, ChatId, DeclineReason, Invitation, InvitationId, LocalUser,
    UserId,
};
use async_trait::async_trait;
use uuid::Uuid;

use super::PresenceService;
use crate::opentok::model::{ArchiveOptions, MediaMode, SessionOptions};
use crate::opentok::session_id::SessionId;
use crate::provider::ProviderError;

#[async_trait]
impl PresenceBackend for PresenceService {
    fn identify(&self, cookie_header: &str) -> Result<LocalUser, PresenceError> {
        self.inner
            .identity
            .identify(cookie_header)
            .map_err(|_| PresenceError::NotJoined)
    }

    async fn invite(
        &self,
        user: UserId,
        to: UserId,
        options: CallOptions,
    ) -> Result<Invitation, PresenceError> {
        // Refuse early rather than create a session for nothing; the
        // machine checks again when the session exists.
        self.inner.lock().check_invite(user, to, options)?;
        let routed = SessionOptions {
            media_mode: MediaMode::Routed,
            ..SessionOptions::default()
        };
        let session = self
            .inner
            .provider
            .create_session(&routed)
            .await
            .map_err(platform)?;
        self.inner
            .run(|presence| presence.invite(user, to, options, session.to_string()))
    }

    async fn cancel(&self, user: UserId, invitation: InvitationId) -> Result<(), PresenceError> {
        self.inner
            .run(|presence| Ok(((), presence.cancel(user, invitation)?)))
    }

    async fn accept(&self, user: UserId, invitation: InvitationId) -> Result<Chat, PresenceError> {
        self.inner.run(|presence| presence.accept(user, invitation))
    }

    async fn decline(
        &self,
        user: UserId,
        invitation: InvitationId,
        reason: DeclineReason,
    ) -> Result<(), PresenceError> {
        self.inner
            .run(|presence| Ok(((), presence.decline(user, invitation, reason)?)))
    }

    async fn end_chat(
        &self,
        user: UserId,
        chat: ChatId,
        reason: ChatEndReason,
    ) -> Result<(), PresenceError> {
        self.inner
            .run(|presence| Ok(((), presence.end_chat(user, chat, reason)?)))
    }

    async fn start_recording(&self, user: UserId, chat: ChatId) -> Result<String, PresenceError> {
        let session_id = self.inner.lock().begin_recording(user, chat)?;
        let started = match SessionId::parse(&session_id) {
            Ok(session) => {
                let mut options = ArchiveOptions::new(session);
                options.name = Some("Rendezvous chat".into());
                self.inner
                    .provider
                    .start_archive(&options)
                    .await
                    .map_err(platform)
            }
            Err(err) => Err(PresenceError::Unavailable(err.to_string())),
        };
        let archive = match started {
            Ok(archive) => archive.id.to_string(),
            Err(err) => {
                self.inner.lock().recording_failed(chat);
                return Err(err);
            }
        };
        self.inner
            .apply(|presence| presence.recording_started(chat, &session_id, &archive));
        Ok(archive)
    }

    async fn stop_recording(&self, user: UserId, chat: ChatId) -> Result<(), PresenceError> {
        let archive = self.inner.lock().begin_stop(user, chat)?;
        let stopped = match Uuid::parse_str(&archive) {
            Ok(id) => self.inner.provider.stop_archive(id).await.map_err(platform),
            Err(err) => Err(PresenceError::Unavailable(err.to_string())),
        };
        if let Err(err) = stopped {
            self.inner.lock().recording_failed(chat);
            return Err(err);
        }
        self.inner
            .apply(|presence| presence.recording_stopped(chat, &archive));
        Ok(())
    }

    /// Chats are routed sessions of the media provider, and both providers
    /// record routed sessions (the embedded engine taps their streams).
    fn can_record(&self) -> bool {
        true
    }
}

/// A platform refusal as a presence error: a request that does not fit the
/// media session's state (nobody connected, already recording) is a
/// conflict; anything else means the video service failed.
pub(super) fn platform(err: ProviderError) -> PresenceError {
    match err {
        ProviderError::Conflict(message) | ProviderError::Invalid(message) => {
            PresenceError::Conflict(message)
        }
        other => PresenceError::Unavailable(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use app::server_errors::Refusal;
    use std::future::IntoFuture;
    use std::sync::Arc;
    use std::time::Duration;

    use app::presence::{PresenceEvent, UserState};

    use super::super::tests::{fixture, fixture_with, next_event, person, Fixture};
    use super::super::RING_TIMEOUT;
    use super::*;
    use crate::engine::Registration;

    /// Skips events until `pick` finds one.
    async fn until<T>(tab: &mut Registration, pick: impl Fn(PresenceEvent) -> Option<T>) -> T {
        loop {
            if let Some(found) = pick(next_event(tab).await) {
                return found;
            }
        }
    }

    async fn online(fixture: &Fixture, names: &[&str]) -> Vec<(LocalUser, Registration)> {
        let mut people = Vec::new();
        for name in names {
            let user = person(name);
            let mut tab = fixture.connect(&user);
            until(&mut tab, |e| {
                matches!(e, PresenceEvent::Snapshot { last: true, .. }).then_some(())
            })
            .await;
            people.push((user, tab));
        }
        people
    }

    #[tokio::test]
    async fn an_invitation_becomes_a_chat_whose_tokens_only_its_parties_get() {
        let fixture = fixture(RING_TIMEOUT).await;
        let mut people = online(&fixture, &["Ada", "Bo", "Cy"]).await;
        let service = &fixture.service;
        let (ada, bo, cy) = (
            people[0].0.clone(),
            people[1].0.clone(),
            people[2].0.clone(),
        );
        let invitation = service
            .invite(ada.id, bo.id, CallOptions::default())
            .await
            .unwrap();
        let heard = until(&mut people[1].1, |e| match e {
            PresenceEvent::Invited { invitation } => Some(invitation),
            _ => None,
        })
        .await;
        assert_eq!(heard, invitation);
        let pending = until(&mut people[2].1, |e| match e {
            PresenceEvent::UserChanged { id, state } => Some((id, state)),
            _ => None,
        })
        .await;
        assert_eq!(pending, (ada.id, UserState::InvitePending));
        let creds = service
            .chat_credentials(&bo, &invitation.session_id)
            .unwrap();
        assert_eq!(creds.session_id, invitation.session_id);
        assert_eq!(creds.api_key, "123456");
        let chat = service.accept(bo.id, invitation.id).await.unwrap();
        let started = until(&mut people[0].1, |e| match e {
            PresenceEvent::ChatStarted { chat } => Some(chat),
            _ => None,
        })
        .await;
        assert_eq!(started, chat);
        assert!(service.chat_credentials(&ada, &chat.session_id).is_ok());
        assert_eq!(
            service.chat_credentials(&cy, &chat.session_id).unwrap_err(),
            PresenceError::Forbidden
        );
        assert_eq!(
            service.chat_credentials(&cy, "nope").unwrap_err().status(),
            404
        );
        service
            .end_chat(ada.id, chat.id, ChatEndReason::Ended)
            .await
            .unwrap();
        let ended = until(&mut people[1].1, |e| match e {
            PresenceEvent::ChatEnded { by, reason, .. } => Some((by, reason)),
            _ => None,
        })
        .await;
        assert_eq!(ended, (Some(ada.id), ChatEndReason::Ended));
    }

    #[tokio::test]
    async fn refusals_come_back_as_presence_errors() {
        let fixture = fixture(RING_TIMEOUT).await;
        let people = online(&fixture, &["Ada", "Bo"]).await;
        let service = &fixture.service;
        let (ada, bo) = (people[0].0.id, people[1].0.id);
        let stranger = person("Zed").id;
        let refused = service.invite(ada, stranger, CallOptions::default()).await;
        assert_eq!(refused.unwrap_err(), PresenceError::NotFound("user"));
        let refused = service.invite(stranger, ada, CallOptions::default()).await;
        assert_eq!(refused.unwrap_err(), PresenceError::NotJoined);
        let invitation = service
            .invite(ada, bo, CallOptions::default())
            .await
            .unwrap();
        let again = service.invite(ada, bo, CallOptions::default()).await;
        assert_eq!(again.unwrap_err().status(), 409);
        assert_eq!(
            service.cancel(bo, invitation.id).await.unwrap_err(),
            PresenceError::Forbidden
        );
        service
            .decline(bo, invitation.id, DeclineReason::Declined)
            .await
            .unwrap();
        assert_eq!(
            service.identify("rendezvous_id=forged").unwrap_err(),
            PresenceError::NotJoined
        );
    }

    #[tokio::test]
    async fn on_the_embedded_engine_either_party_records_and_both_see_it() {
        let fixture = fixture(RING_TIMEOUT).await;
        let mut people = online(&fixture, &["Ada", "Bo"]).await;
        let service = &fixture.service;
        let (ada, bo) = (people[0].0.id, people[1].0.id);
        let invitation = service
            .invite(ada, bo, CallOptions::default())
            .await
            .unwrap();
        let chat = service.accept(bo, invitation.id).await.unwrap();
        assert!(service.can_record());
        // The engine records only while someone is in the chat's session.
        let session = SessionId::parse(&chat.session_id).unwrap();
        let nobody = service.start_recording(ada, chat.id).await.unwrap_err();
        assert_eq!(nobody.status(), 409, "{nobody}");
        let _someone = fixture.engine.connections().register(&session, None);
        let archive = service.start_recording(ada, chat.id).await.unwrap();
        let pick = |e| match e {
            PresenceEvent::RecordingChanged { archive_id, .. } => Some(archive_id),
            _ => None,
        };
        assert_eq!(until(&mut people[1].1, pick).await, Some(archive.clone()));
        let recorded = fixture
            .engine
            .get_archive(Uuid::parse_str(&archive).unwrap())
            .await
            .unwrap();
        assert_eq!(recorded.session_id, session);
        assert_eq!(recorded.name.as_deref(), Some("Rendezvous chat"));
        service.stop_recording(bo, chat.id).await.unwrap();
        assert_eq!(until(&mut people[0].1, pick).await, Some(archive.clone()));
        assert_eq!(until(&mut people[0].1, pick).await, None);
    }

    #[tokio::test]
    async fn on_the_cloud_either_party_records_and_both_see_it() {
        // The "cloud" is another engine, reached over its REST API.
        let (platform, _store, _dir) = super::super::tests::engine("777777").await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap())
            .parse()
            .unwrap();
        tokio::spawn(axum::serve(listener, crate::engine::router(platform.clone())).into_future());
        let cloud =
            crate::provider::cloud::CloudProvider::new(platform.credentials().clone(), Some(url));
        let fixture = fixture_with(RING_TIMEOUT, Some(Arc::new(cloud))).await;
        let mut people = online(&fixture, &["Ada", "Bo"]).await;
        let service = &fixture.service;
        let (ada, bo) = (people[0].0.id, people[1].0.id);
        let invitation = service
            .invite(ada, bo, CallOptions::default())
            .await
            .unwrap();
        let chat = service.accept(bo, invitation.id).await.unwrap();
        let session = SessionId::parse(&chat.session_id).unwrap();
        assert!(
            platform.session(&session).await.unwrap().is_some(),
            "chats live on the cloud"
        );
        let _someone = platform.connections().register(&session, None);
        assert!(service.can_record());
        let archive = service.start_recording(bo, chat.id).await.unwrap();
        let twice = service.start_recording(ada, chat.id).await.unwrap_err();
        assert_eq!(twice.status(), 409);
        let pick = |e| match e {
            PresenceEvent::RecordingChanged {
                archive_id,
                finished_archive_id,
                ..
            } => Some((archive_id, finished_archive_id)),
            _ => None,
        };
        assert_eq!(
            until(&mut people[0].1, pick).await,
            (Some(archive.clone()), None)
        );
        service.stop_recording(ada, chat.id).await.unwrap();
        assert_eq!(
            until(&mut people[1].1, pick).await,
            (Some(archive.clone()), None)
        );
        assert_eq!(
            until(&mut people[1].1, pick).await,
            (None, Some(archive.clone()))
        );
        let stopped = platform
            .get_archive(Uuid::parse_str(&archive).unwrap())
            .await
            .unwrap();
        assert_ne!(
            stopped.status,
            crate::opentok::model::ArchiveStatus::Started
        );
    }

    #[tokio::test]
    async fn an_unanswered_invitation_rings_out_for_both() {
        let fixture = fixture(Duration::from_millis(100)).await;
        let mut people = online(&fixture, &["Ada", "Bo"]).await;
        let service = &fixture.service;
        let (ada, bo) = (people[0].0.id, people[1].0.id);
        let invitation = service
            .invite(ada, bo, CallOptions::default())
            .await
            .unwrap();
        for (_, tab) in &mut people {
            let closed = until(tab, |e| match e {
                PresenceEvent::InvitationClosed { id, reason } => Some((id, reason)),
                _ => None,
            })
            .await;
            assert_eq!(closed, (invitation.id, DeclineReason::NoAnswer));
        }
        assert_eq!(
            service
                .accept(bo, invitation.id)
                .await
                .unwrap_err()
                .status(),
            404
        );
        assert!(
            service
                .invite(ada, bo, CallOptions::default())
                .await
                .is_ok(),
            "Ada is free again"
        );
    }
}
