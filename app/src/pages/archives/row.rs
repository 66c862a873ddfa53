//! One archive of the list, as a table body of its own: the row (name and
//! kind, session, status badge, duration, size, creation time, actions)
//! and, while it plays, a row with the player under it. Composed archives
//! play in the page; an individual archive is a zip of separate WebM
//! streams, which the page offers as a download only. Deleting asks for a
//! confirmation in the row, and is only offered to signed-in staff and
//! for archives the platform can delete (available or uploaded).

use leptos::prelude::*;
use uuid::Uuid;

use crate::archives::{
    format_duration, format_size, ArchiveState, ArchiveSummary, OutputKind, RawFilter,
};
use crate::components::failure::failure_text;

use super::when::When;

/// Deletes an archive; signed-in staff only (401 otherwise).
#[server(endpoint = "archives/delete")]
pub async fn delete_archive(id: Uuid) -> Result<(), ServerFnError> {
    use crate::archives::backend::{ArchivesError, SharedArchives};
    use crate::server_errors::refused;
    crate::pages::rep::sign_in::signed_in().await?;
    let archives = use_context::<SharedArchives>().ok_or_else(|| {
        refused(ArchivesError::Unavailable(
            "archives are not kept on this server".into(),
        ))
    })?;
    archives.delete(id).await.map_err(refused)
}

/// The status as a badge; a spinner while it still changes.
#[component]
fn StatusBadge(state: ArchiveState, reason: String) -> impl IntoView {
    let title = (!reason.is_empty()).then_some(reason);
    view! {
        <span class=format!("status-badge {}", state.as_str()) data-testid="archive-status" title=title>
            {state.is_pending().then(|| view! { <span class="spinner" aria-hidden="true"></span> })}
            {state.label()}
        </span>
    }
}

/// The end of a long session id, for the table (the whole id is the title).
fn short_session(session_id: &str) -> String {
    let chars: Vec<char> = session_id.chars().collect();
    if chars.len() <= 12 {
        session_id.to_owned()
    } else {
        format!("…{}", chars[chars.len() - 10..].iter().collect::<String>())
    }
}

/// `—` while nothing is known yet, else the formatted value.
fn known(value: u64, settled: bool, format: fn(u64) -> String) -> String {
    if value == 0 && !settled {
        "—".into()
    } else {
        format(value)
    }
}

/// One archive: its row, and its player while it plays.
#[component]
pub fn ArchiveRow(
    archive: ArchiveSummary,
    /// Whether the viewer is signed-in staff (who may delete).
    staff: bool,
    /// Which archive plays now.
    playing: RwSignal<Option<Uuid>>,
    /// Runs after the archive was deleted.
    on_deleted: Callback<Uuid>,
) -> impl IntoView {
    let id = archive.id;
    let settled = !archive.state.is_pending();
    let confirming = RwSignal::new(false);
    let deleting = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let title = archive.title().to_owned();
    let session_href = RawFilter {
        session: archive.session_id.clone(),
        ..RawFilter::default()
    }
    .href();
    let kind = match archive.output {
        OutputKind::Composed => "One video of the call",
        OutputKind::Individual => "Separate streams (zip)",
    };
    let blocker = if staff {
        archive.state.delete_blocker()
    } else {
        Some("Sign in as staff to delete recordings.")
    };
    let delete = move |_| {
        deleting.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match delete_archive(id).await {
                Ok(()) => on_deleted.run(id),
                Err(failure) => {
                    let _ = error.try_set(Some(failure_text(&failure)));
                    let _ = deleting.try_set(false);
                    let _ = confirming.try_set(false);
                }
            }
        });
    };
    let play_url = archive.playable_url().map(str::to_owned);
    let is_playing = move || playing.get() == Some(id);
    let toggle_play =
        move |_| playing.update(|p| *p = if *p == Some(id) { None } else { Some(id) });
    let play = match (&play_url, archive.output) {
        (Some(_), _) => view! {
            <button type="button" aria-pressed=move || is_playing().to_string() on:click=toggle_play>
                {move || if is_playing() { "Close player" } else { "Play" }}
            </button>
        }
        .into_any(),
        (None, OutputKind::Individual) if archive.download_url().is_some() => view! {
            <span class="muted action-note">"Streams play after download"</span>
        }
        .into_any(),
        _ => ().into_any(),
    };
    let download = archive.download_url().map(|url| {
        view! { <a class="button" href=url.to_owned() download="">"Download"</a> }
    });
    let actions = view! {
        {play}
        {download}
        <Show
            when=move || confirming.get()
            fallback=move || view! {
                <button
                    type="button"
                    class="delete"
                    disabled=blocker.is_some()
                    title=blocker
                    on:click=move |_| confirming.set(true)
                >"Delete"</button>
            }
        >
            <span class="confirm" role="group" aria-label="Confirm deletion">
                <span>"Delete for good?"</span>
                <button type="button" class="danger" disabled=move || deleting.get() on:click=delete>
                    {move || if deleting.get() { "Deleting…" } else { "Yes, delete" }}
                </button>
                <button type="button" disabled=move || deleting.get() on:click=move |_| confirming.set(false)>
                    "Cancel"
                </button>
            </span>
        </Show>
        {(staff && blocker.is_some()).then(|| view! { <span class="muted action-note">{blocker}</span> })}
        {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
    }
    // Type-erased in parts: one nested view type would be too deep for rustc.
    .into_any();
    let row = view! {
        <tr>
            <td data-label="Name" class="archive-name">
                <strong>{title}</strong>
                <span class="muted kind">{kind}</span>
            </td>
            <td data-label="Session" class="session">
                <a href=session_href title=format!("Only session {}", archive.session_id)>
                    <code>{short_session(&archive.session_id)}</code>
                </a>
            </td>
            <td data-label="Status"><StatusBadge state=archive.state reason=archive.reason.clone()/></td>
            <td data-label="Duration" class="number">{known(archive.duration_secs, settled, format_duration)}</td>
            <td data-label="Size" class="number">{known(archive.size_bytes, settled, format_size)}</td>
            <td data-label="Created"><When ms=archive.created_at_ms/></td>
            <td data-label="Actions" class="actions-cell"><div class="actions">{actions}</div></td>
        </tr>
    }
    .into_any();
    let player = play_url.map(|url| {
        view! {
            <Show when=is_playing>
                <tr class="player-row">
                    <td colspan="7">
                        <video class="player" data-testid="archive-player" src=url.clone() controls autoplay playsinline preload="metadata"></video>
                    </td>
                </tr>
            </Show>
        }
        .into_any()
    });
    view! {
        <tbody class="archive" data-testid="archive-row" data-id=id.to_string() data-status=archive.state.as_str()>
            {row}
            {player}
        </tbody>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_session_ids_keep_their_end() {
        assert_eq!(short_session("1_MX4x"), "1_MX4x");
        assert_eq!(
            short_session("1_MX40NTY3ODkwfn4xNzMyNDE2ODU"),
            "…zMyNDE2ODU"
        );
    }

    #[test]
    fn unknown_figures_show_a_dash_until_settled() {
        assert_eq!(known(0, false, format_duration), "—");
        assert_eq!(known(0, true, format_duration), "0:00");
        assert_eq!(known(2_400_000, false, format_size), "2.4 MB");
    }
}
