//! The chat view: "Connecting to X…" until this side's video is up, then the
//! shared [`CallView`] — both videos with names, mute microphone / camera,
//! recording controls and "End chat". Ending asks the server
//! ([`end_chat`]); both sides leave the view when it says the chat ended.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::controller::PresenceController;
use super::recording::RecordingControls;
use crate::components::call::{CallView, MediaChoice};
use crate::presence::{CallOptions, Chat, ChatEndReason, ChatId};

/// What a chat publishes: the default microphone, and the default camera
/// unless the call is audio only.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub fn media_for(options: &CallOptions) -> MediaChoice {
    MediaChoice {
        microphone: Some(String::new()),
        camera: (!options.audio_only).then(String::new),
    }
}

/// A party ends the chat (or reports that the partner never came / left).
#[server(input = Json)]
pub async fn end_chat(chat: ChatId, reason: ChatEndReason) -> Result<(), ServerFnError> {
    use super::caller::{refused, Caller};
    let caller = Caller::identify().await?;
    caller
        .presence
        .end_chat(caller.user.id, chat, reason)
        .await
        .map_err(refused)
}

/// The chat with the partner.
#[component]
pub fn ChatScreen(presence: PresenceController, chat: Chat) -> impl IntoView {
    let me = presence
        .state
        .with_untracked(|s| s.me.as_ref().map(|me| me.id));
    let partner = me
        .map(|me| chat.partner(me).name.to_string())
        .unwrap_or_default();
    let chat_id = chat.id;
    let end = move || presence.act(end_chat(chat_id, ChatEndReason::Ended), |()| {});
    let audio_only = chat.options.audio_only;
    let title = if audio_only {
        format!("Audio chat with {partner}")
    } else {
        format!("Chat with {partner}")
    };
    let waiting = format!("Connecting to {partner}…");
    let call = move || {
        view! {
            <CallView
                call=presence.call
                title=title.clone()
                leave_label="End chat"
                on_leave=Callback::new(move |()| end())
            >
                <RecordingControls presence chat=chat_id/>
            </CallView>
        }
        .into_any()
    };
    let failure = Memo::new(move |_| presence.state.with(|s| s.chat_failure.clone()));
    let connecting = move || {
        let status = match failure.get() {
            Some(why) => view! { <p class="error" role="alert">{why}</p> }.into_any(),
            None => view! {
                <p class="status" role="status">
                    <span class="spinner" aria-hidden="true"></span>{waiting.clone()}
                </p>
            }
            .into_any(),
        };
        view! {
            <section class="card chat-waiting">
                {status}
                <button type="button" class="danger" on:click=move |_| end()>"End chat"</button>
            </section>
        }
        .into_any()
    };
    view! {
        <div class="chat" data-testid="chat">
            {move || presence.action_error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            {move || if presence.chat_live.get() { call() } else { connecting() }}
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audio_only_chats_open_no_camera() {
        let video = media_for(&CallOptions::default());
        assert_eq!(video.camera.as_deref(), Some(""));
        assert_eq!(video.microphone.as_deref(), Some(""));
        let audio = media_for(&CallOptions {
            audio_only: true,
            accept_after: None,
        });
        assert_eq!(audio.camera, None);
        assert!(audio.publishes());
    }
}
