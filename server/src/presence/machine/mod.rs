//! The presence state machine: who is online (with how many hub
//! connections), the open invitations and the running chats. It is pure and
//! synchronous — every operation checks the request against the current
//! state, changes it, and returns the [`Effects`] to carry out (events to
//! deliver, timers to arm, archives to stop); it performs no I/O. The
//! service holds it under one mutex, so each decision is atomic.
//!
//! A user's [`UserState`] is never stored: it follows from the user's links
//! (in a chat → `InChat`, else an outgoing invitation → `InvitePending`,
//! else `Available`), so it cannot disagree with the invitations and chats.
//! Operations note the states of the users they touch before changing
//! anything and broadcast one `UserChanged` per state that moved.
//!
//! Joining and leaving are in `membership`, invitations in `invitations`
//! (accepting one in `accept`), chats and recording in `chats`, the
//! newcomer's list in `snapshot`.

mod accept;
mod chats;
mod invitations;
mod membership;
mod snapshot;

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use app::models::DisplayName;
use app::presence::{
    ChatId, Invitation, InvitationId, PresenceEvent, RemoteUser, UserId, UserState,
};
use uuid::Uuid;

use chats::ChatRecord;
pub use chats::Recording;
pub use snapshot::snapshot_chunks;

/// Who receives a delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recipient {
    /// Every connection of the presence session.
    Everyone,
    /// Every connection but those of this user.
    EveryoneBut(UserId),
    /// Every connection (tab) of this user.
    User(UserId),
    /// One hub connection (a newcomer's list).
    Connection(Uuid),
}

/// One event for some recipients.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// Who gets it.
    pub to: Recipient,
    /// What.
    pub event: PresenceEvent,
}

/// A timer the service must arm; when it fires, it calls the matching
/// operation, which does nothing if the moment has passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timer {
    /// Call [`Presence::expire`] for this invitation after this long.
    Ring {
        /// The invitation.
        invitation: InvitationId,
        /// When it stops ringing.
        after: Duration,
    },
}

/// An archive that must be stopped because its chat is over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveToStop {
    /// The chat's media session.
    pub session_id: String,
    /// The archive.
    pub archive_id: String,
}

/// What an operation asks the service to carry out, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Effects {
    /// Events to deliver, in this order.
    pub deliveries: Vec<Outgoing>,
    /// Timers to arm.
    pub timers: Vec<Timer>,
    /// Archives to stop.
    pub stop_archives: Vec<ArchiveToStop>,
}

impl Effects {
    fn send(&mut self, to: Recipient, event: PresenceEvent) {
        self.deliveries.push(Outgoing { to, event });
    }
}

/// One online user.
#[derive(Debug)]
struct Online {
    name: DisplayName,
    connections: BTreeSet<Uuid>,
    outgoing: Option<InvitationId>,
    incoming: BTreeSet<InvitationId>,
    chat: Option<ChatId>,
}

impl Online {
    fn state(&self) -> UserState {
        if self.chat.is_some() {
            UserState::InChat
        } else if self.outgoing.is_some() {
            UserState::InvitePending
        } else {
            UserState::Available
        }
    }
}

/// The states of some users before an operation changed anything.
struct Before(Vec<(UserId, UserState)>);

/// The whole presence state.
#[derive(Debug)]
pub struct Presence {
    ring_timeout: Duration,
    users: HashMap<UserId, Online>,
    connections: HashMap<Uuid, UserId>,
    invitations: HashMap<InvitationId, Invitation>,
    chats: HashMap<ChatId, ChatRecord>,
}

impl Presence {
    /// Nobody online; unanswered invitations ring for `ring_timeout`.
    pub fn new(ring_timeout: Duration) -> Self {
        Presence {
            ring_timeout,
            users: HashMap::new(),
            connections: HashMap::new(),
            invitations: HashMap::new(),
            chats: HashMap::new(),
        }
    }

    /// The hub connections of a recipient (for `EveryoneBut`, those to skip).
    pub fn connections_of(&self, user: UserId) -> Vec<Uuid> {
        self.users
            .get(&user)
            .map(|online| online.connections.iter().copied().collect())
            .unwrap_or_default()
    }

    /// Whether `user` is online (has a live hub connection).
    pub fn is_online(&self, user: UserId) -> bool {
        self.users.contains_key(&user)
    }

    /// The state of an online user.
    pub fn state_of(&self, user: UserId) -> Option<UserState> {
        self.users.get(&user).map(Online::state)
    }

    /// How many people are online.
    pub fn online_count(&self) -> usize {
        self.users.len()
    }

    /// An online user as others see them.
    fn remote(&self, user: UserId) -> Option<RemoteUser> {
        self.users.get(&user).map(|online| RemoteUser {
            id: user,
            name: online.name.clone(),
            state: online.state(),
        })
    }

    /// `user` and everyone linked to them by an invitation or a chat.
    fn linked(&self, user: UserId) -> Vec<UserId> {
        let Some(online) = self.users.get(&user) else {
            return Vec::new();
        };
        let mut linked = vec![user];
        let open = online.outgoing.iter().chain(&online.incoming);
        for invitation in open.filter_map(|id| self.invitations.get(id)) {
            linked.extend([invitation.from, invitation.to]);
        }
        if let Some(record) = online.chat.and_then(|id| self.chats.get(&id)) {
            linked.extend([record.chat.inviter.id, record.chat.invitee.id]);
        }
        linked
    }

    fn before(&self, mut users: Vec<UserId>) -> Before {
        users.sort();
        users.dedup();
        Before(
            users
                .into_iter()
                .filter_map(|id| self.state_of(id).map(|state| (id, state)))
                .collect(),
        )
    }

    /// One `UserChanged` broadcast per noted user (still online) whose state moved.
    fn announce(&self, before: Before, effects: &mut Effects) {
        for (id, old) in before.0 {
            match self.state_of(id) {
                Some(state) if state != old => {
                    effects.send(
                        Recipient::Everyone,
                        PresenceEvent::UserChanged { id, state },
                    );
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn name(text: &str) -> DisplayName {
        DisplayName::parse(text).expect("a valid test name")
    }

    /// A machine with `names` online, one connection each; their ids.
    pub fn online(names: &[&str]) -> (Presence, Vec<UserId>) {
        let mut presence = Presence::new(Duration::from_secs(30));
        let ids = names
            .iter()
            .map(|n| {
                let id = UserId(Uuid::new_v4());
                presence.join(Uuid::new_v4(), id, name(n));
                id
            })
            .collect();
        (presence, ids)
    }

    /// The events delivered to `to`.
    pub fn events_to(effects: &Effects, to: Recipient) -> Vec<PresenceEvent> {
        effects
            .deliveries
            .iter()
            .filter(|d| d.to == to)
            .map(|d| d.event.clone())
            .collect()
    }

    /// The `UserChanged` broadcasts, as (user, state).
    pub fn changes(effects: &Effects) -> Vec<(UserId, UserState)> {
        effects
            .deliveries
            .iter()
            .filter_map(|d| match d.event {
                PresenceEvent::UserChanged { id, state } => Some((id, state)),
                _ => None,
            })
            .collect()
    }

    /// The `UserChanged` broadcasts by user; each user is announced once.
    pub fn changed(effects: &Effects) -> HashMap<UserId, UserState> {
        let list = changes(effects);
        let map: HashMap<UserId, UserState> = list.iter().copied().collect();
        assert_eq!(map.len(), list.len(), "one change per user: {list:?}");
        map
    }
}
