//! The landing page: what Rendezvous is, which media provider this instance
//! runs on, the ways in (video rooms, presence chat, customer service, the
//! recordings), a live "try a room" panel, and the HTTP APIs it serves.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::api_reference::ApiReference;
use crate::components::card::Card;
use crate::components::open_room::OpenRoom;
use crate::components::top_bar::TopBar;
use crate::components::try_room::TryRoom;
use crate::platform::{get_platform_info, PlatformInfo};

#[component]
pub fn Landing() -> impl IntoView {
    let info = OnceResource::new(get_platform_info());
    view! {
        <Title text="Rendezvous · live video rooms"/>
        <TopBar>
            <Suspense fallback=|| view! { <span class="badge muted">"…"</span> }>
                {move || Suspend::new(async move {
                    match info.await {
                        Ok(info) => view! { <ProviderBadge info/> }.into_any(),
                        Err(_) => view! { <span class="badge warn">"Provider unknown"</span> }.into_any(),
                    }
                })}
            </Suspense>
        </TopBar>
        <main class="page">
            <section class="hero">
                <h1>"Live video, your way."</h1>
                <p class="lead">
                    "Rendezvous brings presence with one-to-one video chat, named rooms with "
                    "recording and customer-service video queues together in one app. It runs on "
                    "Vonage / OpenTok when you give it credentials, and fully offline on its own "
                    "embedded engine when you don't."
                </p>
            </section>
            <div class="grid-2">
                <OpenRoom/>
                <PresenceCard/>
                <SupportCard/>
                <ArchivesCard/>
                <TryRoom/>
            </div>
            <Suspense fallback=|| view! { <ApiReference info=None/> }>
                {move || Suspend::new(async move { view! { <ApiReference info=info.await.ok()/> } })}
            </Suspense>
        </main>
        <footer class="footer">
            <span>"Rendezvous — Rust, Leptos and axum."</span>
            <a href="/healthz">"Health"</a>
        </footer>
    }
}

/// "Presence chat": see who is online and call them one to one.
#[component]
fn PresenceCard() -> impl IntoView {
    view! {
        <Card id="presence-card" title="Presence chat">
            <p class="muted">
                "Pick a name, see who else is online and invite one of them to a one-to-one "
                "video chat — they accept or decline, and either of you can hang up."
            </p>
            <a class="button primary" href="/presence">"Open presence chat"</a>
        </Card>
    }
}

/// "Customer service": wait in line for a representative, then talk by video.
#[component]
fn SupportCard() -> impl IntoView {
    view! {
        <Card id="support-card" title="Customer service">
            <p class="muted">
                "Ask for help by video: say what you need, see your place in the queue and the "
                "estimated wait, and talk face to face when a representative takes your call."
            </p>
            <a class="button primary" href="/support">"Talk to a representative"</a>
            <p class="muted card-footnote">
                "Representatives: " <a href="/rep">"sign in to answer customers"</a> " · "
                <a href="/rep/metrics">"queue metrics"</a>
            </p>
        </Card>
    }
}

/// "Recordings": everything recorded in rooms and chats.
#[component]
fn ArchivesCard() -> impl IntoView {
    view! {
        <Card id="archives-card" title="Recordings">
            <p class="muted">
                "Press Record in a room or a chat; a few seconds after you stop, the recording "
                "plays here — filter by room, status, length, size or date, and download it."
            </p>
            <a class="button primary" href="/archives">"Open the archives"</a>
        </Card>
    }
}

/// Shows the provider this instance uses.
#[component]
fn ProviderBadge(info: PlatformInfo) -> impl IntoView {
    let class = if info.is_local() {
        "badge ok"
    } else {
        "badge cloud"
    };
    view! {
        <span class=class data-testid="provider" title=format!("API key {}", info.api_key)>
            {info.provider_label()}
        </span>
    }
}
