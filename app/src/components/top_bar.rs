//! The bar at the top of every page: the brand (a link home), the site's
//! navigation (the recordings in `/archives`) and, on the right, whatever
//! the page puts there (the landing page shows the provider).

use leptos::prelude::*;

#[component]
pub fn TopBar(#[prop(optional)] children: Option<Children>) -> impl IntoView {
    view! {
        <header class="topbar">
            <div class="topbar-start">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true"></span>
                    "Rendezvous"
                </a>
                <nav class="topnav" aria-label="Site">
                    <a href="/archives">"Archives"</a>
                </nav>
            </div>
            {children.map(|children| children())}
        </header>
    }
}
