//! The join modal: "What's your name?" — 1–50 characters after trimming,
//! checked here with the server's own rules ([`DisplayName`]) and again by
//! the server; Enter submits, errors are said in words, a spinner shows
//! while joining.

use leptos::prelude::*;

use super::controller::{Phase, PresenceController};
use crate::models::DisplayName;

/// The modal; shown while the page needs a name.
#[component]
pub fn JoinModal(presence: PresenceController) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let local_error = RwSignal::new(None::<String>);
    let input = NodeRef::<leptos::html::Input>::new();
    let joining = move || presence.phase.get() == Phase::Joining;
    let error = move || local_error.get().or_else(|| presence.join_error.get());
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(input) = input.get() {
            let _ = input.focus();
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match DisplayName::parse(&name.get_untracked()) {
            Err(problem) => local_error.set(Some(problem.to_string())),
            Ok(display_name) => {
                local_error.set(None);
                #[cfg(feature = "hydrate")]
                presence.join(display_name);
                #[cfg(not(feature = "hydrate"))]
                let _ = display_name;
            }
        }
    };
    view! {
        <div class="modal-backdrop">
            <form
                class="card modal"
                role="dialog"
                aria-modal="true"
                aria-labelledby="join-title"
                on:submit=on_submit
                novalidate
            >
                <h1 id="join-title">"Join presence chat"</h1>
                <p class="muted">"See who is online and invite them to a one-to-one video chat."</p>
                <label for="presence-name">"Your name"</label>
                <input
                    id="presence-name"
                    node_ref=input
                    maxlength="50"
                    autocomplete="nickname"
                    placeholder="How others will see you"
                    prop:value=move || name.get()
                    on:input=move |ev| {
                        name.set(event_target_value(&ev));
                        local_error.set(None);
                        presence.join_error.set(None);
                    }
                    aria-invalid=move || error().is_some().to_string()
                    aria-describedby="presence-name-error"
                    disabled=joining
                />
                <p id="presence-name-error" class="error" role="alert">{error}</p>
                <button type="submit" class="primary join" disabled=joining>
                    {move || if joining() {
                        view! { <span class="spinner" aria-hidden="true"></span>"Joining…" }.into_any()
                    } else {
                        "Join".into_any()
                    }}
                </button>
            </form>
        </div>
    }
}
