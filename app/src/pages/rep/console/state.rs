//! The representative's desk as plain data: where they are (idle, asking,
//! waiting for a customer, joining or in a call), how many customers wait,
//! and how the last call ended. The server's answers and [`HelpEvent`]s are
//! folded in by [`Desk`]'s methods, which say what the page must do about
//! the media ([`Reaction`]). Compiles on both sides and is unit-tested.

use crate::help::{Assignment, HelpEvent, Outcome};

/// Where the representative is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Phase {
    /// Not asking for anyone.
    #[default]
    Idle,
    /// "Next customer" was pressed; the server has not answered yet.
    Asking,
    /// Ready: the server pushes the next customer who arrives.
    Waiting,
    /// Connecting to this customer's call.
    Joining(Assignment),
    /// In the call with this customer.
    InCall(Assignment),
}

/// How the last call ended, shown until the next one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// The customer's video never arrived (seed 002's words).
    Skipped,
    /// The customer hung up or went away.
    CustomerEnded,
    /// The representative ended the call with this customer.
    YouEnded(String),
    /// Joining failed; why, in words.
    Failed(String),
    /// The call's link failed; why, in words.
    Dropped(String),
}

impl Notice {
    /// Whether something went wrong (shown as a warning).
    pub fn is_problem(&self) -> bool {
        !matches!(self, Notice::CustomerEnded | Notice::YouEnded(_))
    }

    /// The notice in words.
    pub fn text(&self) -> String {
        match self {
            Notice::Skipped => {
                "The customer is being skipped because he/she failed to connect in time.".into()
            }
            Notice::CustomerEnded => "The customer ended the call.".into(),
            Notice::YouEnded(customer) => format!("Your call with {customer} ended."),
            Notice::Failed(why) => format!("The customer's call could not be joined: {why}"),
            Notice::Dropped(why) => format!("The call ended: {why}"),
        }
    }
}

/// What the page must do with the media after a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reaction {
    /// Nothing.
    None,
    /// Connect to this customer's call.
    Join(Assignment),
    /// The call is over: hang up.
    HangUp,
    /// A second customer was handed over while busy: give them back (by
    /// skipping), so they are not left waiting for nobody.
    HandBack(String),
}

/// The desk: phase, queue length and the last call's notice.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Desk {
    /// Where the representative is.
    pub phase: Phase,
    /// Customers waiting, once the hub said.
    pub waiting: Option<u32>,
    /// How the last call ended.
    pub notice: Option<Notice>,
}

impl Desk {
    /// The customer being joined or talked to.
    pub fn customer(&self) -> Option<&Assignment> {
        match &self.phase {
            Phase::Joining(a) | Phase::InCall(a) => Some(a),
            _ => None,
        }
    }

    /// Whether `session_id` is the current customer's call.
    pub fn is_current(&self, session_id: &str) -> bool {
        self.customer().is_some_and(|a| a.session_id == session_id)
    }

    /// "Next customer" pressed: `false` unless idle.
    pub fn ask(&mut self) -> bool {
        if self.phase != Phase::Idle {
            return false;
        }
        self.phase = Phase::Asking;
        self.notice = None;
        true
    }

    /// The request for the next customer failed.
    pub fn ask_failed(&mut self) {
        if self.phase == Phase::Asking {
            self.phase = Phase::Idle;
        }
    }

    /// The server answered "next customer": someone, or `None` (ready;
    /// they will come over the hub — possibly already did).
    pub fn answered(&mut self, answer: Option<Assignment>) -> Reaction {
        match answer {
            Some(assignment) => self.assigned(assignment),
            None => {
                if self.phase == Phase::Asking {
                    self.phase = Phase::Waiting;
                }
                Reaction::None
            }
        }
    }

    /// "Stop waiting" pressed: `false` unless waiting.
    pub fn stop(&mut self) -> bool {
        let waiting = self.phase == Phase::Waiting;
        if waiting {
            self.phase = Phase::Idle;
        }
        waiting
    }

    /// The hub link is gone for good: the server no longer counts this
    /// representative as ready.
    pub fn hub_lost(&mut self) {
        if matches!(self.phase, Phase::Asking | Phase::Waiting) {
            self.phase = Phase::Idle;
        }
        self.waiting = None;
    }

    /// The customer's call is connected.
    pub fn connected(&mut self, session_id: &str) -> bool {
        match &self.phase {
            Phase::Joining(a) if a.session_id == session_id => {
                self.phase = Phase::InCall(a.clone());
                true
            }
            _ => false,
        }
    }

    /// The call with `session_id` is over, with `notice`; `false` if it was
    /// not the current call (ended already).
    pub fn finish(&mut self, session_id: &str, notice: Notice) -> bool {
        if !self.is_current(session_id) {
            return false;
        }
        self.phase = Phase::Idle;
        self.notice = Some(notice);
        true
    }

    /// Folds in an event the server sent over the hub.
    pub fn apply(&mut self, event: HelpEvent) -> Reaction {
        match event {
            HelpEvent::Waiting { count } => {
                self.waiting = Some(count);
                Reaction::None
            }
            HelpEvent::Assigned { assignment } => self.assigned(assignment),
            HelpEvent::Ended {
                session_id,
                outcome,
            } => {
                let notice = match outcome {
                    Outcome::Skipped => Notice::Skipped,
                    _ => Notice::CustomerEnded,
                };
                if self.finish(&session_id, notice) {
                    Reaction::HangUp
                } else {
                    Reaction::None
                }
            }
            HelpEvent::Position { .. } | HelpEvent::Answered { .. } => Reaction::None,
        }
    }

    fn assigned(&mut self, assignment: Assignment) -> Reaction {
        match self.customer() {
            // The same hand-over, by answer and by event.
            Some(current) if current.session_id == assignment.session_id => Reaction::None,
            Some(_) => Reaction::HandBack(assignment.session_id),
            None => {
                self.phase = Phase::Joining(assignment.clone());
                self.notice = None;
                Reaction::Join(assignment)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::help::{ProblemText, QueueId};
    use crate::models::DisplayName;

    fn customer(session: &str, name: &str) -> Assignment {
        Assignment {
            api_key: "123".into(),
            session_id: session.into(),
            token: "t".into(),
            customer_name: DisplayName::parse(name).unwrap(),
            problem_text: ProblemText::parse("no sound").unwrap(),
            queue_id: QueueId::for_session(session),
        }
    }

    #[test]
    fn a_waiting_customer_is_joined_at_once() {
        let mut desk = Desk::default();
        assert!(desk.ask());
        assert!(!desk.ask(), "one request at a time");
        let ann = customer("s1", "Ann");
        assert_eq!(
            desk.answered(Some(ann.clone())),
            Reaction::Join(ann.clone())
        );
        assert_eq!(desk.phase, Phase::Joining(ann.clone()));
        assert!(desk.connected("s1"));
        assert_eq!(desk.phase, Phase::InCall(ann));
        assert!(desk.finish("s1", Notice::YouEnded("Ann".into())));
        assert_eq!(desk.phase, Phase::Idle);
        assert_eq!(
            desk.notice.as_ref().map(Notice::text).unwrap(),
            "Your call with Ann ended."
        );
        // The server's own "ended" for the call we ended changes nothing.
        let late = HelpEvent::Ended {
            session_id: "s1".into(),
            outcome: Outcome::Served,
        };
        assert_eq!(desk.apply(late), Reaction::None);
        assert_eq!(desk.notice, Some(Notice::YouEnded("Ann".into())));
    }

    #[test]
    fn a_ready_representative_gets_the_next_customer_pushed() {
        let mut desk = Desk::default();
        desk.ask();
        assert_eq!(desk.answered(None), Reaction::None);
        assert_eq!(desk.phase, Phase::Waiting);
        let bob = customer("s2", "Bob");
        let pushed = HelpEvent::Assigned {
            assignment: bob.clone(),
        };
        assert_eq!(desk.apply(pushed), Reaction::Join(bob.clone()));
        assert_eq!(desk.phase, Phase::Joining(bob));
    }

    #[test]
    fn a_push_that_beats_the_answer_is_kept() {
        let mut desk = Desk::default();
        desk.ask();
        let bob = customer("s2", "Bob");
        let pushed = HelpEvent::Assigned {
            assignment: bob.clone(),
        };
        assert_eq!(desk.apply(pushed), Reaction::Join(bob.clone()));
        // "Ready" arrives afterwards: still joining Bob.
        assert_eq!(desk.answered(None), Reaction::None);
        assert_eq!(desk.phase, Phase::Joining(bob.clone()));
        // The same hand-over twice is one join.
        assert_eq!(desk.answered(Some(bob.clone())), Reaction::None);
        // Another customer while busy goes back.
        let cy = customer("s3", "Cy");
        assert_eq!(desk.answered(Some(cy)), Reaction::HandBack("s3".into()));
        assert_eq!(desk.phase, Phase::Joining(bob));
    }

    #[test]
    fn stopping_and_losing_the_hub_end_the_wait() {
        let mut desk = Desk::default();
        assert!(!desk.stop());
        desk.ask();
        desk.answered(None);
        assert!(desk.stop());
        assert_eq!(desk.phase, Phase::Idle);
        desk.ask();
        desk.answered(None);
        desk.apply(HelpEvent::Waiting { count: 3 });
        assert_eq!(desk.waiting, Some(3));
        desk.hub_lost();
        assert_eq!((desk.phase.clone(), desk.waiting), (Phase::Idle, None));
        desk.ask();
        desk.ask_failed();
        assert_eq!(desk.phase, Phase::Idle);
    }

    #[test]
    fn the_server_ending_the_call_says_how() {
        let mut desk = Desk::default();
        desk.ask();
        desk.answered(Some(customer("s1", "Ann")));
        desk.connected("s1");
        let other = HelpEvent::Ended {
            session_id: "s9".into(),
            outcome: Outcome::Served,
        };
        assert_eq!(desk.apply(other), Reaction::None);
        let ended = HelpEvent::Ended {
            session_id: "s1".into(),
            outcome: Outcome::Served,
        };
        assert_eq!(desk.apply(ended), Reaction::HangUp);
        assert_eq!(desk.notice, Some(Notice::CustomerEnded));
        assert!(!Notice::CustomerEnded.is_problem());
        assert_eq!(Notice::CustomerEnded.text(), "The customer ended the call.");

        desk.ask();
        desk.answered(Some(customer("s4", "Dee")));
        let skipped = HelpEvent::Ended {
            session_id: "s4".into(),
            outcome: Outcome::Skipped,
        };
        assert_eq!(desk.apply(skipped), Reaction::HangUp);
        assert_eq!(
            desk.notice.as_ref().map(Notice::text).unwrap(),
            "The customer is being skipped because he/she failed to connect in time."
        );
        assert!(Notice::Skipped.is_problem());
        // A call that ended while connecting is not entered.
        assert!(!desk.connected("s4"));
    }
}
