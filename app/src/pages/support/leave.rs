//! Leaving by closing the tab: while the customer holds a help session,
//! `pagehide` and `beforeunload` send the queue's DELETE as a beacon
//! ([`dequeue_beacon`]), which the browser delivers even as the page
//! goes away — seed 002's synchronous XHR in `onbeforeunload` is refused by
//! browsers since Chrome 80. Dropping the [`LeaveHook`] removes the
//! listeners (the call ended, or the customer cancelled).

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use super::api::dequeue_beacon;
use crate::help::QueueId;

/// The events a leaving page fires; either may be the last one it gets.
const EVENTS: [&str; 2] = ["pagehide", "beforeunload"];

/// The installed listeners; removed on drop.
pub struct LeaveHook {
    listener: Closure<dyn FnMut()>,
}

impl LeaveHook {
    /// Sends the DELETE for `queue_id` when the page goes away.
    pub fn install(queue_id: QueueId) -> Option<LeaveHook> {
        let window = web_sys::window()?;
        let listener = Closure::<dyn FnMut()>::new(move || {
            dequeue_beacon(&queue_id);
        });
        for event in EVENTS {
            // Adding a listener to the window does not fail in practice;
            // the listeners are removed (all of them) on drop either way.
            let _ =
                window.add_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
        }
        Some(LeaveHook { listener })
    }
}

impl Drop for LeaveHook {
    fn drop(&mut self) {
        if let Some(window) = web_sys::window() {
            for event in EVENTS {
                let _ = window.remove_event_listener_with_callback(
                    event,
                    self.listener.as_ref().unchecked_ref(),
                );
            }
        }
    }
}
