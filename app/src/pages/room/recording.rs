//! Recording a room: a Record / Stop recording button for every
//! participant (server functions that start or stop a composed archive of
//! the room's session through the media provider, named after the room),
//! the platform's refusals in words, and once a recording stopped, links
//! to it and to the room's recordings in `/archives`. Whether the room is
//! recorded comes from the session's own events (the "● Recording"
//! indicator of the shared call view), so every participant sees the same.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

use super::controller::RoomController;
use crate::archives::{view_href, ArchiveSummary, RawFilter};
use crate::components::failure::failure_text;
use crate::video::SessionEvent;

#[cfg(feature = "ssr")]
fn backend() -> Result<crate::archives::backend::SharedArchives, ServerFnError> {
    use crate::archives::backend::{ArchivesError, SharedArchives};
    use_context::<SharedArchives>().ok_or_else(|| {
        crate::server_errors::refused(ArchivesError::Unavailable(
            "recording is not set up on this server".into(),
        ))
    })
}

#[cfg(feature = "ssr")]
fn room_name(room: &str) -> Result<crate::models::RoomName, ServerFnError> {
    use crate::archives::backend::ArchivesError;
    crate::models::RoomName::parse(room)
        .map_err(|err| crate::server_errors::refused(ArchivesError::Invalid(err.to_string())))
}

/// Starts recording room `room` (400 nobody connected, 404 no such room,
/// 409 already recording).
#[server(endpoint = "rooms/start_recording", input = Json)]
pub async fn start_room_recording(room: String) -> Result<ArchiveSummary, ServerFnError> {
    let room = room_name(&room)?;
    backend()?
        .start_room_recording(&room)
        .await
        .map_err(crate::server_errors::refused)
}

/// Stops recording `archive` of room `room` (403 another room's, 409
/// already stopped).
#[server(endpoint = "rooms/stop_recording", input = Json)]
pub async fn stop_room_recording(
    room: String,
    archive: Uuid,
) -> Result<ArchiveSummary, ServerFnError> {
    let room = room_name(&room)?;
    backend()?
        .stop_room_recording(&room, archive)
        .await
        .map_err(crate::server_errors::refused)
}

/// The room's recording button, its error, and links to the last recording.
#[component]
pub fn RoomRecording(room: RoomController) -> impl IntoView {
    let call = room.call;
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let current = move || call.recording.with(|r| r.current().map(|a| a.id.clone()));
    // The answer is applied at once; the session's event that follows for
    // everyone changes nothing more.
    let learn = move |event: SessionEvent| {
        let _ = call.recording.try_update(|r| r.apply(&event));
    };
    let toggle = move |_| {
        let name = room.room.get_value();
        let running = current().and_then(|id| Uuid::parse_str(&id).ok());
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let outcome = match running {
                Some(id) => stop_room_recording(name, id).await.map(|archive| {
                    learn(SessionEvent::ArchiveStopped {
                        id: archive.id.to_string(),
                    })
                }),
                None => start_room_recording(name).await.map(|archive| {
                    learn(SessionEvent::ArchiveStarted {
                        id: archive.id.to_string(),
                        name: archive.name,
                    })
                }),
            };
            let _ = busy.try_set(false);
            if let Err(failure) = outcome {
                let _ = error.try_set(Some(failure_text(&failure)));
            }
        });
    };
    let recording = move || current().is_some();
    let last = move || {
        call.recording.with(|r| {
            if r.is_recording() {
                None
            } else {
                r.last_stopped.clone()
            }
        })
    };
    let in_archives = move || {
        RawFilter {
            session: room.session_id.get().unwrap_or_default(),
            ..RawFilter::default()
        }
        .href()
    };
    view! {
        <button
            type="button"
            class="record"
            aria-pressed=move || recording().to_string()
            disabled=move || busy.get()
            on:click=toggle
        >
            {move || match (busy.get(), recording()) {
                (true, false) => "Starting…",
                (true, true) => "Stopping…",
                (false, true) => "Stop recording",
                (false, false) => "Record",
            }}
        </button>
        {move || error.get().map(|e| view! { <p class="error record-error" role="alert">{e}</p> })}
        {move || last().map(|id| view! {
            <span class="recording-links" data-testid="recording-links">
                <a class="archive-link" href=view_href(&id) target="_blank">"View the recording"</a>
                <a class="archive-link" href=in_archives>"Open in Archives"</a>
            </span>
        })}
    }
}
