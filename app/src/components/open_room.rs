//! "Video rooms": pick a room name and go to its page, `/rooms/{name}`,
//! where people meet by video. Validated like `GET /room/{name}`.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::components::card::Card;
use crate::models::RoomName;

#[component]
pub fn OpenRoom() -> impl IntoView {
    let (name, set_name) = signal(String::from("demo"));
    let (error, set_error) = signal(None::<&'static str>);
    let navigate = use_navigate();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let room = match RoomName::parse(&name.get_untracked()) {
            Ok(room) => room,
            Err(_) => {
                set_error.set(Some(
                    "A room name is 1–100 letters, digits, spaces, '-', '_' or '.'.",
                ));
                return;
            }
        };
        set_error.set(None);
        #[cfg(feature = "hydrate")]
        let room = String::from(js_sys::encode_uri_component(room.as_str()));
        #[cfg(not(feature = "hydrate"))]
        let room = room.as_str().to_owned();
        navigate(&format!("/rooms/{room}"), Default::default());
    };
    view! {
        <Card id="open-room" title="Video rooms">
            <p class="muted">
                "Meet by video in a named room: everyone who opens the same name joins the same call. "
                "Try it in two windows — " <a href="/rooms/demo">"/rooms/demo"</a> "."
            </p>
            <form class="inline-form" on:submit=on_submit>
                <label class="sr-only" for="open-room-name">"Video room name"</label>
                <input
                    id="open-room-name"
                    maxlength="100"
                    autocomplete="off"
                    prop:value=move || name.get()
                    on:input=move |ev| set_name.set(event_target_value(&ev))
                />
                <button type="submit" class="primary">"Open room"</button>
            </form>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </Card>
    }
}
