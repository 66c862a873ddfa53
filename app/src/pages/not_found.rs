//! The 404 page, rendered for any path no route matches.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::top_bar::TopBar;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(http::StatusCode::NOT_FOUND);
        }
    }
    view! {
        <Title text="Not found · Rendezvous"/>
        <TopBar/>
        <main class="page narrow">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address."</p>
            <p><a href="/">"Back to Rendezvous"</a></p>
        </main>
    }
}
