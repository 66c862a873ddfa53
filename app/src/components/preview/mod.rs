//! A camera preview before a call (the rooms lobby, the representatives'
//! console): the devices to pick from ([`DeviceOptions`], [`DevicePicker`]),
//! what the preview shows ([`PreviewScreen`]), and — in the browser —
//! `PreviewMedia`, which opens the camera and microphone, shows them in a
//! `<video>` and records which devices a call will publish.

#[cfg(feature = "hydrate")]
mod media;
mod screen;

use leptos::prelude::*;

#[cfg(feature = "hydrate")]
pub use media::PreviewMedia;
pub use screen::{Device, DevicePicker, PreviewScreen};

/// A camera or microphone to pick.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceOption {
    /// Its `deviceId`.
    pub id: String,
    /// What the browser calls it.
    pub label: String,
}

/// What the camera preview shows. (`Live` and `Blocked` are only reached in
/// the browser.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Preview {
    /// Asking for the devices.
    Starting,
    /// Showing the camera (or only the microphone is on).
    Live,
    /// Neither camera nor microphone chosen.
    Off,
    /// The devices could not be opened; why, in words.
    Blocked(String),
}

/// The `<option>`s of a device picker, "none" last.
#[component]
pub fn DeviceOptions(
    /// The cameras or microphones found.
    devices: RwSignal<Vec<DeviceOption>>,
    /// The chosen one's `deviceId` (`None`: none).
    selected: Signal<Option<String>>,
    /// The "none" option's text.
    none: &'static str,
) -> impl IntoView {
    view! {
        <For each=move || devices.get() key=|d| d.id.clone() let:device>
            <option
                value=device.id.clone()
                selected=move || selected.get().as_deref() == Some(device.id.as_str())
            >
                {device.label.clone()}
            </option>
        </For>
        <option value="none" selected=move || selected.get().is_none()>{none}</option>
    }
}
