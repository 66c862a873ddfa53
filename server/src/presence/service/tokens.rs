//! Identity and tokens for the seed's HTTP routes: the identity cookie,
//! subscriber tokens for the presence session (connection data
//! `{"name","userId"}`), and publisher tokens for a chat's media session
//! (data `{"name"}`), which only the chat's two parties get.

use app::models::{ConnectionData, RoomCredentials};
use app::presence::backend::PresenceError;
use app::presence::LocalUser;

use super::backend::platform;
use super::PresenceService;
use crate::engine::ServiceSession;
use crate::opentok::session_id::SessionId;
use crate::provider::publisher_credentials;

impl PresenceService {
    /// The `Set-Cookie` value that signs `user` in.
    pub fn sign_in(&self, user: &LocalUser) -> String {
        self.inner.identity.cookie(user)
    }

    /// A subscriber token for the presence session whose connection data
    /// names `user`.
    pub fn presence_token(&self, user: &LocalUser) -> Result<String, PresenceError> {
        let data = ConnectionData {
            name: user.name.clone(),
            user_id: Some(user.id),
        };
        let engine = &self.inner.engine;
        ServiceSession::token(engine, &self.inner.session_id, data.to_json())
            .map_err(|err| PresenceError::Unavailable(err.to_string()))
    }

    /// Credentials for the chat (or invitation) in media session
    /// `session_id`, for its parties only (403 for anyone else, 404 if it
    /// is no chat's or open invitation's).
    pub fn chat_credentials(
        &self,
        user: &LocalUser,
        session_id: &str,
    ) -> Result<RoomCredentials, PresenceError> {
        self.inner.lock().chat_session(user.id, session_id)?;
        self.chat_token(user, session_id)
    }

    /// A fresh publisher token for the media session `session_id`, whose
    /// data is `{"name"}` — for a caller already known to be a party (the
    /// inviter who just created it).
    pub fn chat_token(
        &self,
        user: &LocalUser,
        session_id: &str,
    ) -> Result<RoomCredentials, PresenceError> {
        let session = SessionId::parse(session_id).map_err(|_| PresenceError::NotFound("chat"))?;
        publisher_credentials(self.inner.provider.as_ref(), &session, &user.name).map_err(platform)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{fixture, person};
    use super::super::RING_TIMEOUT;
    use super::*;
    use crate::opentok::token::Role;
    use crate::opentok::verify::TokenVerifier;

    #[tokio::test]
    async fn presence_tokens_are_subscriber_tokens_naming_the_person() {
        let fixture = fixture(RING_TIMEOUT).await;
        let ada = person("Ada");
        let token = fixture.service.presence_token(&ada).unwrap();
        let verified = TokenVerifier::new(fixture.engine.credentials())
            .verify(&token)
            .unwrap();
        assert_eq!(verified.role, Role::Subscriber);
        assert_eq!(&verified.session_id, fixture.service.session_id());
        let data = ConnectionData::parse(verified.connection_data.as_deref().unwrap()).unwrap();
        assert_eq!((data.name, data.user_id), (ada.name.clone(), Some(ada.id)));
        let cookie = fixture.service.sign_in(&ada);
        let sent = cookie.split(';').next().unwrap();
        assert_eq!(
            app::presence::backend::PresenceBackend::identify(&fixture.service, sent),
            Ok(ada)
        );
    }

    #[tokio::test]
    async fn chat_tokens_are_refused_to_strangers_before_any_is_minted() {
        let fixture = fixture(RING_TIMEOUT).await;
        let refused = fixture
            .service
            .chat_credentials(&person("Zed"), "1_MX4xMjM0NTZ-fg");
        assert_eq!(refused.unwrap_err(), PresenceError::NotFound("chat"));
    }
}
