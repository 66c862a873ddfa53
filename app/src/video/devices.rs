//! Cameras and microphones: listing them, opening them (for the preview
//! and for publishing on the local backend), attaching a stream to a
//! `<video>`, and turning `getUserMedia` failures into [`VideoError`]s a
//! person understands.

use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    HtmlMediaElement, MediaDeviceInfo, MediaDeviceKind, MediaDevices, MediaStream,
    MediaStreamConstraints, MediaStreamTrack,
};

use super::VideoError;

/// A camera or a microphone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    /// The `deviceId` to open it with.
    pub id: String,
    /// Its label (empty until the page was allowed to use a device).
    pub label: String,
    /// Camera or microphone.
    pub kind: DeviceKind,
}

/// What a [`Device`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceKind {
    /// A camera.
    Camera,
    /// A microphone.
    Microphone,
}

fn media_devices() -> Result<MediaDevices, VideoError> {
    let navigator = web_sys::window()
        .ok_or_else(|| VideoError::Unsupported("no window".into()))?
        .navigator();
    navigator
        .media_devices()
        .map_err(|_| VideoError::Unsupported("camera access needs HTTPS or localhost".into()))
}

/// The cameras and microphones of this computer.
pub async fn list_devices() -> Result<Vec<Device>, VideoError> {
    let promise = media_devices()?.enumerate_devices().map_err(media_error)?;
    let list = JsFuture::from(promise).await.map_err(media_error)?;
    let devices = js_sys::Array::from(&list)
        .iter()
        .filter_map(|item| item.dyn_into::<MediaDeviceInfo>().ok())
        .filter_map(|info| {
            let kind = match info.kind() {
                MediaDeviceKind::Videoinput => DeviceKind::Camera,
                MediaDeviceKind::Audioinput => DeviceKind::Microphone,
                _ => return None,
            };
            Some(Device {
                id: info.device_id(),
                label: info.label(),
                kind,
            })
        })
        .collect();
    Ok(devices)
}

/// Constraint for one kind of track: off, the default device, or `device`.
fn track_constraint(wanted: bool, device: Option<&str>) -> JsValue {
    match (wanted, device) {
        (false, _) => JsValue::FALSE,
        (true, None) | (true, Some("")) => JsValue::TRUE,
        (true, Some(id)) => {
            let exact = Object::new();
            let constraint = Object::new();
            // Setting properties on fresh plain objects cannot fail.
            let _ = Reflect::set(&exact, &"exact".into(), &id.into());
            let _ = Reflect::set(&constraint, &"deviceId".into(), &exact);
            constraint.into()
        }
    }
}

/// Opens the microphone and / or camera (the default ones, or the given
/// `deviceId`s). At least one of `audio` and `video` must be wanted.
pub async fn open_media(
    audio: bool,
    audio_device: Option<&str>,
    video: bool,
    video_device: Option<&str>,
) -> Result<MediaStream, VideoError> {
    if !audio && !video {
        return Err(VideoError::NoDevice(
            "neither camera nor microphone was chosen".into(),
        ));
    }
    let constraints = MediaStreamConstraints::new();
    constraints.set_audio(&track_constraint(audio, audio_device));
    constraints.set_video(&track_constraint(video, video_device));
    let promise = media_devices()?
        .get_user_media_with_constraints(&constraints)
        .map_err(media_error)?;
    let stream = JsFuture::from(promise).await.map_err(media_error)?;
    stream
        .dyn_into::<MediaStream>()
        .map_err(|_| VideoError::Unsupported("getUserMedia returned no stream".into()))
}

/// Stops every track of `stream` (the camera light goes off).
pub fn stop_media(stream: &MediaStream) {
    for track in stream.get_tracks().iter() {
        if let Ok(track) = track.dyn_into::<MediaStreamTrack>() {
            track.stop();
        }
    }
}

/// Plays `stream` in `element` (muted when it is this person's own).
pub fn attach(element: &HtmlMediaElement, stream: &MediaStream, muted: bool) {
    element.set_muted(muted);
    element.set_autoplay(true);
    element.set_src_object(Some(stream));
    // Autoplay may be refused before a user gesture; the element then shows its
    // first frame and plays as soon as the page is interacted with.
    if let Ok(promise) = element.play() {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = JsFuture::from(promise).await;
        });
    }
}

/// Turns a `getUserMedia` / `enumerateDevices` rejection into a [`VideoError`].
pub fn media_error(error: JsValue) -> VideoError {
    let name = Reflect::get(&error, &"name".into())
        .ok()
        .and_then(|n| n.as_string())
        .unwrap_or_default();
    let message = Reflect::get(&error, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| name.clone());
    match name.as_str() {
        "NotAllowedError" | "SecurityError" | "PermissionDeniedError" => {
            VideoError::PermissionDenied
        }
        "NotFoundError" | "NotReadableError" | "OverconstrainedError" | "AbortError" => {
            VideoError::NoDevice(message)
        }
        _ => VideoError::Unsupported(message),
    }
}
