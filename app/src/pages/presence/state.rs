//! The presence page's state as plain data, folded from the server's
//! [`PresenceEvent`]s by [`PresenceState::apply`]: who else is online and in
//! which state, this person's own state, the outgoing and incoming
//! invitations, the current chat and its recording, and the last notice in
//! words. The page never changes a state on its own — it asks the server and
//! renders what arrives here. Compiles on both sides and is unit-tested.

use super::notices::{ended_text, incoming_closed_text, Notice};
use crate::presence::{
    Chat, DeclineReason, Invitation, InvitationId, LocalUser, PresenceEvent, RemoteUser, UserId,
    UserState,
};

/// How many closures of not-yet-known invitations are remembered (an
/// invitation may be closed before the inviter's request even returns).
const EARLY_CLOSURES: usize = 16;

/// The chat's recording, as the server reported it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Recording {
    /// The archive being recorded now.
    pub active: Option<String>,
    /// The last finished archive of this chat.
    pub finished: Option<String>,
}

/// What the page must do besides re-rendering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reaction {
    /// Nothing.
    None,
    /// A new invitation arrived: ring.
    Ring,
    /// A chat began: connect its video.
    StartChat(Chat),
    /// The chat is over: hang up its video.
    EndChat,
}

/// Everything the presence page shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PresenceState {
    /// This person, once joined.
    pub me: Option<LocalUser>,
    /// This person's state (the server reports it like everyone's).
    pub my_state: Option<UserState>,
    /// Everyone else, by name.
    pub buddies: Vec<RemoteUser>,
    /// Whether the full list has arrived.
    pub list_complete: bool,
    /// This person's invitation waiting for an answer.
    pub outgoing: Option<Invitation>,
    /// Invitations waiting for this person's answer, oldest first.
    pub incoming: Vec<Invitation>,
    /// The chat this person is in.
    pub chat: Option<Chat>,
    /// The chat's recording.
    pub recording: Recording,
    /// Why this side's chat video failed, in words.
    pub chat_failure: Option<String>,
    /// The last thing to tell.
    pub notice: Option<Notice>,
    /// A snapshot is arriving in parts.
    snapshot_open: bool,
    /// Invitations closed before this page knew them.
    early_closures: Vec<(InvitationId, DeclineReason)>,
}

impl PresenceState {
    /// A fresh state for `me`, who just joined (and so is available).
    pub fn joined(me: LocalUser) -> Self {
        PresenceState {
            me: Some(me),
            my_state: Some(UserState::Available),
            ..PresenceState::default()
        }
    }

    fn my_id(&self) -> Option<UserId> {
        self.me.as_ref().map(|me| me.id)
    }

    /// Whether this person may invite someone now.
    pub fn can_invite(&self) -> bool {
        self.my_state == Some(UserState::Available)
            && self.outgoing.is_none()
            && self.chat.is_none()
    }

    fn upsert(&mut self, user: RemoteUser) {
        if Some(user.id) == self.my_id() {
            return;
        }
        match self.buddies.iter_mut().find(|b| b.id == user.id) {
            Some(known) => *known = user,
            None => self.buddies.push(user),
        }
        self.buddies.sort_by(|a, b| {
            let key = |u: &RemoteUser| u.name.as_str().to_lowercase();
            key(a).cmp(&key(b)).then(a.id.cmp(&b.id))
        });
    }

    /// Folds one server event in; says what else to do.
    pub fn apply(&mut self, event: PresenceEvent) -> Reaction {
        match event {
            PresenceEvent::Snapshot { users, last } => {
                if !self.snapshot_open {
                    self.buddies.clear();
                    if self.list_complete {
                        // A new list after a reconnection: what still rings
                        // is replayed right after it; anything else closed
                        // while the link was down.
                        self.outgoing = None;
                        self.incoming.clear();
                    }
                }
                users.into_iter().for_each(|user| self.upsert(user));
                self.snapshot_open = !last;
                self.list_complete |= last;
            }
            PresenceEvent::UserJoined { user } => self.upsert(user),
            PresenceEvent::UserLeft { id } => self.buddies.retain(|b| b.id != id),
            PresenceEvent::UserChanged { id, state } => {
                if Some(id) == self.my_id() {
                    self.my_state = Some(state);
                } else if let Some(buddy) = self.buddies.iter_mut().find(|b| b.id == id) {
                    buddy.state = state;
                }
            }
            PresenceEvent::Invited { invitation } => return self.learn_invitation(invitation),
            PresenceEvent::InvitationClosed { id, reason } => self.close_invitation(id, reason),
            PresenceEvent::ChatStarted { chat } => return self.start_chat(chat),
            PresenceEvent::ChatEnded { id, reason, by } => {
                if let Some(chat) = self.chat.take_if(|chat| chat.id == id) {
                    let me = self.my_id().unwrap_or(chat.inviter.id);
                    let partner = chat.partner(me);
                    let failure = self.chat_failure.take();
                    let text = ended_text(
                        partner.name.as_str(),
                        reason,
                        by == Some(partner.id),
                        failure.as_deref(),
                    );
                    let archive = self.recording.finished.take();
                    self.recording = Recording::default();
                    self.notice = Some(Notice { text, archive });
                    return Reaction::EndChat;
                }
            }
            PresenceEvent::RecordingChanged {
                id,
                archive_id,
                finished_archive_id,
            } => {
                if self.chat.as_ref().is_some_and(|chat| chat.id == id) {
                    self.recording.active = archive_id;
                    if finished_archive_id.is_some() {
                        self.recording.finished = finished_archive_id;
                    }
                }
            }
        }
        Reaction::None
    }

    /// Learns an invitation from an `Invited` event or from the answer to
    /// this person's own invite request (whichever comes first).
    pub fn learn_invitation(&mut self, invitation: Invitation) -> Reaction {
        let me = self.my_id();
        if let Some(index) = self
            .early_closures
            .iter()
            .position(|(id, _)| *id == invitation.id)
        {
            // Closed before we knew it (e.g. a busy invitee): just say so.
            let (_, reason) = self.early_closures.remove(index);
            if me == Some(invitation.from) {
                self.notice = Some(Notice::text(reason.describe(invitation.to_name.as_str())));
            }
            return Reaction::None;
        }
        if me == Some(invitation.from) {
            self.notice = None;
            self.outgoing = Some(invitation);
        } else if me == Some(invitation.to) && !self.incoming.iter().any(|i| i.id == invitation.id)
        {
            self.incoming.push(invitation);
            return Reaction::Ring;
        }
        Reaction::None
    }

    fn close_invitation(&mut self, id: InvitationId, reason: DeclineReason) {
        if let Some(outgoing) = self.outgoing.take_if(|i| i.id == id) {
            self.notice = Some(Notice::text(reason.describe(outgoing.to_name.as_str())));
        } else if let Some(index) = self.incoming.iter().position(|i| i.id == id) {
            let invitation = self.incoming.remove(index);
            if let Some(text) = incoming_closed_text(invitation.from_name.as_str(), reason) {
                self.notice = Some(Notice::text(text));
            }
        } else {
            if self.early_closures.len() == EARLY_CLOSURES {
                self.early_closures.remove(0);
            }
            self.early_closures.push((id, reason));
        }
    }

    fn start_chat(&mut self, chat: Chat) -> Reaction {
        let Some(me) = self.my_id() else {
            return Reaction::None;
        };
        if chat.inviter.id != me && chat.invitee.id != me {
            return Reaction::None;
        }
        if self.chat.as_ref().is_some_and(|c| c.id == chat.id) {
            return Reaction::None;
        }
        // The accepted invitation became this chat.
        self.outgoing.take_if(|i| i.session_id == chat.session_id);
        self.incoming.retain(|i| i.session_id != chat.session_id);
        self.recording = Recording {
            active: chat.recording.clone(),
            finished: None,
        };
        self.notice = None;
        self.chat_failure = None;
        self.chat = Some(chat.clone());
        Reaction::StartChat(chat)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::DisplayName;
    use crate::pages::presence::fixtures::{chat, id, invitation, remote};
    use crate::presence::ChatEndReason;

    fn me() -> PresenceState {
        PresenceState::joined(LocalUser {
            id: id(1),
            name: DisplayName::parse("Me").expect("valid"),
        })
    }

    #[test]
    fn the_list_arrives_in_parts_then_changes_apply() {
        let mut state = me();
        let snapshot = |users, last| PresenceEvent::Snapshot { users, last };
        state.apply(snapshot(
            vec![remote(3, "zoe", UserState::Available)],
            false,
        ));
        assert!(!state.list_complete);
        state.apply(snapshot(
            vec![
                remote(2, "Ada", UserState::InChat),
                remote(1, "Me", UserState::Available),
            ],
            true,
        ));
        assert!(state.list_complete);
        let names: Vec<_> = state.buddies.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names, ["Ada", "zoe"], "sorted by name, without me");

        state.apply(PresenceEvent::UserChanged {
            id: id(2),
            state: UserState::Available,
        });
        state.apply(PresenceEvent::UserChanged {
            id: id(1),
            state: UserState::InvitePending,
        });
        state.apply(PresenceEvent::UserLeft { id: id(3) });
        state.apply(PresenceEvent::UserJoined {
            user: remote(4, "Bo", UserState::Available),
        });
        assert_eq!(state.buddies[0].state, UserState::Available);
        assert_eq!(state.buddies.len(), 2);
        assert_eq!(state.my_state, Some(UserState::InvitePending));
        assert!(!state.can_invite());

        // A later snapshot (after a reconnection) replaces the list and
        // drops invitations the server did not replay.
        state.learn_invitation(invitation(9, 1, 4));
        state.apply(snapshot(vec![remote(5, "Cy", UserState::Available)], true));
        assert_eq!(state.buddies.len(), 1);
        assert_eq!(state.outgoing, None);
    }

    #[test]
    fn outgoing_invitation_closes_with_the_reason_in_words() {
        let mut state = me();
        assert_eq!(state.learn_invitation(invitation(9, 1, 2)), Reaction::None);
        // The echo of the same invitation changes nothing.
        state.apply(PresenceEvent::Invited {
            invitation: invitation(9, 1, 2),
        });
        assert!(state.outgoing.is_some());
        state.apply(PresenceEvent::InvitationClosed {
            id: invitation(9, 1, 2).id,
            reason: DeclineReason::Busy,
        });
        assert_eq!(state.outgoing, None);
        assert_eq!(state.notice.unwrap().text, "U2 is busy.");
    }

    #[test]
    fn a_closure_before_the_invite_answer_is_not_lost() {
        let mut state = me();
        state.apply(PresenceEvent::InvitationClosed {
            id: invitation(9, 1, 2).id,
            reason: DeclineReason::NoAnswer,
        });
        assert_eq!(state.learn_invitation(invitation(9, 1, 2)), Reaction::None);
        assert_eq!(state.outgoing, None, "never stuck on 'Calling…'");
        assert_eq!(state.notice.unwrap().text, "U2 did not answer.");
    }

    #[test]
    fn incoming_invitations_ring_once_and_go_away() {
        let mut state = me();
        let event = |n, from| PresenceEvent::Invited {
            invitation: invitation(n, from, 1),
        };
        assert_eq!(state.apply(event(7, 2)), Reaction::Ring);
        assert_eq!(state.apply(event(7, 2)), Reaction::None);
        assert_eq!(state.apply(event(8, 3)), Reaction::Ring);
        state.apply(PresenceEvent::InvitationClosed {
            id: invitation(7, 2, 1).id,
            reason: DeclineReason::Cancelled,
        });
        assert_eq!(state.notice.clone().unwrap().text, "U2 cancelled the call.");
        state.notice = None;
        state.apply(PresenceEvent::InvitationClosed {
            id: invitation(8, 3, 1).id,
            reason: DeclineReason::Declined,
        });
        assert!(state.incoming.is_empty());
        assert_eq!(state.notice, None, "my own decline needs no notice");
    }

    #[test]
    fn a_chat_starts_ends_and_links_its_recording() {
        let mut state = me();
        state.apply(PresenceEvent::Invited {
            invitation: invitation(5, 2, 1),
        });
        state.apply(PresenceEvent::Invited {
            invitation: invitation(6, 3, 1),
        });
        let started = state.apply(PresenceEvent::ChatStarted {
            chat: chat(5, 2, 1),
        });
        assert_eq!(started, Reaction::StartChat(chat(5, 2, 1)));
        assert_eq!(
            state.incoming.len(),
            1,
            "the other one waits for the server to close it"
        );
        assert_eq!(
            state.apply(PresenceEvent::ChatStarted {
                chat: chat(5, 2, 1)
            }),
            Reaction::None
        );
        // Someone else's chat is not ours.
        assert_eq!(
            state.apply(PresenceEvent::ChatStarted {
                chat: chat(7, 3, 4)
            }),
            Reaction::None
        );

        let chat_id = chat(5, 2, 1).id;
        let recording =
            |active: Option<&str>, finished: Option<&str>| PresenceEvent::RecordingChanged {
                id: chat_id,
                archive_id: active.map(str::to_owned),
                finished_archive_id: finished.map(str::to_owned),
            };
        state.apply(recording(Some("a1"), None));
        assert_eq!(state.recording.active.as_deref(), Some("a1"));
        state.apply(recording(None, Some("a1")));
        assert_eq!(
            state.recording,
            Recording {
                active: None,
                finished: Some("a1".into())
            }
        );

        let ended = state.apply(PresenceEvent::ChatEnded {
            id: chat_id,
            reason: ChatEndReason::Ended,
            by: Some(id(1)),
        });
        assert_eq!(ended, Reaction::EndChat);
        assert_eq!(state.chat, None);
        let notice = state.notice.unwrap();
        assert_eq!(notice.text, "Chat with U2 ended.");
        assert_eq!(notice.archive.as_deref(), Some("a1"));
    }
}
