//! `/presence` — seed 000's presence chat, decided by the server: join
//! under a name (a reload rejoins), see who else is online and in which
//! state, invite one of them (audio only, auto-accept), answer invitations,
//! and talk 1:1 by video — with mute, recording and "End chat". Every state
//! change is asked of the server and rendered from its events; closing the
//! tab is leaving (the server notices the socket close).

mod buddies;
#[cfg(feature = "ssr")]
mod caller;
mod chat;
mod controller;
#[cfg(test)]
mod fixtures;
mod incoming;
mod join;
mod notices;
mod outgoing;
mod recording;
mod state;
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
mod watch;

#[cfg(feature = "hydrate")]
mod api;
#[cfg(feature = "hydrate")]
mod chat_call;
#[cfg(feature = "hydrate")]
mod ring;

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::top_bar::TopBar;
use crate::platform::{get_platform_info, PlatformInfo};
use buddies::BuddyList;
use chat::ChatScreen;
use controller::{Phase, PresenceController};
use incoming::IncomingCalls;
use join::JoinModal;
use outgoing::OutgoingCall;

/// The `/presence` page: the header says who you are, the rest by phase.
#[component]
pub fn PresencePage() -> impl IntoView {
    let info = OnceResource::new(get_platform_info());
    let presence = PresenceController::new();
    let my_name = Memo::new(move |_| presence.my_name());
    #[cfg(feature = "hydrate")]
    on_cleanup(move || presence.leave());
    view! {
        <Title text="Presence chat · Rendezvous"/>
        <TopBar>
            <span class="user-info">
                {move || match my_name.get() {
                    Some(name) => view! {
                        <span class="badge ok" data-testid="presence-user" title="You are online">{name}</span>
                    }.into_any(),
                    None => view! {
                        <span class="badge muted" data-testid="presence-user">"Not connected"</span>
                    }.into_any(),
                }}
                <a class="badge muted" href="/">"Home"</a>
            </span>
        </TopBar>
        <main class="page presence">
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match info.await {
                        Ok(info) => view! { <Presence presence info/> }.into_any(),
                        Err(_) => view! {
                            <p class="error" role="alert">"The server's video settings could not be loaded. Reload the page."</p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

fn loading() -> impl IntoView {
    view! { <p class="status" role="status"><span class="spinner" aria-hidden="true"></span>"Connecting…"</p> }
}

/// The page once the platform is known: modal, lobby or chat, by phase.
#[component]
fn Presence(presence: PresenceController, info: PlatformInfo) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    Effect::new(move |started: Option<()>| {
        if started.is_none() {
            presence.start(info.clone());
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = info;
    let chat = Memo::new(move |_| presence.state.with(|s| s.chat.clone()));
    let screen = Memo::new(move |_| match presence.phase.get() {
        Phase::Checking => Screen::Checking,
        Phase::NeedName | Phase::Joining => Screen::Join,
        Phase::Online if chat.with(Option::is_some) => Screen::Chat,
        Phase::Online => Screen::Lobby,
        Phase::Offline(_) => Screen::Offline,
    });
    view! {
        <Show when=move || presence.reconnecting.get()>
            <p class="banner" role="status"><span class="spinner" aria-hidden="true"></span>"Connection lost — reconnecting…"</p>
        </Show>
        {move || match screen.get() {
            Screen::Checking => loading().into_any(),
            Screen::Join => view! { <JoinModal presence/> }.into_any(),
            Screen::Lobby => view! { <Lobby presence/> }.into_any(),
            Screen::Chat => match chat.get() {
                Some(chat) => view! { <ChatScreen presence chat/> }.into_any(),
                None => ().into_any(),
            },
            Screen::Offline => view! { <Offline presence/> }.into_any(),
        }}
    }
    .into_any()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Screen {
    Checking,
    Join,
    Lobby,
    Chat,
    Offline,
}

/// Notices, invitations and the buddy list.
#[component]
fn Lobby(presence: PresenceController) -> impl IntoView {
    let notice = Memo::new(move |_| presence.state.with(|s| s.notice.clone()));
    let outgoing = Memo::new(move |_| presence.state.with(|s| s.outgoing.clone()));
    let dismiss = move |_| presence.state.update(|s| s.notice = None);
    view! {
        {move || notice.get().map(|notice| view! {
            <div class="notice-bar" role="status" data-testid="notice">
                <span>{notice.text}</span>
                {notice.archive.map(|archive| view! {
                    <a href=recording::archive_href(&archive) target="_blank">"View the recording"</a>
                })}
                <button type="button" class="link" aria-label="Dismiss" on:click=dismiss>"×"</button>
            </div>
        })}
        {move || presence.action_error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        {move || outgoing.get().map(|invitation| view! {
            <OutgoingCall presence invitation/>
        })}
        <IncomingCalls presence/>
        <BuddyList presence/>
    }
    .into_any()
}

/// The presence link ended.
#[component]
fn Offline(presence: PresenceController) -> impl IntoView {
    let why = move || match presence.phase.get() {
        Phase::Offline(why) => why,
        _ => String::new(),
    };
    let again = move |_| {
        presence.phase.set(Phase::Checking);
        #[cfg(feature = "hydrate")]
        if let Some(info) = presence.platform.get_value() {
            presence.start(info);
        }
    };
    view! {
        <section class="card goodbye">
            <h1>{why}</h1>
            <button type="button" class="primary" on:click=again>"Reconnect"</button>
        </section>
    }
    .into_any()
}
