//! The parts of a camera preview that both pre-call pages show (the rooms
//! lobby, the representatives' console): the `<video>` with what it shows
//! put in words over it ([`PreviewScreen`]), and a labelled camera or
//! microphone picker that records the choice ([`DevicePicker`]).

use leptos::prelude::*;

use super::{DeviceOption, DeviceOptions, Preview};
use crate::components::call::MediaChoice;

/// Which kind of device a picker chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Device {
    /// A camera.
    Camera,
    /// A microphone.
    Microphone,
}

impl Device {
    /// The picker's label and its "none" option's text.
    fn words(self) -> (&'static str, &'static str) {
        match self {
            Device::Camera => ("Camera", "No camera"),
            Device::Microphone => ("Microphone", "No microphone"),
        }
    }

    /// The chosen device of this kind (`None`: none).
    fn chosen(self, choice: &MediaChoice) -> Option<String> {
        match self {
            Device::Camera => choice.camera.clone(),
            Device::Microphone => choice.microphone.clone(),
        }
    }

    /// Records the picker's `value` ("none": no device) in `choice`.
    fn pick(self, choice: &mut MediaChoice, value: String) {
        let value = (value != "none").then_some(value);
        match self {
            Device::Camera => choice.camera = value,
            Device::Microphone => choice.microphone = value,
        }
    }
}

/// The preview `<video>`, with "Starting your camera…", "Camera off" or
/// "No camera" over it until the camera shows.
#[component]
pub fn PreviewScreen(
    /// Where the preview media plays.
    video: NodeRef<leptos::html::Video>,
    /// What the preview shows.
    preview: RwSignal<Preview>,
    /// The devices chosen (no camera: "Camera off").
    choice: RwSignal<MediaChoice>,
) -> impl IntoView {
    view! {
        <div class="preview">
            <video class="video-feed self" node_ref=video muted autoplay playsinline></video>
            {move || match preview.get() {
                Preview::Starting => view! {
                    <p class="overlay status" role="status">
                        <span class="spinner" aria-hidden="true"></span>"Starting your camera…"
                    </p>
                }.into_any(),
                Preview::Live if choice.get().camera.is_some() => ().into_any(),
                Preview::Off | Preview::Live => view! { <p class="overlay">"Camera off"</p> }.into_any(),
                Preview::Blocked(_) => view! { <p class="overlay">"No camera"</p> }.into_any(),
            }}
        </div>
    }
}

/// A labelled picker of a camera or microphone (the `<label>` and the
/// `<select>` with id `id`): picking records the device in `choice`, then
/// `on_pick` runs (to reopen the preview with it).
#[component]
pub fn DevicePicker(
    /// The `<select>`'s id.
    id: &'static str,
    /// Cameras or microphones.
    device: Device,
    /// The ones found.
    devices: RwSignal<Vec<DeviceOption>>,
    /// The devices chosen.
    choice: RwSignal<MediaChoice>,
    /// After a pick.
    on_pick: Callback<()>,
) -> impl IntoView {
    let (label, none) = device.words();
    let selected = Signal::derive(move || choice.with(|c| device.chosen(c)));
    let pick = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        choice.update(|c| device.pick(c, value));
        on_pick.run(());
    };
    view! {
        <label for=id>{label}</label>
        <select id=id on:change=pick>
            <DeviceOptions devices selected none/>
        </select>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pick_sets_its_kind_of_device_and_none_clears_it() {
        let mut choice = MediaChoice::default();
        Device::Camera.pick(&mut choice, "cam-1".into());
        Device::Microphone.pick(&mut choice, "mic-1".into());
        assert_eq!(choice.camera.as_deref(), Some("cam-1"));
        assert_eq!(choice.microphone.as_deref(), Some("mic-1"));
        Device::Camera.pick(&mut choice, "none".into());
        assert_eq!(Device::Camera.chosen(&choice), None);
        assert_eq!(Device::Microphone.chosen(&choice).as_deref(), Some("mic-1"));
    }
}
