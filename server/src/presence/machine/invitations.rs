//! Invitations: invite, cancel, decline and the ring timeout (accepting
//! is in [`accept`](super::accept)), and closing an invitation.
//!
//! Rules (each also a fix of seed 000's bugs): only an `Available` user may
//! invite; inviting someone who is not `Available` creates the invitation
//! and closes it at once with `busy`, so the inviter always hears back; an
//! `Available` user may hold several incoming invitations; whoever leaves,
//! cancels, declines or stops ringing, the inviter is `Available` again.

use std::time::Duration;

use app::presence::backend::PresenceError;
use app::presence::{
    CallOptions, DeclineReason, Invitation, InvitationId, PresenceEvent, UserId, UserState,
};
use uuid::Uuid;

use super::{Effects, Presence, Recipient, Timer};

/// How much longer than its countdown an auto-accepting invitation rings.
const AUTO_ACCEPT_GRACE: Duration = Duration::from_secs(5);

impl Presence {
    /// Whether `from` may invite `to` with `options` now (nothing changes):
    /// 400 for bad options or oneself, 401 if `from` is not online, 409 if
    /// `from` is busy, 404 if `to` is not online.
    pub fn check_invite(
        &self,
        from: UserId,
        to: UserId,
        options: CallOptions,
    ) -> Result<(), PresenceError> {
        if !options.is_valid() {
            return Err(PresenceError::Invalid(format!(
                "acceptAfter must be 1 to {} seconds",
                CallOptions::MAX_ACCEPT_AFTER
            )));
        }
        if from == to {
            return Err(PresenceError::Invalid("you cannot invite yourself".into()));
        }
        match self.state_of(from) {
            None => return Err(PresenceError::NotJoined),
            Some(UserState::Available) => {}
            Some(UserState::InvitePending) => {
                return Err(PresenceError::Conflict(
                    "you are already inviting someone".into(),
                ))
            }
            Some(UserState::InChat) => {
                return Err(PresenceError::Conflict("you are in a chat".into()))
            }
        }
        if !self.is_online(to) {
            return Err(PresenceError::NotFound("user"));
        }
        Ok(())
    }

    /// `from` invites `to` to a chat in `session_id`. If `to` is not
    /// `Available`, the invitation is closed at once with `busy` (the inviter
    /// sees its echo, then the close); otherwise it rings.
    pub fn invite(
        &mut self,
        from: UserId,
        to: UserId,
        options: CallOptions,
        session_id: String,
    ) -> Result<(Invitation, Effects), PresenceError> {
        self.check_invite(from, to, options)?;
        let (Some(inviter), Some(invitee)) = (self.remote(from), self.remote(to)) else {
            return Err(PresenceError::NotFound("user"));
        };
        let invitation = Invitation {
            id: InvitationId(Uuid::new_v4()),
            from,
            from_name: inviter.name,
            to,
            to_name: invitee.name,
            options,
            session_id,
        };
        let mut effects = Effects::default();
        let echo = PresenceEvent::Invited {
            invitation: invitation.clone(),
        };
        if invitee.state != UserState::Available {
            effects.send(Recipient::User(from), echo);
            let closed = PresenceEvent::InvitationClosed {
                id: invitation.id,
                reason: DeclineReason::Busy,
            };
            effects.send(Recipient::User(from), closed);
            return Ok((invitation, effects));
        }
        let before = self.before(vec![from]);
        if let Some(online) = self.users.get_mut(&from) {
            online.outgoing = Some(invitation.id);
        }
        if let Some(online) = self.users.get_mut(&to) {
            online.incoming.insert(invitation.id);
        }
        self.invitations.insert(invitation.id, invitation.clone());
        effects.send(Recipient::User(to), echo.clone());
        effects.send(Recipient::User(from), echo);
        self.announce(before, &mut effects);
        let countdown = options
            .accept_after
            .map(|s| Duration::from_secs(u64::from(s)) + AUTO_ACCEPT_GRACE);
        effects.timers.push(Timer::Ring {
            invitation: invitation.id,
            after: countdown.map_or(self.ring_timeout, |c| c.max(self.ring_timeout)),
        });
        Ok((invitation, effects))
    }

    /// The inviter withdraws their invitation.
    pub fn cancel(&mut self, user: UserId, id: InvitationId) -> Result<Effects, PresenceError> {
        let invitation = self.open(id)?;
        if invitation.from != user {
            return Err(PresenceError::Forbidden);
        }
        Ok(self.close_and_announce(id, DeclineReason::Cancelled))
    }

    /// The invitee says no: `declined`, `busy` or `no-camera`.
    pub fn decline(
        &mut self,
        user: UserId,
        id: InvitationId,
        reason: DeclineReason,
    ) -> Result<Effects, PresenceError> {
        if !matches!(
            reason,
            DeclineReason::Declined | DeclineReason::Busy | DeclineReason::NoCamera
        ) {
            return Err(PresenceError::Invalid(
                "a decline reason is declined, busy or no-camera".into(),
            ));
        }
        let invitation = self.open(id)?;
        if invitation.to != user {
            return Err(PresenceError::Forbidden);
        }
        Ok(self.close_and_announce(id, reason))
    }

    /// The ring timeout fired: an unanswered invitation closes with
    /// `no-answer`; an answered one is long gone and nothing happens.
    pub fn expire(&mut self, id: InvitationId) -> Effects {
        if self.invitations.contains_key(&id) {
            self.close_and_announce(id, DeclineReason::NoAnswer)
        } else {
            Effects::default()
        }
    }

    /// An open invitation, or 404.
    pub(super) fn open(&self, id: InvitationId) -> Result<&Invitation, PresenceError> {
        self.invitations
            .get(&id)
            .ok_or(PresenceError::NotFound("invitation"))
    }

    pub(super) fn close_and_announce(
        &mut self,
        id: InvitationId,
        reason: DeclineReason,
    ) -> Effects {
        let mut effects = Effects::default();
        let Some(invitation) = self.invitations.get(&id) else {
            return effects;
        };
        let before = self.before(vec![invitation.from, invitation.to]);
        self.close(id, reason, &mut effects);
        self.announce(before, &mut effects);
        effects
    }

    /// Removes an invitation and tells both parties why (states are
    /// announced by the caller).
    pub(super) fn close(&mut self, id: InvitationId, reason: DeclineReason, effects: &mut Effects) {
        let Some(invitation) = self.invitations.get(&id).cloned() else {
            return;
        };
        self.unlink(&invitation);
        let closed = PresenceEvent::InvitationClosed { id, reason };
        effects.send(Recipient::User(invitation.from), closed.clone());
        effects.send(Recipient::User(invitation.to), closed);
    }

    /// Forgets an invitation and its links from both parties.
    pub(super) fn unlink(&mut self, invitation: &Invitation) {
        self.invitations.remove(&invitation.id);
        if let Some(online) = self.users.get_mut(&invitation.from) {
            online.outgoing = online.outgoing.filter(|id| *id != invitation.id);
        }
        if let Some(online) = self.users.get_mut(&invitation.to) {
            online.incoming.remove(&invitation.id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{changes, events_to, online};
    use super::*;
    use app::server_errors::Refusal;

    fn closed(id: InvitationId, reason: DeclineReason) -> PresenceEvent {
        PresenceEvent::InvitationClosed { id, reason }
    }

    fn invite(presence: &mut Presence, from: UserId, to: UserId) -> Invitation {
        presence
            .invite(
                from,
                to,
                CallOptions::default(),
                format!("session-{}", Uuid::new_v4()),
            )
            .expect("the invitation is accepted for delivery")
            .0
    }

    #[test]
    fn an_invitation_rings_at_the_invitee_and_echoes_to_the_inviter() {
        let (mut presence, ids) = online(&["Ada", "Bo"]);
        let (ada, bo) = (ids[0], ids[1]);
        let (invitation, effects) = presence
            .invite(ada, bo, CallOptions::default(), "s1".into())
            .unwrap();
        assert_eq!(
            (invitation.from_name.as_str(), invitation.to_name.as_str()),
            ("Ada", "Bo")
        );
        let invited = PresenceEvent::Invited {
            invitation: invitation.clone(),
        };
        assert_eq!(
            events_to(&effects, Recipient::User(bo)),
            vec![invited.clone()]
        );
        assert_eq!(events_to(&effects, Recipient::User(ada)), [invited]);
        assert_eq!(changes(&effects), [(ada, UserState::InvitePending)]);
        assert_eq!(
            effects.timers,
            [Timer::Ring {
                invitation: invitation.id,
                after: Duration::from_secs(30)
            }]
        );
        assert_eq!(
            presence.state_of(bo),
            Some(UserState::Available),
            "incoming does not make busy"
        );
    }

    #[test]
    fn an_auto_accept_countdown_rings_longer_than_the_default() {
        let (mut presence, ids) = online(&["Ada", "Bo"]);
        let options = CallOptions {
            audio_only: true,
            accept_after: Some(45),
        };
        let (_, effects) = presence
            .invite(ids[0], ids[1], options, "s".into())
            .unwrap();
        assert!(
            matches!(effects.timers[..], [Timer::Ring { after, .. }] if after == Duration::from_secs(50))
        );
    }

    #[test]
    fn invitations_are_refused_with_the_right_status() {
        let (mut presence, ids) = online(&["Ada", "Bo", "Cy"]);
        let (ada, bo, cy) = (ids[0], ids[1], ids[2]);
        let status = |r: Result<(), PresenceError>| r.map_err(|e| e.status());
        let bad = CallOptions {
            audio_only: false,
            accept_after: Some(0),
        };
        assert_eq!(status(presence.check_invite(ada, bo, bad)), Err(400));
        assert_eq!(
            status(presence.check_invite(ada, ada, CallOptions::default())),
            Err(400)
        );
        let stranger = UserId(Uuid::new_v4());
        assert_eq!(
            status(presence.check_invite(stranger, bo, CallOptions::default())),
            Err(401)
        );
        assert_eq!(
            status(presence.check_invite(ada, stranger, CallOptions::default())),
            Err(404)
        );
        invite(&mut presence, ada, bo);
        let again = presence.invite(ada, cy, CallOptions::default(), "s".into());
        assert_eq!(
            again.map(|_| ()).map_err(|e| e.status()),
            Err(409),
            "one outgoing invitation at a time"
        );
    }

    #[test]
    fn inviting_a_busy_user_closes_at_once_and_the_inviter_hears_it() {
        // Seed bug 3: the busy decline was never sent.
        let (mut presence, ids) = online(&["Ada", "Bo", "Cy"]);
        let (ada, bo, cy) = (ids[0], ids[1], ids[2]);
        invite(&mut presence, bo, cy); // Bo just became busy.
        let (invitation, effects) = presence
            .invite(ada, bo, CallOptions::default(), "s".into())
            .unwrap();
        assert_eq!(
            events_to(&effects, Recipient::User(ada)),
            [
                PresenceEvent::Invited {
                    invitation: invitation.clone()
                },
                closed(invitation.id, DeclineReason::Busy)
            ]
        );
        assert!(events_to(&effects, Recipient::User(bo)).is_empty());
        assert!(changes(&effects).is_empty() && effects.timers.is_empty());
        assert_eq!(presence.state_of(ada), Some(UserState::Available));
        assert_eq!(
            presence.cancel(ada, invitation.id).unwrap_err().status(),
            404,
            "it is closed"
        );
    }

    #[test]
    fn cancel_and_decline_free_the_inviter_and_only_the_right_party_may() {
        let (mut presence, ids) = online(&["Ada", "Bo"]);
        let (ada, bo) = (ids[0], ids[1]);
        let invitation = invite(&mut presence, ada, bo);
        assert_eq!(
            presence.cancel(bo, invitation.id).unwrap_err(),
            PresenceError::Forbidden
        );
        let effects = presence.cancel(ada, invitation.id).unwrap();
        let cancelled = closed(invitation.id, DeclineReason::Cancelled);
        assert_eq!(
            events_to(&effects, Recipient::User(bo)),
            vec![cancelled.clone()]
        );
        assert_eq!(events_to(&effects, Recipient::User(ada)), [cancelled]);
        assert_eq!(changes(&effects), [(ada, UserState::Available)]);

        let invitation = invite(&mut presence, ada, bo);
        assert_eq!(
            presence
                .decline(ada, invitation.id, DeclineReason::Declined)
                .unwrap_err(),
            PresenceError::Forbidden
        );
        for reason in [
            DeclineReason::NoAnswer,
            DeclineReason::Cancelled,
            DeclineReason::Left,
            DeclineReason::AcceptedAnother,
        ] {
            assert_eq!(
                presence
                    .decline(bo, invitation.id, reason)
                    .unwrap_err()
                    .status(),
                400,
                "{reason:?}"
            );
        }
        let effects = presence
            .decline(bo, invitation.id, DeclineReason::NoCamera)
            .unwrap();
        assert_eq!(
            events_to(&effects, Recipient::User(ada)),
            [closed(invitation.id, DeclineReason::NoCamera)]
        );
        assert_eq!(presence.state_of(ada), Some(UserState::Available));
    }

    #[test]
    fn an_unanswered_invitation_rings_out_and_a_late_accept_is_refused() {
        let (mut presence, ids) = online(&["Ada", "Bo"]);
        let (ada, bo) = (ids[0], ids[1]);
        let invitation = invite(&mut presence, ada, bo);
        let effects = presence.expire(invitation.id);
        assert_eq!(
            events_to(&effects, Recipient::User(ada)),
            [closed(invitation.id, DeclineReason::NoAnswer)]
        );
        assert_eq!(
            events_to(&effects, Recipient::User(bo)),
            [closed(invitation.id, DeclineReason::NoAnswer)]
        );
        assert_eq!(changes(&effects), [(ada, UserState::Available)]);
        assert_eq!(
            presence.accept(bo, invitation.id).unwrap_err(),
            PresenceError::NotFound("invitation")
        );
    }
}
