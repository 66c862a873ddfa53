//! The console during a call: who the customer is and what they need (their
//! own words, always as text), "Connecting to …" until the call's session
//! is up, then the shared [`CallView`] — both videos, mute, and "End call".

use leptos::prelude::*;

use super::controller::RepController;
use crate::components::call::CallView;
use crate::help::Assignment;

/// The customer's card and the call.
#[component]
pub fn CustomerCall(rep: RepController, customer: Assignment) -> impl IntoView {
    let name = customer.customer_name.to_string();
    let title = format!("Call with {name}");
    let connecting = format!("Connecting to {name}…");
    let end = move || {
        #[cfg(feature = "hydrate")]
        rep.end();
    };
    view! {
        <div class="rep-call" data-testid="rep-call">
            <aside class="card customer-card" aria-label="Customer">
                <p class="label">"Customer"</p>
                <h2 data-testid="customer-name">{name}</h2>
                <p class="label">"Problem"</p>
                <p class="problem" data-testid="customer-problem">{customer.problem_text.to_string()}</p>
            </aside>
            {move || if rep.call_live.get() {
                view! {
                    <CallView
                        call=rep.call
                        title=title.clone()
                        leave_label="End call"
                        on_leave=Callback::new(move |()| end())
                    />
                }.into_any()
            } else {
                view! {
                    <section class="card rep-connecting">
                        <p class="status" role="status">
                            <span class="spinner" aria-hidden="true"></span>{connecting.clone()}
                        </p>
                        <button type="button" class="danger" on:click=move |_| end()>"End call"</button>
                    </section>
                }.into_any()
            }}
        </div>
    }
}
