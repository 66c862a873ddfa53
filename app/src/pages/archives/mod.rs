//! `/archives` — every recording of this server's media provider (the
//! embedded engine or the OpenTok cloud), newest first: name, session,
//! status, duration, size and creation time, filtered by the page's GET
//! query ([`filters`]) so that a filtered view is a shareable link. Anyone
//! may list, play (composed recordings, in the page) and download; deleting
//! needs a signed-in staff account (the `rendezvous_staff` cookie of
//! `/rep`). The list comes from the server's `ArchivesBackend` through one
//! server function and refreshes itself while recordings are in progress
//! ([`results`]).

mod filters;
mod results;
mod row;
mod when;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::archives::{ArchiveFilter, ArchiveListing, FilterField, RawFilter};
use crate::components::failure::failure_text;
use crate::components::top_bar::TopBar;
use crate::pages::rep::sign_in::current_account;
use filters::{FieldErrors, FilterForm};
use results::Results;

pub use row::delete_archive;

/// The recordings passing the filters `filter` (the page's query as typed;
/// 400 with the problems in words when a value is bad).
#[server(endpoint = "archives/list", input = server_fn::codec::Json)]
pub async fn list_archives(filter: RawFilter) -> Result<ArchiveListing, ServerFnError> {
    use crate::archives::backend::{ArchivesError, SharedArchives};
    use crate::server_errors::refused;
    let parsed = ArchiveFilter::parse(&filter).map_err(|problems| {
        let words: Vec<String> = problems.iter().map(|(_, e)| e.to_string()).collect();
        refused(ArchivesError::Invalid(words.join(" ")))
    })?;
    let archives = use_context::<SharedArchives>().ok_or_else(|| {
        refused(ArchivesError::Unavailable(
            "archives are not kept on this server".into(),
        ))
    })?;
    archives.list(&parsed).await.map_err(refused)
}

fn loading() -> impl IntoView {
    view! { <p class="status" role="status"><span class="spinner" aria-hidden="true"></span>"Loading recordings…"</p> }
}

/// The `/archives` page.
#[component]
pub fn ArchivesPage() -> impl IntoView {
    let query = use_query_map();
    let raw = Memo::new(move |_| query.with(|q| RawFilter::from_lookup(|key| q.get(key))));
    let errors = Memo::new(move |_| -> FieldErrors {
        raw.with(|r| ArchiveFilter::parse(r).err().unwrap_or_default())
    });
    let listing = Resource::new(
        move || raw.get(),
        |raw| async move {
            if ArchiveFilter::parse(&raw).is_err() {
                return Err(ServerFnError::new("Correct the filters marked above."));
            }
            list_archives(raw).await
        },
    );
    let staff = OnceResource::new(current_account());
    // Type-erased in parts: one nested view type would be too deep for rustc.
    let filters = view! {
        <FilterForm raw errors/>
        {move || errors.with(|all| {
            all.iter()
                .find(|(field, _)| *field == FilterField::TimeZone)
                .map(|(_, error)| view! { <p class="error" role="alert">{error.to_string()}</p> })
        })}
    }
    .into_any();
    let list = view! {
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                let staff = staff.await;
                let signed_in = matches!(staff, Ok(Some(_)));
                let bar = match staff {
                    Ok(Some(account)) => view! {
                        <p class="staff-note">
                            "Signed in as " <strong>{account.username.as_str().to_owned()}</strong>
                            " — you can delete recordings."
                        </p>
                    }.into_any(),
                    _ => view! {
                        <p class="staff-note">
                            <a href="/rep" data-testid="staff-sign-in">"Sign in as staff to delete"</a>
                        </p>
                    }.into_any(),
                };
                let shown = match listing.await {
                    Ok(initial) => view! {
                        <Results initial raw=raw.get_untracked() staff=signed_in/>
                    }.into_any(),
                    Err(failure) => view! {
                        <p class="error" role="alert">
                            "The recordings could not be listed: " {failure_text(&failure)}
                        </p>
                    }.into_any(),
                };
                view! { {bar} {shown} }.into_any()
            })}
        </Transition>
    }
    .into_any();
    view! {
        <Title text="Archives · Rendezvous"/>
        <TopBar>
            <a class="badge muted" href="/">"Home"</a>
        </TopBar>
        <main class="page wide archives">
            <div class="archives-head">
                <h1>"Archives"</h1>
                <p class="muted">
                    "Recordings of rooms and chats. Anyone can watch and download them; "
                    "staff can delete them."
                </p>
            </div>
            {filters}
            {list}
        </main>
    }
}
