//! The list under the filters: how many recordings match (and the limits
//! of the search), the table, and the empty states. It keeps the listing
//! in a signal and refreshes it in place — every 3 seconds while some
//! recording is still recording or being processed, after a deletion and
//! on demand — so rows that did not change (and a video playing in one)
//! stay as they are.

use leptos::prelude::*;
use uuid::Uuid;

use super::list_archives;
use super::row::ArchiveRow;
use crate::archives::{ArchiveListing, RawFilter, SHOW_LIMIT};
use crate::components::failure::failure_text;

/// How often a listing with pending recordings is refreshed, in ms.
#[cfg(feature = "hydrate")]
const PENDING_REFRESH_MS: u64 = 3_000;

/// "1 recording", "12 recordings".
fn recordings(count: u64) -> String {
    match count {
        1 => "1 recording".into(),
        n => format!("{n} recordings"),
    }
}

/// The sentence over the table: the count and what the search left out.
pub fn summary_text(listing: &ArchiveListing) -> String {
    let mut text = if listing.matched as usize > listing.items.len() {
        format!(
            "{} match; the newest {} are shown — narrow the filters to see the others.",
            recordings(listing.matched),
            SHOW_LIMIT
        )
    } else {
        format!("{}.", recordings(listing.matched))
    };
    if listing.searched_partly() {
        text.push_str(&format!(
            " Only the newest {} of {} were searched.",
            listing.scanned, listing.total
        ));
    }
    text
}

/// The matching recordings for the query `raw`.
#[component]
pub fn Results(initial: ArchiveListing, raw: RawFilter, staff: bool) -> impl IntoView {
    let listing = RwSignal::new(initial);
    let playing = RwSignal::new(None::<Uuid>);
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let raw = StoredValue::new(raw);
    let refresh = move || {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let answer = list_archives(raw.get_value()).await;
            let _ = busy.try_set(false);
            match answer {
                Ok(fresh) => {
                    let _ = listing.try_set(fresh);
                    let _ = problem.try_set(None);
                }
                Err(failure) => {
                    let _ = problem.try_set(Some(failure_text(&failure)));
                }
            }
        });
    };
    #[cfg(feature = "hydrate")]
    {
        let every = std::time::Duration::from_millis(PENDING_REFRESH_MS);
        let tick = move || {
            if listing.with_untracked(ArchiveListing::any_pending) {
                refresh();
            }
        };
        if let Ok(timer) = set_interval_with_handle(tick, every) {
            on_cleanup(move || timer.clear());
        }
    }
    let on_deleted = Callback::new(move |id: Uuid| {
        playing.update(|p| {
            if *p == Some(id) {
                *p = None;
            }
        });
        listing.update(|l| {
            l.items.retain(|archive| archive.id != id);
            l.matched = l.matched.saturating_sub(1);
            l.total = l.total.saturating_sub(1);
        });
        refresh();
    });
    let filtered = !raw.with_value(RawFilter::is_empty);
    let rows = move || listing.with(|l| l.items.clone());
    view! {
        <div class="results-head">
            <p class="muted results-summary" data-testid="archives-summary">
                {move || listing.with(summary_text)}
            </p>
            <Show when=move || listing.with(ArchiveListing::any_pending)>
                <p class="status refreshing" role="status">
                    <span class="spinner" aria-hidden="true"></span>
                    "Updating every 3 seconds while a recording is in progress."
                </p>
            </Show>
            <button type="button" on:click=move |_| refresh() disabled=move || busy.get()>"Refresh"</button>
        </div>
        {move || problem.get().map(|p| view! {
            <p class="error" role="alert">"The list could not be refreshed: " {p}</p>
        })}
        <Show
            when=move || listing.with(|l| !l.items.is_empty())
            fallback=move || view! { <Empty filtered/> }
        >
            <table class="archives-table" data-testid="archives-table">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Session"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Duration"</th>
                        <th scope="col">"Size"</th>
                        <th scope="col">"Created"</th>
                        <th scope="col"><span class="sr-only">"Actions"</span></th>
                    </tr>
                </thead>
                <For
                    each=rows
                    key=|a| (a.id, a.state, a.size_bytes, a.duration_secs, a.url.clone())
                    let:archive
                >
                    <ArchiveRow archive staff playing on_deleted/>
                </For>
            </table>
        </Show>
    }
}

/// Nothing to list: none at all yet, or none matching the filters.
#[component]
fn Empty(filtered: bool) -> impl IntoView {
    if filtered {
        view! {
            <div class="card empty-state" data-testid="archives-empty">
                <h2>"No recordings match these filters"</h2>
                <p class="muted">"Loosen a filter, or " <a href="/archives">"show every recording"</a> "."</p>
            </div>
        }
        .into_any()
    } else {
        view! {
            <div class="card empty-state" data-testid="archives-empty">
                <h2>"No recordings yet"</h2>
                <p class="muted">
                    "Open a room such as " <a href="/rooms/demo">"/rooms/demo"</a>
                    ", press Record, and the recording appears here a few seconds after you stop."
                </p>
            </div>
        }
        .into_any()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archives::{ArchiveState, ArchiveSummary, OutputKind};

    fn listing(shown: usize, matched: u64, scanned: u64, total: u64) -> ArchiveListing {
        let item = ArchiveSummary {
            id: Uuid::from_u128(1),
            name: None,
            session_id: "s".into(),
            state: ArchiveState::Available,
            output: OutputKind::Composed,
            duration_secs: 5,
            size_bytes: 1,
            created_at_ms: 0,
            url: None,
            reason: String::new(),
        };
        ArchiveListing {
            items: vec![item; shown],
            matched,
            scanned,
            total,
        }
    }

    #[test]
    fn the_summary_says_what_was_left_out() {
        assert_eq!(summary_text(&listing(1, 1, 1, 1)), "1 recording.");
        assert_eq!(summary_text(&listing(3, 3, 9, 9)), "3 recordings.");
        assert_eq!(
            summary_text(&listing(100, 340, 2_000, 2_000)),
            "340 recordings match; the newest 100 are shown — narrow the filters to see the others."
        );
        assert_eq!(
            summary_text(&listing(2, 2, 2_000, 5_123)),
            "2 recordings. Only the newest 2000 of 5123 were searched."
        );
    }
}
