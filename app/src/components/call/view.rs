//! The call view: a "reconnecting…" banner when the link dropped, the
//! heading with the people count and the "● Recording" indicator every
//! participant sees while the call is recorded, the participant grid (own
//! tile first), and the controls — microphone, camera, whatever the page
//! adds (children), and the button that leaves.

use leptos::prelude::*;

use super::controller::CallController;
use super::recording::RecordingIndicator;
use super::tile::{OwnTile, RemoteTile};

#[component]
pub fn CallView(
    call: CallController,
    /// The heading above the grid.
    #[prop(into)]
    title: String,
    /// The leave button's text ("Leave", "End chat").
    leave_label: &'static str,
    /// Runs when the leave button is pressed.
    on_leave: Callback<()>,
    /// Extra controls and notices (e.g. recording).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let toggle_mic = move |_| {
        #[cfg(feature = "hydrate")]
        call.set_mic(!call.mic_on.get_untracked());
    };
    let toggle_camera = move |_| {
        #[cfg(feature = "hydrate")]
        call.set_camera(!call.camera_on.get_untracked());
    };
    let has_mic = move || call.publishing.get() && call.choice.get().microphone.is_some();
    let has_camera = move || call.publishing.get() && call.choice.get().camera.is_some();
    let count = move || call.participants.with(|p| p.people.len()) + 1;
    view! {
        <section class="call" aria-label="Video call">
            <Show when=move || call.reconnecting.get()>
                <p class="banner" role="status">
                    <span class="spinner" aria-hidden="true"></span>
                    "Connection lost — reconnecting…"
                </p>
            </Show>
            {move || call.publish_error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <div class="call-head">
                <h1>{title}</h1>
                <span class="muted" data-testid="participant-count">
                    {move || match count() { 1 => "Only you so far".to_owned(), n => format!("{n} people") }}
                </span>
                <RecordingIndicator call/>
            </div>
            <div class="tiles" data-count=count>
                <OwnTile call/>
                <For
                    each=move || call.participants.get().people
                    key=|p| p.tile_key()
                    let:participant
                >
                    <RemoteTile call participant/>
                </For>
            </div>
            <div class="controls">
                <button
                    type="button"
                    class="toggle"
                    aria-pressed=move || call.mic_on.get().to_string()
                    disabled=move || !has_mic()
                    on:click=toggle_mic
                >
                    {move || if call.mic_on.get() { "Mute microphone" } else { "Unmute microphone" }}
                </button>
                <button
                    type="button"
                    class="toggle"
                    aria-pressed=move || call.camera_on.get().to_string()
                    disabled=move || !has_camera()
                    on:click=toggle_camera
                >
                    {move || if call.camera_on.get() { "Turn camera off" } else { "Turn camera on" }}
                </button>
                {children.map(|children| children())}
                <button type="button" class="danger" on:click=move |_| on_leave.run(())>{leave_label}</button>
            </div>
        </section>
    }
}
