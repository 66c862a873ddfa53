//! Joining and leaving: hub connections come and go, people are online
//! from their first connection until their last one closes. A newcomer
//! gets the list once and everyone else one `UserJoined`; another tab of
//! someone already online only gets the list (plus that person's open
//! invitations and chat); a leave closes the leaver's invitations and chat.

use std::collections::BTreeSet;

use app::models::DisplayName;
use app::presence::{
    ChatEndReason, DeclineReason, InvitationId, PresenceEvent, RemoteUser, UserId,
};
use uuid::Uuid;

use super::{snapshot_chunks, Effects, Online, Presence, Recipient};

impl Presence {
    /// A hub connection of `user` (named `name`) joined. A newcomer gets the
    /// list of everyone else and everyone else one `UserJoined`; another tab
    /// of someone already online gets the list plus that person's open
    /// invitations and chat, and nobody else hears of it.
    pub fn join(&mut self, connection: Uuid, user: UserId, name: DisplayName) -> Effects {
        let mut effects = Effects::default();
        if self.connections.contains_key(&connection) {
            return effects;
        }
        self.connections.insert(connection, user);
        let returning = self.users.contains_key(&user);
        let online = self.users.entry(user).or_insert_with(|| Online {
            name,
            connections: BTreeSet::new(),
            outgoing: None,
            incoming: BTreeSet::new(),
            chat: None,
        });
        online.connections.insert(connection);
        for chunk in snapshot_chunks(self.others(user)) {
            effects.send(Recipient::Connection(connection), chunk);
        }
        if returning {
            self.replay(user, connection, &mut effects);
        } else if let Some(joined) = self.remote(user) {
            effects.send(
                Recipient::EveryoneBut(user),
                PresenceEvent::UserJoined { user: joined },
            );
        }
        effects
    }

    /// A hub connection closed. When it was its user's last one, the user
    /// leaves: their invitations close (`left`), their chat ends (`left`)
    /// and everyone else gets `UserLeft`.
    pub fn leave(&mut self, connection: Uuid) -> Effects {
        let mut effects = Effects::default();
        let Some(user) = self.connections.remove(&connection) else {
            return effects;
        };
        let Some(online) = self.users.get_mut(&user) else {
            return effects;
        };
        online.connections.remove(&connection);
        if !online.connections.is_empty() {
            return effects;
        }
        let links: Vec<InvitationId> = online
            .outgoing
            .iter()
            .chain(&online.incoming)
            .copied()
            .collect();
        let chat = online.chat;
        let before = self.before(self.linked(user));
        for invitation in links {
            self.close(invitation, DeclineReason::Left, &mut effects);
        }
        if let Some(chat) = chat {
            let reason = ChatEndReason::Left;
            self.finish_chat(chat, reason, Some(user), &mut effects);
        }
        self.users.remove(&user);
        self.announce(before, &mut effects);
        effects.send(
            Recipient::EveryoneBut(user),
            PresenceEvent::UserLeft { id: user },
        );
        // Nothing can reach the one who left.
        effects
            .deliveries
            .retain(|outgoing| outgoing.to != Recipient::User(user));
        effects
    }

    /// Everyone but `user`, by name.
    fn others(&self, user: UserId) -> Vec<RemoteUser> {
        let mut others: Vec<RemoteUser> = self
            .users
            .keys()
            .filter(|id| **id != user)
            .filter_map(|id| self.remote(*id))
            .collect();
        others.sort_by(|a, b| (a.name.as_str(), a.id).cmp(&(b.name.as_str(), b.id)));
        others
    }

    /// Tells a new tab of `user` about their open invitations and chat.
    fn replay(&self, user: UserId, connection: Uuid, effects: &mut Effects) {
        let Some(online) = self.users.get(&user) else {
            return;
        };
        let open = online.outgoing.iter().chain(&online.incoming);
        for invitation in open.filter_map(|id| self.invitations.get(id)) {
            let event = PresenceEvent::Invited {
                invitation: invitation.clone(),
            };
            effects.send(Recipient::Connection(connection), event);
        }
        if let Some(record) = online.chat.and_then(|id| self.chats.get(&id)) {
            let event = PresenceEvent::ChatStarted {
                chat: record.chat.clone(),
            };
            effects.send(Recipient::Connection(connection), event);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{changes, events_to, name, online};
    use super::super::Outgoing;
    use super::*;
    use app::presence::UserState;

    #[test]
    fn a_newcomer_gets_the_list_and_everyone_else_one_joined() {
        let (mut presence, ids) = online(&["Bo", "Ada"]);
        let (carl, tab) = (UserId(Uuid::new_v4()), Uuid::new_v4());
        let effects = presence.join(tab, carl, name("Carl"));
        let list = events_to(&effects, Recipient::Connection(tab));
        let PresenceEvent::Snapshot { users, last: true } = &list[0] else {
            panic!("expected one final snapshot, got {list:?}");
        };
        let names: Vec<&str> = users.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(names, ["Ada", "Bo"]);
        assert!(users
            .iter()
            .all(|u| u.state == UserState::Available && ids.contains(&u.id)));
        assert_eq!(effects.deliveries.len(), 2, "{effects:?}");
        assert_eq!(
            events_to(&effects, Recipient::EveryoneBut(carl)),
            [PresenceEvent::UserJoined {
                user: RemoteUser {
                    id: carl,
                    name: name("Carl"),
                    state: UserState::Available
                }
            }]
        );
        assert_eq!(presence.online_count(), 3);
    }

    #[test]
    fn a_second_tab_is_not_a_new_user_and_the_last_tab_leaving_is_a_leave() {
        let (mut presence, ids) = online(&["Ada", "Bo"]);
        let (ada, bo) = (ids[0], ids[1]);
        presence
            .invite(ada, bo, Default::default(), "s1".into())
            .unwrap();
        let (first, second) = (presence.connections_of(ada)[0], Uuid::new_v4());
        let effects = presence.join(second, ada, name("Ada"));
        assert!(events_to(&effects, Recipient::EveryoneBut(ada)).is_empty());
        let to_tab = events_to(&effects, Recipient::Connection(second));
        assert!(
            matches!(
                &to_tab[..],
                [
                    PresenceEvent::Snapshot { last: true, .. },
                    PresenceEvent::Invited { .. }
                ]
            ),
            "{to_tab:?}"
        );
        assert_eq!(effects.deliveries.len(), 2);
        assert_eq!(
            presence.join(second, ada, name("Ada")),
            Effects::default(),
            "a repeated join is ignored"
        );
        assert_eq!(presence.leave(first), Effects::default(), "one tab remains");
        assert_eq!(presence.state_of(ada), Some(UserState::InvitePending));
        let effects = presence.leave(second);
        assert!(!presence.is_online(ada));
        assert_eq!(
            events_to(&effects, Recipient::EveryoneBut(ada)),
            [PresenceEvent::UserLeft { id: ada }]
        );
        assert_eq!(
            presence.leave(second),
            Effects::default(),
            "an unknown connection is ignored"
        );
    }

    #[test]
    fn the_invitee_leaving_mid_invite_frees_the_inviter() {
        // Seed bug 1: the inviter stayed "invite pending" forever.
        let (mut presence, ids) = online(&["Ada", "Bo"]);
        let (ada, bo) = (ids[0], ids[1]);
        let (invitation, _) = presence
            .invite(ada, bo, Default::default(), "s1".into())
            .unwrap();
        let effects = presence.leave(presence.connections_of(bo)[0]);
        assert_eq!(
            events_to(&effects, Recipient::User(ada)),
            [PresenceEvent::InvitationClosed {
                id: invitation.id,
                reason: DeclineReason::Left
            }]
        );
        assert!(
            events_to(&effects, Recipient::User(bo)).is_empty(),
            "nothing is sent to the one who left"
        );
        assert_eq!(changes(&effects), [(ada, UserState::Available)]);
        assert_eq!(presence.state_of(ada), Some(UserState::Available));
        assert!(
            matches!(effects.deliveries.last(), Some(Outgoing { event: PresenceEvent::UserLeft { id }, .. }) if *id == bo)
        );
    }

    #[test]
    fn leaving_a_chat_ends_it_for_the_partner() {
        let (mut presence, ids) = online(&["Ada", "Bo"]);
        let (ada, bo) = (ids[0], ids[1]);
        let (invitation, _) = presence
            .invite(ada, bo, Default::default(), "s1".into())
            .unwrap();
        let (chat, _) = presence.accept(bo, invitation.id).unwrap();
        let effects = presence.leave(presence.connections_of(ada)[0]);
        assert_eq!(
            events_to(&effects, Recipient::User(bo)),
            [PresenceEvent::ChatEnded {
                id: chat.id,
                reason: ChatEndReason::Left,
                by: Some(ada)
            }]
        );
        assert_eq!(changes(&effects), [(bo, UserState::Available)]);
        assert!(presence.chat_session(bo, "s1").is_err(), "the chat is gone");
    }
}
