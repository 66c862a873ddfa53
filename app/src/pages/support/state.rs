//! The customer's way through a help request as plain data: the phase
//! (intro, form, camera check, connecting, waiting, answered, in the call,
//! over), where they stand in the queue and who answered — folded from the
//! server's [`HelpEvent`]s and the representative's stream by
//! [`SupportState`]'s methods, which say what the page must do next
//! ([`Reaction`]). Also the words the page shows for them. Compiles on both
//! sides of hydration and is unit-tested.

use crate::help::{HelpEvent, Outcome, QueuePosition};

/// Why the camera / microphone check failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaProblem {
    /// The person or the browser refused access.
    Denied,
    /// No camera or microphone, or another app holds it.
    NoDevice,
    /// Anything else, in words.
    Other(String),
}

impl MediaProblem {
    /// What happened and what to do, for people.
    pub fn advice(&self) -> String {
        match self {
            MediaProblem::Denied => "Your browser is blocking the camera and microphone, so a \
                representative cannot see or hear you. Click the camera icon (or the padlock) in \
                the address bar, choose \"Allow\" for the camera and the microphone, then press \
                Try again."
                .into(),
            MediaProblem::NoDevice => "No camera or microphone was found, or another app is \
                using it. Connect one or close the other app, then press Try again."
                .into(),
            MediaProblem::Other(why) => format!("Your camera could not be started: {why}"),
        }
    }
}

/// Where the customer is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Phase {
    /// The introduction with "Talk to a representative".
    #[default]
    Intro,
    /// Filling in the form.
    Form,
    /// The form was sent (`POST /help/session`).
    Requesting,
    /// Asking for the camera and microphone.
    Checking,
    /// The camera / microphone check failed.
    Blocked(MediaProblem),
    /// Connecting the help session's media.
    Connecting,
    /// Connected; the own video is starting.
    Publishing,
    /// Published; joining the queue (hub, then `POST /help/queue`).
    Queueing,
    /// In the queue.
    Waiting,
    /// A representative took the call and is joining.
    Answered,
    /// Talking with the representative.
    InCall,
    /// The help session is over; the words say how.
    Ended(String),
    /// Something failed on the way; the words say what.
    Failed(String),
}

impl Phase {
    /// Whether the customer holds an open help session (the server must
    /// hear about it when they leave).
    pub fn holds_session(&self) -> bool {
        matches!(
            self,
            Phase::Checking
                | Phase::Blocked(_)
                | Phase::Connecting
                | Phase::Publishing
                | Phase::Queueing
                | Phase::Waiting
                | Phase::Answered
                | Phase::InCall
        )
    }

    /// Whether the customer waits for a representative (queued or about to be).
    fn before_call(&self) -> bool {
        matches!(
            self,
            Phase::Publishing | Phase::Queueing | Phase::Waiting | Phase::Answered
        )
    }
}

/// What the page must do after a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reaction {
    /// Nothing.
    None,
    /// The server ended the help session: release the media and the hub.
    Release,
    /// The call is over on this side: tell the server, then release.
    EndCall,
}

/// The customer's help request as the page knows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SupportState {
    /// Where they are.
    pub phase: Phase,
    /// The help session (its media session id), once created.
    pub session_id: Option<String>,
    /// Their place in the queue, as the server last said.
    pub position: Option<QueuePosition>,
    /// The representative who answered.
    pub rep_name: Option<String>,
}

impl SupportState {
    /// A help session was created: the camera check comes next.
    pub fn created(&mut self, session_id: String) {
        *self = SupportState {
            phase: Phase::Checking,
            session_id: Some(session_id),
            position: None,
            rep_name: None,
        };
    }

    /// `POST /help/queue` answered: waiting, unless the hub was quicker.
    pub fn queued(&mut self) {
        if self.phase == Phase::Queueing {
            self.phase = Phase::Waiting;
        }
    }

    /// Folds in a server event.
    pub fn apply(&mut self, event: HelpEvent) -> Reaction {
        match event {
            HelpEvent::Position { position } => {
                self.position = Some(position);
                Reaction::None
            }
            HelpEvent::Answered { rep_name } => {
                if matches!(self.phase, Phase::Queueing | Phase::Waiting) {
                    self.phase = Phase::Answered;
                }
                self.rep_name = Some(rep_name);
                Reaction::None
            }
            HelpEvent::Ended {
                session_id,
                outcome,
            } if self.session_id.as_deref() == Some(session_id.as_str())
                && self.phase.holds_session() =>
            {
                self.phase = Phase::Ended(farewell(outcome).to_owned());
                Reaction::Release
            }
            // Events for representatives, or about another session.
            HelpEvent::Ended { .. } | HelpEvent::Waiting { .. } | HelpEvent::Assigned { .. } => {
                Reaction::None
            }
        }
    }

    /// The representative's stream arrived (`name`: the stream's name).
    pub fn rep_arrived(&mut self, name: &str) {
        if self.phase.before_call() {
            self.phase = Phase::InCall;
        }
        if self.rep_name.is_none() && !name.is_empty() {
            self.rep_name = Some(name.to_owned());
        }
    }

    /// The representative's stream (or connection) went away.
    pub fn rep_left(&mut self) -> Reaction {
        if self.phase != Phase::InCall {
            return Reaction::None;
        }
        self.phase = Phase::Ended(farewell(Outcome::Served).to_owned());
        Reaction::EndCall
    }

    /// The status line while queued: place and estimate.
    pub fn waiting_text(&self) -> (String, String) {
        match self.position {
            Some(p) => (place_text(p.position), wait_text(p.estimated_wait_secs)),
            None => ("Joining the queue…".into(), wait_text(None)),
        }
    }
}

/// "You are number N in line".
pub fn place_text(position: u32) -> String {
    format!("You are number {position} in line")
}

/// The estimated wait in whole minutes, rounded up; "Estimating your
/// wait…" without history.
pub fn wait_text(estimate_secs: Option<u32>) -> String {
    match estimate_secs {
        None => "Estimating your wait…".into(),
        Some(secs) => match secs.div_ceil(60).max(1) {
            1 => "about 1 minute".into(),
            minutes => format!("about {minutes} minutes"),
        },
    }
}

/// How the end of a help session is announced to the customer.
pub fn farewell(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Served => "The call has ended. Thank you!",
        Outcome::Cancelled => "Your request was cancelled.",
        Outcome::Abandoned => {
            "You left the queue: the connection to the server was lost for too long."
        }
        Outcome::Skipped => {
            "The representative could not receive your video in time, so the call was ended."
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn waiting() -> SupportState {
        let mut state = SupportState::default();
        state.created("s1".into());
        state.phase = Phase::Queueing;
        state
    }

    fn position(position: u32, estimate: Option<u32>) -> HelpEvent {
        HelpEvent::Position {
            position: QueuePosition {
                position,
                waiting: 3,
                estimated_wait_secs: estimate,
            },
        }
    }

    #[test]
    fn a_position_before_the_queue_answer_is_kept() {
        let mut state = waiting();
        assert_eq!(state.apply(position(2, None)), Reaction::None);
        state.queued();
        assert_eq!(state.phase, Phase::Waiting);
        let (place, wait) = state.waiting_text();
        assert_eq!(place, "You are number 2 in line");
        assert_eq!(wait, "Estimating your wait…");
        state.apply(position(1, Some(61)));
        assert_eq!(state.waiting_text().0, "You are number 1 in line");
        assert_eq!(state.waiting_text().1, "about 2 minutes");
    }

    #[test]
    fn an_answer_before_the_queue_answer_is_not_overwritten() {
        let mut state = waiting();
        state.apply(HelpEvent::Answered {
            rep_name: "Sam".into(),
        });
        state.queued();
        assert_eq!(state.phase, Phase::Answered);
        assert_eq!(state.rep_name.as_deref(), Some("Sam"));
        state.rep_arrived("sam-camera");
        assert_eq!(state.phase, Phase::InCall);
        assert_eq!(state.rep_name.as_deref(), Some("Sam"));
    }

    #[test]
    fn the_reps_stream_ending_ends_the_call_once() {
        let mut state = waiting();
        state.queued();
        assert_eq!(state.rep_left(), Reaction::None);
        state.rep_arrived("Sam");
        assert_eq!(state.rep_name.as_deref(), Some("Sam"));
        assert_eq!(state.rep_left(), Reaction::EndCall);
        assert_eq!(
            state.phase,
            Phase::Ended("The call has ended. Thank you!".into())
        );
        assert_eq!(state.rep_left(), Reaction::None);
    }

    #[test]
    fn ended_events_count_only_for_this_open_session() {
        let mut state = waiting();
        let other = HelpEvent::Ended {
            session_id: "other".into(),
            outcome: Outcome::Served,
        };
        assert_eq!(state.apply(other), Reaction::None);
        assert_eq!(state.phase, Phase::Queueing);
        let skipped = HelpEvent::Ended {
            session_id: "s1".into(),
            outcome: Outcome::Skipped,
        };
        assert_eq!(state.apply(skipped.clone()), Reaction::Release);
        assert_eq!(state.phase, Phase::Ended(farewell(Outcome::Skipped).into()));
        // Already over: a late repeat changes nothing.
        assert_eq!(state.apply(skipped), Reaction::None);
        assert_eq!(state.apply(HelpEvent::Waiting { count: 4 }), Reaction::None);
    }

    #[test]
    fn waits_are_rounded_up_to_whole_minutes() {
        assert_eq!(wait_text(Some(0)), "about 1 minute");
        assert_eq!(wait_text(Some(60)), "about 1 minute");
        assert_eq!(wait_text(Some(61)), "about 2 minutes");
        assert_eq!(wait_text(Some(600)), "about 10 minutes");
    }

    #[test]
    fn phases_say_what_they_hold() {
        assert!(!Phase::Intro.holds_session());
        assert!(Phase::Blocked(MediaProblem::Denied).holds_session());
        assert!(Phase::InCall.holds_session());
        assert!(!Phase::Ended(String::new()).holds_session());
        assert!(MediaProblem::Denied.advice().contains("Try again"));
        assert!(MediaProblem::Other("busy".into())
            .advice()
            .ends_with("busy"));
    }
}
