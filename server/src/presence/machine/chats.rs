//! Chats: starting one from an accepted invitation, ending it (by a party,
//! or because one left), finding the chat or invitation a media session
//! belongs to (`GET /chats?sessionId=` hands tokens only to its parties),
//! and the recording state, which changes in two steps around the
//! platform's archive calls so two parties pressing "record" at once start
//! one archive.

use app::presence::backend::PresenceError;
use app::presence::{
    Chat, ChatEndReason, ChatId, Invitation, PresenceEvent, RemoteUser, UserId, UserState,
};
use uuid::Uuid;

use super::{ArchiveToStop, Effects, Presence, Recipient};

/// Where a chat's recording stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recording {
    /// Not recording.
    Idle,
    /// An archive is being started.
    Starting,
    /// Recording into this archive.
    Active(String),
    /// This archive is being stopped.
    Stopping(String),
}

/// A running chat.
#[derive(Debug)]
pub(super) struct ChatRecord {
    pub(super) chat: Chat,
    recording: Recording,
    finished: Option<String>,
}

impl Presence {
    /// Puts both parties of an accepted (already unlinked) invitation in a
    /// chat and tells them.
    pub(super) fn start_chat(&mut self, invitation: Invitation, effects: &mut Effects) -> Chat {
        let party = |id, name| RemoteUser {
            id,
            name,
            state: UserState::InChat,
        };
        let chat = Chat {
            id: ChatId(Uuid::new_v4()),
            session_id: invitation.session_id,
            inviter: party(invitation.from, invitation.from_name),
            invitee: party(invitation.to, invitation.to_name),
            options: invitation.options,
            recording: None,
        };
        for user in [invitation.from, invitation.to] {
            if let Some(online) = self.users.get_mut(&user) {
                online.chat = Some(chat.id);
            }
            let started = PresenceEvent::ChatStarted { chat: chat.clone() };
            effects.send(Recipient::User(user), started);
        }
        let record = ChatRecord {
            chat: chat.clone(),
            recording: Recording::Idle,
            finished: None,
        };
        self.chats.insert(chat.id, record);
        chat
    }

    /// A party ends the chat (pressed "End chat", or reports that the
    /// partner never came or left): both are told and `Available` again.
    pub fn end_chat(
        &mut self,
        user: UserId,
        id: ChatId,
        reason: ChatEndReason,
    ) -> Result<Effects, PresenceError> {
        let record = self.chats.get(&id).ok_or(PresenceError::NotFound("chat"))?;
        let parties = [record.chat.inviter.id, record.chat.invitee.id];
        if !parties.contains(&user) {
            return Err(PresenceError::Forbidden);
        }
        let mut effects = Effects::default();
        let before = self.before(parties.to_vec());
        self.finish_chat(id, reason, Some(user), &mut effects);
        self.announce(before, &mut effects);
        Ok(effects)
    }

    /// Removes a chat, tells both parties and stops its recording (states
    /// are announced by the caller).
    pub(super) fn finish_chat(
        &mut self,
        id: ChatId,
        reason: ChatEndReason,
        by: Option<UserId>,
        effects: &mut Effects,
    ) {
        let Some(record) = self.chats.remove(&id) else {
            return;
        };
        for user in [record.chat.inviter.id, record.chat.invitee.id] {
            if let Some(online) = self.users.get_mut(&user) {
                online.chat = None;
            }
            effects.send(
                Recipient::User(user),
                PresenceEvent::ChatEnded { id, reason, by },
            );
        }
        // A starting archive is stopped when its start completes; a stopping
        // one is already on its way.
        if let Recording::Active(archive_id) = record.recording {
            effects.stop_archives.push(ArchiveToStop {
                session_id: record.chat.session_id,
                archive_id,
            });
        }
    }

    /// Whether `user` may have a token for the media session `session_id`:
    /// they are a party of its chat or of its open invitation (404 if the
    /// session is no chat's or open invitation's, 403 if not theirs).
    pub fn chat_session(&self, user: UserId, session_id: &str) -> Result<(), PresenceError> {
        let chat = self
            .chats
            .values()
            .map(|record| &record.chat)
            .find(|chat| chat.session_id == session_id)
            .map(|chat| [chat.inviter.id, chat.invitee.id]);
        let invitation = || {
            self.invitations
                .values()
                .find(|invitation| invitation.session_id == session_id)
                .map(|invitation| [invitation.from, invitation.to])
        };
        match chat.or_else(invitation) {
            None => Err(PresenceError::NotFound("chat")),
            Some(parties) if parties.contains(&user) => Ok(()),
            Some(_) => Err(PresenceError::Forbidden),
        }
    }

    /// A party asks to record: the chat is marked `Starting` and its
    /// session id returned for the archive call.
    pub fn begin_recording(&mut self, user: UserId, id: ChatId) -> Result<String, PresenceError> {
        let record = self.party_chat(user, id)?;
        if record.recording != Recording::Idle {
            return Err(PresenceError::Conflict(
                "the chat is already being recorded".into(),
            ));
        }
        record.recording = Recording::Starting;
        Ok(record.chat.session_id.clone())
    }

    /// The archive started: both parties are told. If the chat ended in
    /// the meantime, the archive must be stopped.
    pub fn recording_started(&mut self, id: ChatId, session_id: &str, archive_id: &str) -> Effects {
        let mut effects = Effects::default();
        let Some(record) = self.chats.get_mut(&id) else {
            effects.stop_archives.push(ArchiveToStop {
                session_id: session_id.to_owned(),
                archive_id: archive_id.to_owned(),
            });
            return effects;
        };
        record.recording = Recording::Active(archive_id.to_owned());
        record.chat.recording = Some(archive_id.to_owned());
        Self::tell_recording(record, &mut effects);
        effects
    }

    /// A party asks to stop recording: the chat is marked `Stopping` and
    /// the archive id returned for the stop call.
    pub fn begin_stop(&mut self, user: UserId, id: ChatId) -> Result<String, PresenceError> {
        let record = self.party_chat(user, id)?;
        let Recording::Active(archive_id) = &record.recording else {
            return Err(PresenceError::Conflict(
                "the chat is not being recorded".into(),
            ));
        };
        let archive_id = archive_id.clone();
        record.recording = Recording::Stopping(archive_id.clone());
        Ok(archive_id)
    }

    /// The archive stopped: both parties are told, with a link to it.
    pub fn recording_stopped(&mut self, id: ChatId, archive_id: &str) -> Effects {
        let mut effects = Effects::default();
        if let Some(record) = self.chats.get_mut(&id) {
            record.recording = Recording::Idle;
            record.chat.recording = None;
            record.finished = Some(archive_id.to_owned());
            Self::tell_recording(record, &mut effects);
        }
        effects
    }

    /// A start or stop call failed: the chat is back where it was.
    pub fn recording_failed(&mut self, id: ChatId) {
        if let Some(record) = self.chats.get_mut(&id) {
            record.recording = match std::mem::replace(&mut record.recording, Recording::Idle) {
                Recording::Stopping(archive_id) => Recording::Active(archive_id),
                _ => Recording::Idle,
            };
        }
    }

    /// The recording state of a chat (`None` if there is no such chat).
    pub fn recording(&self, id: ChatId) -> Option<&Recording> {
        self.chats.get(&id).map(|record| &record.recording)
    }

    fn party_chat(&mut self, user: UserId, id: ChatId) -> Result<&mut ChatRecord, PresenceError> {
        let record = self
            .chats
            .get_mut(&id)
            .ok_or(PresenceError::NotFound("chat"))?;
        if record.chat.inviter.id != user && record.chat.invitee.id != user {
            return Err(PresenceError::Forbidden);
        }
        Ok(record)
    }

    fn tell_recording(record: &ChatRecord, effects: &mut Effects) {
        let event = PresenceEvent::RecordingChanged {
            id: record.chat.id,
            archive_id: record.chat.recording.clone(),
            finished_archive_id: record.finished.clone(),
        };
        for user in [record.chat.inviter.id, record.chat.invitee.id] {
            effects.send(Recipient::User(user), event.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{changed, events_to, online};
    use super::*;
    use app::presence::CallOptions;
    use app::server_errors::Refusal;

    /// Ada and Bo in a chat in session "s1", and Cy watching.
    fn chatting() -> (Presence, [UserId; 3], Chat) {
        let (mut presence, ids) = online(&["Ada", "Bo", "Cy"]);
        let (ada, bo) = (ids[0], ids[1]);
        let (invitation, _) = presence
            .invite(ada, bo, CallOptions::default(), "s1".into())
            .unwrap();
        let (chat, _) = presence.accept(bo, invitation.id).unwrap();
        (presence, [ids[0], ids[1], ids[2]], chat)
    }

    #[test]
    fn a_party_ends_the_chat_for_both() {
        let (mut presence, [ada, bo, cy], chat) = chatting();
        assert_eq!(chat.inviter.state, UserState::InChat);
        assert_eq!(
            presence
                .end_chat(cy, chat.id, ChatEndReason::Ended)
                .unwrap_err(),
            PresenceError::Forbidden
        );
        let effects = presence
            .end_chat(bo, chat.id, ChatEndReason::NoShow)
            .unwrap();
        let ended = PresenceEvent::ChatEnded {
            id: chat.id,
            reason: ChatEndReason::NoShow,
            by: Some(bo),
        };
        assert_eq!(
            events_to(&effects, Recipient::User(ada)),
            vec![ended.clone()]
        );
        assert_eq!(events_to(&effects, Recipient::User(bo)), [ended]);
        let expected = [(ada, UserState::Available), (bo, UserState::Available)];
        assert_eq!(changed(&effects), expected.into_iter().collect());
        assert_eq!(
            presence
                .end_chat(ada, chat.id, ChatEndReason::Ended)
                .unwrap_err()
                .status(),
            404
        );
        assert!(effects.stop_archives.is_empty());
    }

    #[test]
    fn chat_tokens_are_for_the_parties_of_a_chat_or_an_open_invitation() {
        let (mut presence, [ada, bo, cy], chat) = chatting();
        assert_eq!(presence.chat_session(ada, "s1"), Ok(()));
        assert_eq!(presence.chat_session(bo, "s1"), Ok(()));
        assert_eq!(
            presence.chat_session(cy, "s1"),
            Err(PresenceError::Forbidden)
        );
        assert_eq!(
            presence.chat_session(ada, "s2"),
            Err(PresenceError::NotFound("chat"))
        );
        presence
            .end_chat(ada, chat.id, ChatEndReason::Ended)
            .unwrap();
        assert_eq!(
            presence.chat_session(ada, "s1"),
            Err(PresenceError::NotFound("chat"))
        );
        presence
            .invite(cy, ada, CallOptions::default(), "s3".into())
            .unwrap();
        assert_eq!(presence.chat_session(ada, "s3"), Ok(()));
        assert_eq!(
            presence.chat_session(bo, "s3"),
            Err(PresenceError::Forbidden)
        );
    }

    #[test]
    fn recording_starts_once_and_both_parties_see_it() {
        let (mut presence, [ada, bo, cy], chat) = chatting();
        assert_eq!(
            presence.begin_recording(cy, chat.id),
            Err(PresenceError::Forbidden)
        );
        assert_eq!(
            presence.begin_stop(ada, chat.id).unwrap_err().status(),
            409,
            "not recording"
        );
        assert_eq!(presence.begin_recording(ada, chat.id).as_deref(), Ok("s1"));
        assert_eq!(
            presence.begin_recording(bo, chat.id).unwrap_err().status(),
            409,
            "the other press loses"
        );
        let effects = presence.recording_started(chat.id, "s1", "arch-1");
        let on = PresenceEvent::RecordingChanged {
            id: chat.id,
            archive_id: Some("arch-1".into()),
            finished_archive_id: None,
        };
        assert_eq!(events_to(&effects, Recipient::User(ada)), vec![on.clone()]);
        assert_eq!(events_to(&effects, Recipient::User(bo)), [on]);
        assert_eq!(presence.begin_stop(bo, chat.id).as_deref(), Ok("arch-1"));
        assert_eq!(presence.begin_stop(ada, chat.id).unwrap_err().status(), 409);
        let effects = presence.recording_stopped(chat.id, "arch-1");
        let off = PresenceEvent::RecordingChanged {
            id: chat.id,
            archive_id: None,
            finished_archive_id: Some("arch-1".into()),
        };
        assert_eq!(events_to(&effects, Recipient::User(ada)), [off]);
        assert_eq!(presence.recording(chat.id), Some(&Recording::Idle));
    }

    #[test]
    fn failed_archive_calls_put_the_recording_back() {
        let (mut presence, [ada, _, _], chat) = chatting();
        presence.begin_recording(ada, chat.id).unwrap();
        presence.recording_failed(chat.id);
        assert_eq!(presence.recording(chat.id), Some(&Recording::Idle));
        presence.begin_recording(ada, chat.id).unwrap();
        presence.recording_started(chat.id, "s1", "arch-1");
        presence.begin_stop(ada, chat.id).unwrap();
        presence.recording_failed(chat.id);
        assert_eq!(
            presence.recording(chat.id),
            Some(&Recording::Active("arch-1".into()))
        );
    }

    #[test]
    fn an_ended_chat_never_keeps_recording() {
        let stop = ArchiveToStop {
            session_id: "s1".into(),
            archive_id: "arch-1".into(),
        };
        let (mut presence, [ada, bo, _], chat) = chatting();
        presence.begin_recording(ada, chat.id).unwrap();
        presence.recording_started(chat.id, "s1", "arch-1");
        let effects = presence
            .end_chat(bo, chat.id, ChatEndReason::Ended)
            .unwrap();
        assert_eq!(effects.stop_archives, vec![stop.clone()]);

        let (mut presence, [ada, _, _], chat) = chatting();
        presence.begin_recording(ada, chat.id).unwrap();
        let effects = presence.leave(presence.connections_of(ada)[0]);
        assert!(
            effects.stop_archives.is_empty(),
            "the start is still on its way"
        );
        let effects = presence.recording_started(chat.id, "s1", "arch-1");
        assert_eq!(effects.stop_archives, [stop]);
        assert!(effects.deliveries.is_empty());
    }
}
