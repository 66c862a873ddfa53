//! The lobby of a room: display name, camera preview, camera and
//! microphone choice, and Join. When access is blocked it says so and
//! offers to join without camera and microphone.

use leptos::prelude::*;

use super::controller::RoomController;
use super::state::Phase;
use crate::components::call::MediaChoice;
use crate::components::preview::{Device, DeviceOption, DevicePicker, Preview, PreviewScreen};
use crate::models::DisplayName;
use crate::platform::PlatformInfo;

/// Where the name is remembered between visits.
#[cfg(feature = "hydrate")]
const NAME_KEY: &str = "rendezvous.name";

#[component]
pub fn Lobby(room: RoomController, info: PlatformInfo) -> impl IntoView {
    let name_error = RwSignal::new(None::<String>);
    let preview = RwSignal::new(Preview::Starting);
    let cameras = RwSignal::new(Vec::<DeviceOption>::new());
    let microphones = RwSignal::new(Vec::<DeviceOption>::new());
    let video = NodeRef::<leptos::html::Video>::new();
    let joining = move || room.phase.get() == Phase::Joining;
    let info = StoredValue::new(info);
    let name_field = NodeRef::<leptos::html::Input>::new();

    #[cfg(feature = "hydrate")]
    let media = crate::components::preview::PreviewMedia::new(
        room.call.choice,
        preview,
        cameras,
        microphones,
        video,
    );
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        // The remembered name, unless the person already typed one.
        if let (Some(field), Some(saved)) = (name_field.get_untracked(), load_name()) {
            if field.value().is_empty() {
                field.set_value(&saved);
            }
        }
        media.start();
    });
    #[cfg(feature = "hydrate")]
    on_cleanup(move || media.stop());

    // The field is not bound to a signal: text typed before hydration must
    // survive it, so the name is read from the field itself.
    let typed = move || {
        name_field
            .get_untracked()
            .map(|field| field.value())
            .unwrap_or_default()
    };
    let submit = move || match DisplayName::parse(&typed()) {
        Err(error) => name_error.set(Some(error.to_string())),
        Ok(display_name) => {
            name_error.set(None);
            #[cfg(feature = "hydrate")]
            {
                save_name(display_name.as_str());
                // Joining before the camera check finished: publish the
                // default devices rather than nothing (a refusal then shows
                // in the call, with the reason).
                if matches!(preview.get_untracked(), Preview::Starting) {
                    room.call.choice.set(MediaChoice::default_devices());
                }
                media.stop();
                room.join(display_name, info.with_value(PlatformInfo::backend));
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = (display_name, info);
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submit();
    };
    let restart = Callback::new(move |()| {
        #[cfg(feature = "hydrate")]
        media.restart();
    });
    let without_media = move |_| {
        room.call.choice.set(MediaChoice::default());
        submit();
    };

    view! {
        <section class="card lobby" aria-labelledby="lobby-title">
            <PreviewScreen video preview choice=room.call.choice/>
            <form class="lobby-form" on:submit=on_submit novalidate>
                <h1 id="lobby-title">"Join " <span class="room-name">{room.room.get_value()}</span></h1>
                <label for="display-name">"Your name"</label>
                <input
                    node_ref=name_field
                    id="display-name"
                    name="name"
                    maxlength="50"
                    autocomplete="nickname"
                    placeholder="How others will see you"
                    on:input=move |_| name_error.set(None)
                    aria-invalid=move || name_error.get().is_some().to_string()
                />
                {move || name_error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <DevicePicker id="camera-select" device=Device::Camera devices=cameras choice=room.call.choice on_pick=restart/>
                <DevicePicker id="microphone-select" device=Device::Microphone devices=microphones choice=room.call.choice on_pick=restart/>
                {move || match preview.get() {
                    Preview::Blocked(why) => view! {
                        <div class="notice" role="alert">
                            <p>{why}</p>
                            <button type="button" on:click=without_media>"Join without camera and microphone"</button>
                        </div>
                    }.into_any(),
                    _ => ().into_any(),
                }}
                {move || room.error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <button type="submit" class="primary join" disabled=joining>
                    {move || if joining() {
                        view! { <span class="spinner" aria-hidden="true"></span>"Joining…" }.into_any()
                    } else {
                        "Join".into_any()
                    }}
                </button>
            </form>
        </section>
    }
}

/// Reads the remembered display name.
#[cfg(feature = "hydrate")]
fn load_name() -> Option<String> {
    let storage = web_sys::window()?.local_storage().ok()??;
    storage.get_item(NAME_KEY).ok()?
}

/// Remembers the display name for the next visit.
#[cfg(feature = "hydrate")]
fn save_name(name: &str) {
    if let Some(Ok(Some(storage))) = web_sys::window().map(|w| w.local_storage()) {
        let _ = storage.set_item(NAME_KEY, name);
    }
}
