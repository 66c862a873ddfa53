//! The property objects handed to `OT.initPublisher` and
//! `session.subscribe`: typed here, serialised with serde and turned into
//! plain JavaScript objects with `JSON.parse`. OpenTok.js draws into an
//! element it appends to the page's target; its own buttons stay hidden
//! because the page draws its own controls.

use serde::{Serialize, Serializer};
use wasm_bindgen::JsValue;

use crate::video::{PublishOptions, VideoError};

/// Where a publisher's audio or video comes from (`audioSource` /
/// `videoSource`). The default device is the property left out: OpenTok.js
/// reads `null` as "no device".
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Source {
    /// `false`: this kind of track is not captured at all.
    Off,
    /// A `deviceId`.
    Device(String),
}

impl Serialize for Source {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Source::Off => serializer.serialize_bool(false),
            Source::Device(id) => serializer.serialize_str(id),
        }
    }
}

impl Source {
    /// The source for a wanted (or not) track on an optional device.
    fn choose(wanted: bool, device: Option<&str>) -> Option<Source> {
        match (wanted, device) {
            (false, _) => Some(Source::Off),
            (true, None | Some("")) => None,
            (true, Some(id)) => Some(Source::Device(id.to_owned())),
        }
    }
}

/// `OT.initPublisher` properties.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct PublisherProps {
    insert_mode: &'static str,
    width: &'static str,
    height: &'static str,
    name: String,
    publish_audio: bool,
    publish_video: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    audio_source: Option<Source>,
    #[serde(skip_serializing_if = "Option::is_none")]
    video_source: Option<Source>,
    show_controls: bool,
    mirror: bool,
}

impl PublisherProps {
    /// The properties that publish what `options` asks for.
    pub(super) fn new(options: &PublishOptions) -> PublisherProps {
        PublisherProps {
            insert_mode: "append",
            width: "100%",
            height: "100%",
            name: options.name.clone(),
            publish_audio: options.audio,
            publish_video: options.video,
            audio_source: Source::choose(options.audio, options.audio_device.as_deref()),
            video_source: Source::choose(options.video, options.video_device.as_deref()),
            show_controls: false,
            mirror: true,
        }
    }
}

/// `session.subscribe` properties.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SubscriberProps {
    insert_mode: &'static str,
    width: &'static str,
    height: &'static str,
    show_controls: bool,
}

impl Default for SubscriberProps {
    fn default() -> Self {
        SubscriberProps {
            insert_mode: "append",
            width: "100%",
            height: "100%",
            show_controls: false,
        }
    }
}

/// `props` as a plain JavaScript object.
pub(super) fn to_js(props: &impl Serialize) -> Result<JsValue, VideoError> {
    let json = serde_json::to_string(props)
        .map_err(|error| VideoError::Unsupported(format!("OpenTok.js properties: {error}")))?;
    js_sys::JSON::parse(&json)
        .map_err(|_| VideoError::Unsupported("OpenTok.js properties are not valid JSON".into()))
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;

    fn publisher_json(options: PublishOptions) -> Value {
        serde_json::to_value(PublisherProps::new(&options)).expect("plain structs serialise")
    }

    #[test]
    fn default_devices_leave_the_sources_out() {
        let props = publisher_json(PublishOptions {
            name: "Ada".into(),
            audio: true,
            video: true,
            audio_device: None,
            video_device: Some(String::new()),
        });
        assert_eq!(
            props,
            json!({
                "insertMode": "append", "width": "100%", "height": "100%", "name": "Ada",
                "publishAudio": true, "publishVideo": true, "showControls": false, "mirror": true,
            })
        );
    }

    #[test]
    fn chosen_devices_are_named_and_unwanted_tracks_are_off() {
        let props = publisher_json(PublishOptions {
            name: "Ada".into(),
            audio: false,
            video: true,
            audio_device: Some("mic-1".into()),
            video_device: Some("cam-2".into()),
        });
        assert_eq!(props["audioSource"], json!(false));
        assert_eq!(props["publishAudio"], json!(false));
        assert_eq!(props["videoSource"], json!("cam-2"));
        assert_eq!(props["publishVideo"], json!(true));
    }

    #[test]
    fn no_video_means_no_camera() {
        let props = publisher_json(PublishOptions {
            name: String::new(),
            audio: true,
            video: false,
            audio_device: Some("mic-1".into()),
            video_device: Some("cam-2".into()),
        });
        assert_eq!(props["videoSource"], json!(false));
        assert_eq!(props["audioSource"], json!("mic-1"));
    }

    #[test]
    fn subscribers_fill_their_tile_without_controls() {
        let props =
            serde_json::to_value(SubscriberProps::default()).expect("plain structs serialise");
        assert_eq!(
            props,
            json!({ "insertMode": "append", "width": "100%", "height": "100%", "showControls": false })
        );
    }
}
