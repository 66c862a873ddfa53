//! The bar at the top of every page: the brand (a link home) and, on the
//! right, whatever the page puts there (the landing page shows the provider).

use leptos::prelude::*;

#[component]
pub fn TopBar(#[prop(optional)] children: Option<Children>) -> impl IntoView {
    view! {
        <header class="topbar">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true"></span>
                "Rendezvous"
            </a>
            {children.map(|children| children())}
        </header>
    }
}
