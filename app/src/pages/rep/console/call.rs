//! The representative's calls in the browser: "Next customer" and "Stop
//! waiting", joining a customer's call with the assignment's credentials on
//! the server's media platform and publishing, the 5-second rule
//! ([`CustomerWatch`](super::watch::CustomerWatch)): skip a customer whose
//! video never arrives, end the call when they leave; and End.

use gloo_timers::callback::Timeout;
use leptos::prelude::*;

use super::controller::RepController;
use super::requests::{end_call, next_customer, skip_customer, stop_waiting};
use super::state::Notice;
use super::watch::{CustomerWatch, Expiry, WatchAction, ARRIVAL_MS};
use crate::components::call::controller::describe;
use crate::help::Assignment;
use crate::video::{SessionConfig, SessionEvent};

impl RepController {
    /// "Next customer": someone now, or wait for the server to push one.
    pub fn next(self) {
        if !self.desk.try_update(|d| d.ask()).unwrap_or(false) {
            return;
        }
        self.act(next_customer(), move |answer| match answer {
            Some(answer) => self.react(self.desk.try_update(|d| d.answered(answer))),
            None => {
                let _ = self.desk.try_update(|d| d.ask_failed());
            }
        });
    }

    /// "Stop waiting".
    pub fn stop_waiting(self) {
        if self.desk.try_update(|d| d.stop()).unwrap_or(false) {
            self.act(stop_waiting(), |_| {});
        }
    }

    /// Connects to `assignment`'s call and publishes; the customer's
    /// stream then has [`ARRIVAL_MS`] to arrive.
    pub(super) fn join(self, assignment: Assignment) {
        let session_id = assignment.session_id.clone();
        let Some(platform) = self.platform.get_value() else {
            // Assignments come over the hub, which is only joined once the
            // platform is known; never leave a customer hanging all the same.
            let why = "the page has not finished loading".to_owned();
            return self.close(&session_id, Notice::Failed(why), true);
        };
        self.hang_up();
        let name = self.account.with_value(|a| a.username.to_string());
        self.call.my_name.set(name);
        self.watch.set_value(CustomerWatch::default());
        let config = SessionConfig {
            backend: platform.backend(),
            session_id: assignment.session_id,
            token: assignment.token,
        };
        leptos::task::spawn_local(async move {
            let id = session_id.clone();
            let on_event = move |event: &SessionEvent| {
                if let Some(action) = self.watch.try_update_value(|w| w.on_event(event)) {
                    self.follow(&id, action);
                }
            };
            let id = session_id.clone();
            let on_ended = move |why: String| self.close(&id, Notice::Dropped(why), false);
            match self.call.connect(config, on_event, on_ended).await {
                Ok(()) if self.desk.try_update(|d| d.connected(&session_id)) == Some(true) => {
                    let _ = self.call_live.try_set(true);
                    if !self.watch.with_value(CustomerWatch::present) {
                        self.arm(session_id);
                    }
                }
                // The call ended while connecting.
                Ok(()) => self.call.hang_up(),
                Err(error) => self.close(&session_id, Notice::Failed(describe(&error)), true),
            }
        });
    }

    /// Does what the customer watch says.
    fn follow(self, session_id: &str, action: WatchAction) {
        match action {
            WatchAction::Nothing => {}
            WatchAction::Disarm => self.disarm(),
            WatchAction::Arm => self.arm(session_id.to_owned()),
            WatchAction::Left => self.close(session_id, Notice::CustomerEnded, false),
        }
    }

    fn arm(self, session_id: String) {
        let timer = Timeout::new(ARRIVAL_MS, move || self.time_is_up(&session_id));
        if let Some(Some(old)) = self.timer.try_update_value(|t| t.replace(timer)) {
            old.cancel();
        }
    }

    fn disarm(self) {
        if let Some(Some(timer)) = self.timer.try_update_value(Option::take) {
            timer.cancel();
        }
    }

    /// The customer's stream did not arrive (or come back) in time.
    fn time_is_up(self, session_id: &str) {
        let _ = self.timer.try_update_value(Option::take);
        match self.watch.with_value(CustomerWatch::expired) {
            Expiry::Present => {}
            Expiry::Skip => self.close(session_id, Notice::Skipped, true),
            Expiry::Lost => self.close(session_id, Notice::CustomerEnded, false),
        }
    }

    /// "End": the representative ends the call.
    pub fn end(self) {
        let current = self.desk.with_untracked(|d| {
            d.customer()
                .map(|a| (a.session_id.clone(), a.customer_name.to_string()))
        });
        if let Some((session_id, customer)) = current {
            self.close(&session_id, Notice::YouEnded(customer), false);
        }
    }

    /// Ends the call in `session_id` with `notice`, hangs up and tells the
    /// server: skipped when `skipped`, else ended (quietly: the customer or
    /// the server may have ended it first).
    fn close(self, session_id: &str, notice: Notice, skipped: bool) {
        if self.desk.try_update(|d| d.finish(session_id, notice)) != Some(true) {
            return;
        }
        self.hang_up();
        let session_id = session_id.to_owned();
        leptos::task::spawn_local(async move {
            let told = if skipped {
                skip_customer(session_id).await
            } else {
                end_call(session_id).await
            };
            if let Err(error) = told {
                leptos::logging::debug_warn!("ending a help call: {error}");
            }
        });
    }

    /// Hangs up the customer's call (it is over).
    pub(super) fn hang_up(self) {
        self.disarm();
        self.call.hang_up();
        let _ = self.call_live.try_set(false);
    }

    /// A customer handed over while busy goes back: skipped, so they are
    /// not left waiting for nobody.
    pub(super) fn hand_back(self, session_id: String) {
        leptos::task::spawn_local(async move {
            if let Err(error) = skip_customer(session_id).await {
                leptos::logging::debug_warn!("handing a customer back: {error}");
            }
        });
    }
}
