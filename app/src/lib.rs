//! The Rendezvous user interface and the types it shares with the server.
//!
//! Compiled twice: with `ssr` into the server (rendering pages, running
//! server functions) and with `hydrate` into the browser bundle (making the
//! server-rendered HTML interactive). Server functions live beside the
//! components that call them; server-only code sits behind `ssr`.

pub mod accounts;
#[cfg(feature = "hydrate")]
pub mod api;
pub mod archives;
pub mod components;
pub mod help;
pub mod hub_protocol;
pub mod models;
pub mod pages;
pub mod platform;
pub mod presence;
#[cfg(feature = "ssr")]
pub mod server_errors;
pub mod video;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

pub use platform::PlatformInfo;

/// The HTML document around every page (server side only).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The root component: routes of the app.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/rendezvous.css"/>
        <Title text="Rendezvous"/>
        <Router>
            <Routes fallback=pages::not_found::NotFound>
                <Route path=path!("/") view=pages::landing::Landing/>
                <Route path=path!("/rooms/:name") view=pages::room::RoomPage/>
                // Rendered whole: the list and its filters work without JavaScript.
                <Route path=path!("/archives") view=pages::archives::ArchivesPage ssr=leptos_router::SsrMode::Async/>
                <Route path=path!("/presence") view=pages::presence::PresencePage/>
                // Rendered whole before sending: the charts read without JavaScript.
                <Route path=path!("/rep/metrics") view=pages::rep::metrics::MetricsPage ssr=leptos_router::SsrMode::Async/>
                <Route path=path!("/support") view=pages::support::SupportPage/>
                <Route path=path!("/rep") view=pages::rep::RepPage/>
            </Routes>
        </Router>
    }
}
