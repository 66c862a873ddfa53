//! "Try a room": type a room name and get the credentials `GET /room/{name}`
//! hands to OpenTok clients — the same call the OpenTok web samples make.
//! Runs in the browser after hydration; shows a spinner while waiting and
//! the server's message when it refuses.

use leptos::prelude::*;

use crate::components::card::Card;
use crate::models::RoomCredentials;

/// Where the lookup stands. (`Ready` is only reached in the browser.)
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum Lookup {
    Idle,
    Loading,
    Ready(RoomCredentials),
    Failed(String),
}

#[component]
pub fn TryRoom() -> impl IntoView {
    let (name, set_name) = signal(String::from("lobby"));
    let (lookup, set_lookup) = signal(Lookup::Idle);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let room = name.get_untracked().trim().to_owned();
        if room.is_empty() {
            set_lookup.set(Lookup::Failed("Enter a room name first.".into()));
            return;
        }
        set_lookup.set(Lookup::Loading);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            set_lookup.set(match crate::api::fetch_room(&room, None).await {
                Ok(creds) => Lookup::Ready(creds),
                Err(message) => Lookup::Failed(message),
            });
        });
    };

    view! {
        <Card id="try-room" title="Try a room">
            <p class="muted">
                "Every room name maps to one video session that survives restarts. "
                "Ask for a room and you get what an OpenTok client needs to join it."
            </p>
            <form class="inline-form" on:submit=on_submit>
                <label class="sr-only" for="room-name">"Room name"</label>
                <input
                    id="room-name"
                    name="room"
                    maxlength="100"
                    autocomplete="off"
                    placeholder="Room name"
                    prop:value=move || name.get()
                    on:input=move |ev| set_name.set(event_target_value(&ev))
                />
                <button type="submit" class="primary" disabled=move || lookup.get() == Lookup::Loading>
                    "Get credentials"
                </button>
            </form>
            {move || match lookup.get() {
                Lookup::Idle => ().into_any(),
                Lookup::Loading => view! {
                    <p class="status" role="status"><span class="spinner" aria-hidden="true"></span>"Opening the room…"</p>
                }.into_any(),
                Lookup::Failed(message) => view! {
                    <p class="error" role="alert">{message}</p>
                }.into_any(),
                Lookup::Ready(creds) => view! { <Credentials creds/> }.into_any(),
            }}
        </Card>
    }
}

/// The credentials of a room, token shortened for display.
#[component]
fn Credentials(creds: RoomCredentials) -> impl IntoView {
    let short_token = if creds.token.len() > 48 {
        format!("{}…", &creds.token[..48])
    } else {
        creds.token.clone()
    };
    view! {
        <dl class="credentials" data-testid="room-credentials">
            <dt>"API key"</dt><dd><code>{creds.api_key}</code></dd>
            <dt>"Session id"</dt><dd><code data-testid="session-id">{creds.session_id}</code></dd>
            <dt>"Token"</dt><dd><code title=creds.token>{short_token}</code></dd>
        </dl>
    }
}
