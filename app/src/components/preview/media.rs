//! The camera preview in the browser: opens the chosen devices, lists
//! cameras and microphones once access is granted (labels are hidden
//! before), and explains a refusal. Results of a superseded or abandoned
//! attempt are discarded and their devices released.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MediaStream, MediaStreamTrack};

use super::{DeviceOption, Preview};
use crate::components::call::controller::describe;
use crate::components::call::MediaChoice;
use crate::video::devices::{self, DeviceKind};
use crate::video::VideoError;

/// The preview's handles; `Copy` for event handlers.
#[derive(Clone, Copy)]
pub struct PreviewMedia {
    choice: RwSignal<MediaChoice>,
    status: RwSignal<Preview>,
    cameras: RwSignal<Vec<DeviceOption>>,
    microphones: RwSignal<Vec<DeviceOption>>,
    video: NodeRef<leptos::html::Video>,
    stream: StoredValue<Option<MediaStream>, LocalStorage>,
    attempt: StoredValue<u32>,
}

fn device_of(track: Option<MediaStreamTrack>) -> Option<String> {
    track.map(|t| t.get_settings().get_device_id().unwrap_or_default())
}

fn first_track(list: js_sys::Array) -> Option<MediaStreamTrack> {
    list.get(0).dyn_into::<MediaStreamTrack>().ok()
}

impl PreviewMedia {
    /// Handles for the page's signals and `<video>`; `choice` receives the
    /// devices that opened (what the call will publish).
    pub fn new(
        choice: RwSignal<MediaChoice>,
        status: RwSignal<Preview>,
        cameras: RwSignal<Vec<DeviceOption>>,
        microphones: RwSignal<Vec<DeviceOption>>,
        video: NodeRef<leptos::html::Video>,
    ) -> Self {
        PreviewMedia {
            choice,
            status,
            cameras,
            microphones,
            video,
            stream: StoredValue::new_local(None),
            attempt: StoredValue::new(0),
        }
    }

    /// First start: the default camera and microphone, falling back to
    /// whichever of the two exists.
    pub fn start(self) {
        let attempt = self.next_attempt();
        leptos::task::spawn_local(async move {
            let mut result = devices::open_media(true, None, true, None).await;
            if matches!(result, Err(VideoError::NoDevice(_))) {
                result = devices::open_media(false, None, true, None).await;
            }
            if matches!(result, Err(VideoError::NoDevice(_))) {
                result = devices::open_media(true, None, false, None).await;
            }
            if let Ok(stream) = &result {
                let choice = MediaChoice {
                    camera: device_of(first_track(stream.get_video_tracks())),
                    microphone: device_of(first_track(stream.get_audio_tracks())),
                };
                let _ = self.choice.try_set(choice);
            }
            self.show(attempt, result).await;
        });
    }

    /// Re-opens the preview after the person picked other devices.
    pub fn restart(self) {
        self.release();
        let choice = self.choice.get_untracked();
        if !choice.publishes() {
            self.status.set(Preview::Off);
            return;
        }
        self.status.set(Preview::Starting);
        let attempt = self.next_attempt();
        leptos::task::spawn_local(async move {
            let result = devices::open_media(
                choice.microphone.is_some(),
                choice.microphone.as_deref(),
                choice.camera.is_some(),
                choice.camera.as_deref(),
            )
            .await;
            self.show(attempt, result).await;
        });
    }

    /// Releases the devices (the page closes or the person joins a call).
    pub fn stop(self) {
        self.next_attempt();
        self.release();
    }

    fn next_attempt(self) -> u32 {
        self.attempt
            .try_update_value(|n| {
                *n += 1;
                *n
            })
            .unwrap_or(0)
    }

    fn release(self) {
        if let Some(Some(old)) = self.stream.try_update_value(Option::take) {
            devices::stop_media(&old);
        }
        if let Some(video) = self.video.get_untracked() {
            video.set_src_object(None);
        }
    }

    async fn show(self, attempt: u32, result: Result<MediaStream, VideoError>) {
        let current = self.attempt.try_get_value() == Some(attempt);
        let stream = match result {
            Ok(stream) if current => stream,
            Ok(stream) => return devices::stop_media(&stream),
            Err(_) if !current => return,
            Err(error) => {
                let _ = self.choice.try_set(MediaChoice::default());
                let _ = self.status.try_set(Preview::Blocked(describe(&error)));
                return;
            }
        };
        if let Some(video) = self.video.get_untracked() {
            devices::attach(&video, &stream, true);
        }
        if let Some(Some(orphan)) = self.stream.try_set_value(Some(stream)) {
            // The page is gone already.
            return devices::stop_media(&orphan);
        }
        let _ = self.status.try_set(Preview::Live);
        // Labels are only visible once access was granted.
        if let Ok(found) = devices::list_devices().await {
            let pick = |kind: DeviceKind| -> Vec<DeviceOption> {
                found
                    .iter()
                    .filter(|d| d.kind == kind)
                    .enumerate()
                    .map(|(i, d)| DeviceOption {
                        id: d.id.clone(),
                        label: if d.label.is_empty() {
                            format!("Device {}", i + 1)
                        } else {
                            d.label.clone()
                        },
                    })
                    .collect()
            };
            let _ = self.cameras.try_set(pick(DeviceKind::Camera));
            let _ = self.microphones.try_set(pick(DeviceKind::Microphone));
        }
    }
}
