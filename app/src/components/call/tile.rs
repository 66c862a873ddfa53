//! Tiles of a call's participant grid: the own tile (the publisher's preview)
//! and one per other participant, with the name, a "microphone off" mark and
//! a "camera off" placeholder driven by the stream's `hasAudio` / `hasVideo`.
//! A remote tile subscribes when it mounts and unsubscribes when removed.

use leptos::prelude::*;

use super::controller::CallController;
use super::state::Participant;

/// The first letter of a name, for the camera-off placeholder.
fn initial(name: &str) -> String {
    name.chars()
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default()
}

/// This person's own tile.
#[component]
pub fn OwnTile(call: CallController) -> impl IntoView {
    let slot = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |published: Option<bool>| {
        if published == Some(true) {
            return true;
        }
        match slot.get() {
            Some(element) => {
                call.publish_into((*element).clone());
                true
            }
            None => false,
        }
    });
    let name = move || format!("{} (you)", call.my_name.get());
    let camera_off = move || !call.camera_on.get();
    view! {
        <figure class="tile own" data-testid="own-tile">
            <div class="media" node_ref=slot></div>
            <Show when=camera_off>
                <div class="placeholder" aria-hidden="true">{move || initial(&call.my_name.get())}</div>
            </Show>
            <figcaption>
                <span class="name">{name}</span>
                <Show when=move || !call.mic_on.get()>
                    <span class="muted-mark" title="Microphone off">"Mic off"</span>
                </Show>
            </figcaption>
        </figure>
    }
}

/// Another participant's tile.
#[component]
pub fn RemoteTile(call: CallController, participant: Participant) -> impl IntoView {
    let slot = NodeRef::<leptos::html::Div>::new();
    let connection_id = participant.connection_id.clone();
    let stream_id = participant.stream.as_ref().map(|s| s.id.clone());
    #[cfg(feature = "hydrate")]
    {
        let subscription = StoredValue::new_local(None::<crate::video::Subscriber>);
        let stream = participant.stream.clone();
        Effect::new(move |done: Option<bool>| {
            if done == Some(true) {
                return true;
            }
            match (slot.get(), stream.clone()) {
                (Some(element), Some(stream)) => {
                    call.subscribe_into(stream, (*element).clone(), subscription);
                    true
                }
                _ => false,
            }
        });
        on_cleanup(move || {
            if let Some(Some(subscriber)) = subscription.try_update_value(Option::take) {
                subscriber.unsubscribe();
            }
        });
    }
    // The live flags of this participant's stream, from the room's list.
    let flags = Memo::new(move |_| {
        call.participants.with(|people| {
            people
                .people
                .iter()
                .find(|p| p.connection_id == connection_id)
                .and_then(|p| p.stream.as_ref())
                .map(|s| (s.has_audio, s.has_video))
        })
    });
    let name = participant.name.clone();
    let letter = initial(&name);
    view! {
        <figure class="tile" data-testid="remote-tile" data-name=name.clone() data-stream=stream_id>
            <div class="media" node_ref=slot></div>
            <Show when=move || !matches!(flags.get(), Some((_, true)))>
                <div class="placeholder" aria-hidden="true">{letter.clone()}</div>
            </Show>
            <figcaption>
                <span class="name">{name.clone()}</span>
                {move || match flags.get() {
                    None => view! { <span class="muted-mark" title="Not sending video or audio">"No media"</span> }.into_any(),
                    Some((false, _)) => view! { <span class="muted-mark" data-testid="remote-mic-off" title="Microphone off">"Mic off"</span> }.into_any(),
                    Some((true, _)) => ().into_any(),
                }}
                <Show when=move || matches!(flags.get(), Some((_, false)))>
                    <span class="muted-mark" data-testid="remote-camera-off" title="Camera off">"Camera off"</span>
                </Show>
            </figcaption>
        </figure>
    }
}
