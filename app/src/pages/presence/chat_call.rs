//! A chat's video in the browser: on `ChatStarted` fetch this person's token
//! (`GET /chats?sessionId=`), connect the shared [`CallController`] with the
//! platform's backend (local engine or OpenTok.js) and publish; watch the
//! partner ([`PartnerWatch`]) and ask the server to end the chat when they
//! never come or leave. The chat view only appears once connected.

use gloo_timers::callback::Timeout;
use leptos::prelude::*;

use super::chat::{end_chat, media_for};
use super::controller::PresenceController;
use super::watch::{PartnerWatch, WatchAction, NO_SHOW_MS};
use crate::components::call::controller::describe;
use crate::presence::{Chat, ChatEndReason, ChatId, PresenceEvent};
use crate::video::{SessionConfig, SessionEvent};

/// How long a refused end waits for the server's own `ChatEnded`.
const GONE_AFTER_MS: u32 = 2_000;
/// How much longer a side whose own video is not up waits before ending.
const OWN_FAILURE_GRACE_MS: u32 = 5_000;

impl PresenceController {
    /// Connects this person to `chat`'s video.
    pub(super) fn start_chat(self, chat: Chat) {
        let Some(me) = self.state.with_untracked(|s| s.me.clone()) else {
            return;
        };
        let Some(platform) = self.platform.get_value() else {
            return;
        };
        self.call.hang_up();
        self.call.my_name.set(me.name.to_string());
        self.call.choice.set(media_for(&chat.options));
        self.chat_live.set(false);
        let (watch, first) = PartnerWatch::start();
        self.watch.set_value(watch);
        self.follow(chat.id, first);

        leptos::task::spawn_local(async move {
            let credentials = match super::api::chat_credentials(&chat.session_id).await {
                Ok(credentials) => credentials,
                Err(error) => return self.give_up(chat.id, error.to_string()),
            };
            let config = SessionConfig {
                backend: platform.backend(),
                session_id: credentials.session_id,
                token: credentials.token,
            };
            let on_event = move |event: &SessionEvent| {
                if let Some(action) = self.watch.try_update_value(|w| w.on_event(event)) {
                    self.follow(chat.id, action);
                }
            };
            let on_ended = move |why: String| self.give_up(chat.id, why);
            match self.call.connect(config, on_event, on_ended).await {
                Ok(()) if self.is_current(chat.id) => self.chat_live.set(true),
                // The chat ended while connecting.
                Ok(()) => self.call.hang_up(),
                Err(error) => self.give_up(chat.id, describe(&error)),
            }
        });
    }

    /// Hangs up the chat's video (the chat is over).
    pub(super) fn stop_chat(self) {
        if let Some(Some(timer)) = self.timer.try_update_value(Option::take) {
            timer.cancel();
        }
        self.call.hang_up();
        let _ = self.chat_live.try_set(false);
    }

    fn is_current(self, chat: ChatId) -> bool {
        self.state
            .with_untracked(|s| s.chat.as_ref().is_some_and(|c| c.id == chat))
    }

    /// Does what the partner watch says.
    fn follow(self, chat: ChatId, action: WatchAction) {
        match action {
            WatchAction::Nothing => {}
            WatchAction::Disarm => {
                if let Some(Some(timer)) = self.timer.try_update_value(Option::take) {
                    timer.cancel();
                }
            }
            WatchAction::Arm(reason) => {
                let timer = Timeout::new(NO_SHOW_MS, move || self.time_is_up(chat, reason));
                if let Some(Some(old)) = self.timer.try_update_value(|t| t.replace(timer)) {
                    old.cancel();
                }
            }
            WatchAction::EndNow(reason) => self.report(chat, reason),
        }
    }

    /// The partner did not come (back) in time. If this side's own video
    /// is not up either, the partner gets a little longer to report it, so
    /// the side that did connect names the one that did not.
    fn time_is_up(self, chat: ChatId, reason: ChatEndReason) {
        if self.chat_live.get_untracked() {
            return self.report(chat, reason);
        }
        leptos::task::spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(OWN_FAILURE_GRACE_MS).await;
            self.report(chat, ChatEndReason::Left);
        });
    }

    /// This side's video failed: say why and end the chat.
    fn give_up(self, chat: ChatId, why: String) {
        if self.is_current(chat) {
            self.state.update(|s| s.chat_failure = Some(why));
            self.report(chat, ChatEndReason::Left);
        }
    }

    /// Asks the server to end `chat`. Quietly: the other side (or the
    /// server) may have ended it first, and the outcome arrives as an event.
    /// If the server refuses and no event comes, it no longer has this chat
    /// for us (it ended while our link was down): leave it.
    fn report(self, chat: ChatId, reason: ChatEndReason) {
        if !self.is_current(chat) {
            return;
        }
        leptos::task::spawn_local(async move {
            if let Err(ServerFnError::ServerError(_)) = end_chat(chat, reason).await {
                gloo_timers::future::TimeoutFuture::new(GONE_AFTER_MS).await;
                if self.is_current(chat) {
                    let by = None;
                    self.apply(PresenceEvent::ChatEnded {
                        id: chat,
                        reason,
                        by,
                    });
                }
            }
        });
    }
}
