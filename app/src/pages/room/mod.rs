//! `/rooms/:name` — the person-facing side of `GET /room/:name`: a lobby
//! (name, camera preview, device choice), then the call (participant grid,
//! mute, recording with an indicator everyone sees, Leave). The same page runs on the embedded engine or on OpenTok.js;
//! the server's [`PlatformInfo`] picks the video backend.

mod controller;
mod lobby;
mod recording;
mod state;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::components::call::CallView;
use crate::components::top_bar::TopBar;
use crate::platform::{get_platform_info, PlatformInfo};
use controller::RoomController;
use lobby::Lobby;
use recording::RoomRecording;
use state::Phase;

#[component]
pub fn RoomPage() -> impl IntoView {
    let params = use_params_map();
    let room_name = params.with_untracked(|p| p.get("name").unwrap_or_default());
    let info = OnceResource::new(get_platform_info());
    let title = format!("{room_name} · Rendezvous");
    let room = RoomController::new(room_name);
    view! {
        <Title text=title/>
        <TopBar>
            <a class="badge muted" href="/">"Home"</a>
        </TopBar>
        <main class="page wide">
            <Suspense fallback=|| view! {
                <p class="status" role="status"><span class="spinner" aria-hidden="true"></span>"Loading…"</p>
            }>
                {move || Suspend::new(async move {
                    match info.await {
                        Ok(info) => view! { <Room room info/> }.into_any(),
                        Err(_) => view! {
                            <p class="error" role="alert">"The server's video settings could not be loaded. Reload the page."</p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

/// Lobby, call or goodbye, by phase.
#[component]
fn Room(room: RoomController, info: PlatformInfo) -> impl IntoView {
    // Which view shows; a memo, so joining does not rebuild the lobby.
    let screen = Memo::new(move |_| match room.phase.get() {
        Phase::Lobby | Phase::Joining => Screen::Lobby,
        Phase::InCall => Screen::Call,
        Phase::Left(_) => Screen::Goodbye,
    });
    let why = move || match room.phase.get() {
        Phase::Left(why) => why,
        _ => String::new(),
    };
    view! {
        {move || match screen.get() {
            Screen::Lobby => view! { <Lobby room info=info.clone()/> }.into_any(),
            Screen::Goodbye => view! {
                    <section class="card goodbye">
                        <h1>{why}</h1>
                        <button type="button" class="primary" on:click=move |_| room.phase.set(Phase::Lobby)>
                            "Join again"
                        </button>
                        " "
                        <a href="/">"Back to the start page"</a>
                    </section>
                }.into_any(),
            Screen::Call => view! {
                <CallView
                    call=room.call
                    title=room.room.get_value()
                    leave_label="Leave"
                    on_leave=Callback::new(move |()| {
                        #[cfg(feature = "hydrate")]
                        room.leave();
                    })
                >
                    <RoomRecording room/>
                </CallView>
            }.into_any(),
        }}
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Screen {
    Lobby,
    Call,
    Goodbye,
}
