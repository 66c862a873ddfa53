//! Accepting an invitation: atomically, both parties are in a chat and
//! every other invitation to or from either of them closes with
//! `accepted-another`, its other party told and `Available` again. The
//! races that matter — accept against cancel, accept after the ring
//! timeout, a double accept, two people inviting each other — are tested
//! here.

use app::presence::backend::PresenceError;
use app::presence::{Chat, DeclineReason, InvitationId, UserId};

use super::{Effects, Presence};

impl Presence {
    /// The invitee accepts: both parties are in a chat at once, told with
    /// `ChatStarted`, and every other invitation of either closes with
    /// `accepted-another`, its other party told and `Available` again.
    pub fn accept(
        &mut self,
        user: UserId,
        id: InvitationId,
    ) -> Result<(Chat, Effects), PresenceError> {
        let invitation = self.open(id)?.clone();
        if invitation.to != user {
            return Err(PresenceError::Forbidden);
        }
        let mut effects = Effects::default();
        let mut touched = self.linked(invitation.from);
        touched.extend(self.linked(invitation.to));
        let before = self.before(touched);
        self.unlink(&invitation);
        let others: Vec<InvitationId> = [invitation.from, invitation.to]
            .iter()
            .filter_map(|party| self.users.get(party))
            .flat_map(|online| online.outgoing.iter().chain(&online.incoming))
            .copied()
            .collect();
        let chat = self.start_chat(invitation, &mut effects);
        for other in others {
            self.close(other, DeclineReason::AcceptedAnother, &mut effects);
        }
        self.announce(before, &mut effects);
        Ok((chat, effects))
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{changed, events_to, online};
    use super::super::Recipient;
    use super::*;
    use app::presence::{CallOptions, Invitation, PresenceEvent, UserState};
    use app::server_errors::Refusal;
    use uuid::Uuid;

    fn closed(id: InvitationId, reason: DeclineReason) -> PresenceEvent {
        PresenceEvent::InvitationClosed { id, reason }
    }

    fn invite(presence: &mut Presence, from: UserId, to: UserId) -> Invitation {
        let session = format!("session-{}", Uuid::new_v4());
        presence
            .invite(from, to, CallOptions::default(), session)
            .expect("the invitation is accepted for delivery")
            .0
    }

    #[test]
    fn two_users_inviting_each_other_at_once_end_up_with_one_invitation() {
        let (mut presence, ids) = online(&["Ada", "Bo"]);
        let (ada, bo) = (ids[0], ids[1]);
        let first = invite(&mut presence, ada, bo);
        let (second, effects) = presence
            .invite(bo, ada, CallOptions::default(), "s".into())
            .unwrap();
        assert_eq!(
            events_to(&effects, Recipient::User(bo)).last(),
            Some(&closed(second.id, DeclineReason::Busy))
        );
        assert_eq!(presence.state_of(bo), Some(UserState::Available));
        let (chat, _) = presence
            .accept(bo, first.id)
            .expect("the first invitation still rings");
        assert_eq!((chat.inviter.id, chat.invitee.id), (ada, bo));
    }

    #[test]
    fn a_ring_timeout_after_the_answer_does_nothing() {
        let (mut presence, ids) = online(&["Ada", "Bo"]);
        let invitation = invite(&mut presence, ids[0], ids[1]);
        presence.accept(ids[1], invitation.id).unwrap();
        assert_eq!(presence.expire(invitation.id), Effects::default());
        assert_eq!(presence.state_of(ids[0]), Some(UserState::InChat));
    }

    #[test]
    fn accept_and_cancel_at_once_one_wins_either_way() {
        let (mut presence, ids) = online(&["Ada", "Bo"]);
        let (ada, bo) = (ids[0], ids[1]);
        let invitation = invite(&mut presence, ada, bo);
        presence.accept(bo, invitation.id).unwrap();
        assert_eq!(
            presence.cancel(ada, invitation.id).unwrap_err().status(),
            404
        );
        assert_eq!(presence.state_of(ada), Some(UserState::InChat));

        let (mut presence, ids) = online(&["Ada", "Bo"]);
        let (ada, bo) = (ids[0], ids[1]);
        let invitation = invite(&mut presence, ada, bo);
        presence.cancel(ada, invitation.id).unwrap();
        assert_eq!(
            presence.accept(bo, invitation.id).unwrap_err().status(),
            404
        );
        assert_eq!(presence.state_of(bo), Some(UserState::Available));
    }

    #[test]
    fn only_the_invitee_accepts_and_only_once() {
        let (mut presence, ids) = online(&["Ada", "Bo"]);
        let (ada, bo) = (ids[0], ids[1]);
        let invitation = invite(&mut presence, ada, bo);
        assert_eq!(
            presence.accept(ada, invitation.id).unwrap_err(),
            PresenceError::Forbidden
        );
        let (chat, effects) = presence.accept(bo, invitation.id).unwrap();
        let started = PresenceEvent::ChatStarted { chat: chat.clone() };
        assert_eq!(
            events_to(&effects, Recipient::User(ada)),
            vec![started.clone()]
        );
        assert_eq!(events_to(&effects, Recipient::User(bo)), [started]);
        let expected = [(ada, UserState::InChat), (bo, UserState::InChat)];
        assert_eq!(changed(&effects), expected.into_iter().collect());
        assert_eq!(
            presence.accept(bo, invitation.id).unwrap_err().status(),
            404,
            "double accept"
        );
    }

    #[test]
    fn accepting_closes_every_other_invitation_of_both_parties() {
        let (mut presence, ids) = online(&["Ada", "Bo", "Cy", "Di"]);
        let (ada, bo, cy, di) = (ids[0], ids[1], ids[2], ids[3]);
        let di_to_ada = invite(&mut presence, di, ada);
        let ada_to_bo = invite(&mut presence, ada, bo);
        let cy_to_bo = invite(&mut presence, cy, bo);
        let (_, effects) = presence.accept(bo, ada_to_bo.id).unwrap();
        let other = DeclineReason::AcceptedAnother;
        assert_eq!(
            events_to(&effects, Recipient::User(cy)),
            [closed(cy_to_bo.id, other)]
        );
        assert_eq!(
            events_to(&effects, Recipient::User(di)),
            [closed(di_to_ada.id, other)]
        );
        let expected = [
            (ada, UserState::InChat),
            (bo, UserState::InChat),
            (cy, UserState::Available),
            (di, UserState::Available),
        ];
        assert_eq!(changed(&effects), expected.into_iter().collect());
        for user in [cy, di] {
            assert_eq!(presence.state_of(user), Some(UserState::Available));
        }
        assert_eq!(
            presence.check_invite(cy, bo, CallOptions::default()),
            Ok(())
        );
        let (late, effects) = presence
            .invite(cy, bo, CallOptions::default(), "s".into())
            .unwrap();
        assert_eq!(
            events_to(&effects, Recipient::User(cy)).last(),
            Some(&closed(late.id, DeclineReason::Busy))
        );
    }
}
