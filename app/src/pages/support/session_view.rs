//! The help session on screen, from the own video starting to the end of
//! the call: a status card (joining the queue; "You are number N in line"
//! with the estimated wait and Cancel; "X is joining…"; "You are talking
//! with X") above the shared call view, which shows the own video while
//! waiting and both videos in the call. The call view stays mounted
//! throughout, so the own video is published once.

use leptos::prelude::*;

use super::controller::SupportController;
use super::state::Phase;
use crate::components::call::CallView;

/// The status card and the call.
#[component]
pub fn SessionView(support: SupportController) -> impl IntoView {
    let phase = Memo::new(move |_| support.phase());
    // The call view's own leave button ("End") only counts in the call;
    // before it, the status card's Cancel leaves (see the CSS).
    let data_phase = move || match phase.get() {
        Phase::Waiting => "waiting",
        Phase::Answered => "answered",
        Phase::InCall => "in-call",
        _ => "joining",
    };
    let rep = move || {
        support
            .state
            .with(|s| s.rep_name.clone())
            .unwrap_or_else(|| "A representative".into())
    };
    let cancel = move |_| {
        #[cfg(feature = "hydrate")]
        support.cancel();
    };
    let end = Callback::new(move |()| {
        #[cfg(feature = "hydrate")]
        support.end();
    });
    // Type-erased: the call view's type is deep, and nested in this one it
    // would exceed the compiler's query depth.
    let call = view! {
        <CallView call=support.call title="Your video call" leave_label="End" on_leave=end/>
    }
    .into_any();
    view! {
        <div class="support-session" data-phase=data_phase>
            <section class="card support-status" data-testid="support-status">
                {move || match phase.get() {
                    Phase::Waiting => view! { <Place support/> }.into_any(),
                    Phase::Answered => view! {
                        <p class="status big" role="status" data-testid="rep-joining">
                            <span class="spinner" aria-hidden="true"></span>
                            {move || format!("{} is joining…", rep())}
                        </p>
                    }.into_any(),
                    Phase::InCall => view! {
                        <p class="big" role="status" data-testid="in-call">
                            "You are talking with " <strong>{rep}</strong> "."
                        </p>
                    }.into_any(),
                    Phase::Publishing => spinner("Starting your camera…").into_any(),
                    _ => spinner("Joining the queue…").into_any(),
                }}
                <Show when=move || phase.get() != Phase::InCall>
                    <button type="button" class="cancel" on:click=cancel>"Cancel"</button>
                </Show>
            </section>
            {call}
        </div>
    }
}

fn spinner(text: &'static str) -> impl IntoView {
    view! {
        <p class="status big" role="status">
            <span class="spinner" aria-hidden="true"></span>
            {text}
        </p>
    }
}

/// "You are number N in line", the estimate, and what happens next.
#[component]
fn Place(support: SupportController) -> impl IntoView {
    let texts = Memo::new(move |_| support.state.with(|s| s.waiting_text()));
    view! {
        <div class="queue-place" role="status">
            <span class="spinner" aria-hidden="true"></span>
            <div>
                <p class="big" data-testid="queue-position">{move || texts.get().0}</p>
                <p class="muted" data-testid="queue-wait">{move || texts.get().1}</p>
            </div>
        </div>
        <p class="muted">"A representative will join you here. Please keep this page open."</p>
    }
}
