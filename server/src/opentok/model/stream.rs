//! Stream objects (§5.6): what `GET …/session/{sid}/stream[/{id}]` returns.
//! Lists carry only `count` and `items`, because Java rejects extra keys.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use app::hub_protocol::VideoType;

/// A published stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Stream {
    /// Lowercase UUID.
    pub id: Uuid,
    /// Camera, screen or custom; absent for audio-only streams.
    pub video_type: Option<VideoType>,
    /// The publisher's name for the stream.
    #[serde(default)]
    pub name: String,
    /// Layout classes used by composed archives and broadcasts.
    #[serde(default)]
    pub layout_class_list: Vec<String>,
}

/// All streams of a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamList {
    /// Number of streams.
    pub count: u64,
    /// The streams.
    pub items: Vec<Stream>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_emits_the_python_fixture() {
        let json = r#"{"id":"8b732909-0a06-46a2-8ea8-074e64d43422","videoType":"camera","name":"","layoutClassList":["full"]}"#;
        let stream: Stream = serde_json::from_str(json).unwrap();
        assert_eq!(stream.video_type, Some(VideoType::Camera));
        assert_eq!(stream.layout_class_list, ["full"]);
        assert_eq!(serde_json::to_string(&stream).unwrap(), json);
    }

    #[test]
    fn lists_have_only_count_and_items() {
        let list = StreamList {
            count: 0,
            items: vec![],
        };
        assert_eq!(
            serde_json::to_string(&list).unwrap(),
            r#"{"count":0,"items":[]}"#
        );
        let bad = r#"{"id":"8b732909","videoType":"camera"}"#;
        assert!(serde_json::from_str::<Stream>(bad).is_err());
        let odd = r#"{"id":"8b732909-0a06-46a2-8ea8-074e64d43422","videoType":"hologram"}"#;
        assert!(serde_json::from_str::<Stream>(odd).is_err());
    }
}
