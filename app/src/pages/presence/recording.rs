//! Recording a chat: a Record / Stop button for either party, a
//! "● Recording" indicator both see while the server says it records, and a
//! link to the finished archive. Both providers record (the embedded engine
//! taps the routed chat's streams); should a server have no way to record,
//! the button is disabled and says so — never a fake archive.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::controller::PresenceController;
use crate::presence::ChatId;

/// Why the button is disabled where recording is impossible.
pub const UNAVAILABLE: &str = "Recording is not available on this server";

/// Whether this server can record chats.
#[server]
pub async fn can_record() -> Result<bool, ServerFnError> {
    use crate::presence::backend::SharedPresence;
    Ok(use_context::<SharedPresence>().is_some_and(|presence| presence.can_record()))
}

/// A party starts recording the chat; the archive's id.
#[server(input = Json)]
pub async fn start_recording(chat: ChatId) -> Result<String, ServerFnError> {
    use super::caller::{refused, Caller};
    let caller = Caller::identify().await?;
    caller
        .presence
        .start_recording(caller.user.id, chat)
        .await
        .map_err(refused)
}

/// A party stops recording the chat.
#[server(input = Json)]
pub async fn stop_recording(chat: ChatId) -> Result<(), ServerFnError> {
    use super::caller::{refused, Caller};
    let caller = Caller::identify().await?;
    caller
        .presence
        .stop_recording(caller.user.id, chat)
        .await
        .map_err(refused)
}

/// The link to an archive's page.
pub fn archive_href(archive: &str) -> String {
    format!("/archive/{archive}/view")
}

/// The recording button, indicator and link of a chat.
#[component]
pub fn RecordingControls(presence: PresenceController, chat: ChatId) -> impl IntoView {
    let possible = OnceResource::new(can_record());
    let active = move || presence.state.with(|s| s.recording.active.is_some());
    let finished = move || presence.state.with(|s| s.recording.finished.clone());
    let toggle = move |_| {
        if active() {
            presence.act(stop_recording(chat), |()| {});
        } else {
            presence.act(start_recording(chat), |_| {});
        }
    };
    view! {
        <Suspense fallback=|| view! { <button type="button" disabled>"Record"</button> }>
            {move || Suspend::new(async move {
                let possible = possible.await.unwrap_or(false);
                view! {
                    <button
                        type="button"
                        class="record"
                        aria-pressed=move || active().to_string()
                        disabled=move || !possible || presence.busy.get()
                        title=(!possible).then_some(UNAVAILABLE)
                        on:click=toggle
                    >
                        {move || if active() { "Stop recording" } else { "Record" }}
                    </button>
                    {(!possible).then(|| view! { <span class="muted record-note">{UNAVAILABLE}</span> })}
                }
            })}
        </Suspense>
        // The call view shows the session's own indicator; this one covers
        // the moments the server has said so and the session not yet.
        <Show when=move || active() && !presence.call.recording.with(|r| r.is_recording())>
            <span class="recording" role="status" data-testid="recording">
                <span class="recording-dot" aria-hidden="true"></span>
                "Recording"
            </span>
        </Show>
        {move || finished().map(|archive| view! {
            <a class="archive-link" href=archive_href(&archive) target="_blank">"View the recording"</a>
        })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archive_links() {
        assert_eq!(archive_href("a-1"), "/archive/a-1/view");
    }
}
