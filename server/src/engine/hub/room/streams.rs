//! A room's streams: publishing, unpublishing, `hasAudio` / `hasVideo`
//! changes, the WebRTC negotiation relayed between a stream's publisher
//! and one subscriber, and the list the REST API shows. Every change is
//! announced to everyone in the room, whether or not its connection events
//! are suppressed.

use serde_json::Value;
use uuid::Uuid;

use super::super::error::HubError;
use super::super::protocol::{Reason, ServerMessage, StreamProperty, StreamView};
use super::{encode, Room};
use crate::opentok::model::Stream;

/// What a publish request asks for.
#[derive(Debug, Clone)]
pub struct NewStream {
    /// The client's id for it, if it picked one.
    pub stream_id: Option<Uuid>,
    /// Everything else, as it will be shown.
    pub name: String,
    /// Whether audio is sent.
    pub has_audio: bool,
    /// Whether video is sent.
    pub has_video: bool,
    /// Camera, screen or custom.
    pub video_type: Option<crate::opentok::model::VideoType>,
}

impl Room {
    /// Publishes a stream of `owner` and announces it to everyone.
    pub fn publish(&self, owner: Uuid, request: NewStream) -> Result<StreamView, HubError> {
        let mut state = self.lock();
        let stream_id = request.stream_id.unwrap_or_else(Uuid::new_v4);
        if state.streams.iter().any(|s| s.stream_id == stream_id) {
            return Err(HubError::Invalid(format!(
                "stream {stream_id} already exists"
            )));
        }
        let stream = StreamView {
            stream_id,
            connection_id: owner,
            name: request.name,
            has_audio: request.has_audio,
            has_video: request.has_video,
            video_type: request.video_type,
            creation_time: crate::engine::now_ms(),
        };
        state.streams.push(stream.clone());
        state.send_all(encode(&ServerMessage::StreamCreated {
            stream: stream.clone(),
        }));
        Ok(stream)
    }

    /// Stops one of `owner`'s streams.
    pub fn unpublish(&self, owner: Uuid, stream_id: Uuid) -> Result<(), HubError> {
        let mut state = self.lock();
        let index = state.owned_stream(owner, stream_id)?;
        let stream = state.streams.remove(index);
        let reason = Reason::ClientDisconnected;
        state.send_all(encode(&ServerMessage::StreamDestroyed { stream, reason }));
        Ok(())
    }

    /// Changes `hasAudio`/`hasVideo` of one of `owner`'s streams.
    pub fn set_property(
        &self,
        owner: Uuid,
        stream_id: Uuid,
        property: StreamProperty,
        value: bool,
    ) -> Result<(), HubError> {
        let mut state = self.lock();
        let index = state.owned_stream(owner, stream_id)?;
        let stream = &mut state.streams[index];
        let slot = match property {
            StreamProperty::HasAudio => &mut stream.has_audio,
            StreamProperty::HasVideo => &mut stream.has_video,
        };
        let old_value = std::mem::replace(slot, value);
        let changed = ServerMessage::StreamPropertyChanged {
            stream_id,
            property,
            old_value,
            new_value: value,
        };
        state.send_all(encode(&changed));
        Ok(())
    }

    /// Relays WebRTC negotiation between a stream's publisher and one peer.
    pub fn relay(
        &self,
        from: Uuid,
        to: Uuid,
        stream_id: Uuid,
        payload: Value,
    ) -> Result<(), HubError> {
        let mut state = self.lock();
        let publisher = state
            .streams
            .iter()
            .find(|s| s.stream_id == stream_id)
            .map(|s| s.connection_id)
            .ok_or_else(|| HubError::not_found(format!("stream {stream_id} not found")))?;
        if !state.members.contains_key(&to) || to == from {
            return Err(HubError::not_found(format!(
                "connection {to} is not connected"
            )));
        }
        if publisher != from && publisher != to {
            return Err(HubError::forbidden(
                "negotiation is only between a stream's publisher and a subscriber",
            ));
        }
        state.send_each(
            &[to],
            encode(&ServerMessage::Rtc {
                from,
                stream_id,
                payload,
            }),
        );
        Ok(())
    }

    /// The streams as the REST API lists them.
    pub fn rest_streams(&self) -> Vec<Stream> {
        self.lock()
            .streams
            .iter()
            .map(|s| Stream {
                id: s.stream_id,
                video_type: s.video_type,
                name: s.name.clone(),
                layout_class_list: Vec::new(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{join, types};
    use super::*;

    #[test]
    fn streams_are_owned_and_leave_with_their_publisher() {
        let room = Room::default();
        let (alice, mut alice_queue) = join(&room, 64);
        let (bob, mut bob_queue) = join(&room, 64);
        let request = NewStream {
            stream_id: None,
            name: "cam".into(),
            has_audio: true,
            has_video: true,
            video_type: None,
        };
        let stream = room.publish(alice, request).unwrap();
        assert_eq!(room.rest_streams().len(), 1);
        let mute = room.set_property(bob, stream.stream_id, StreamProperty::HasAudio, false);
        assert_eq!(mute.unwrap_err().code(), 403);
        room.set_property(alice, stream.stream_id, StreamProperty::HasAudio, false)
            .unwrap();
        assert_eq!(
            room.relay(bob, bob, stream.stream_id, Value::Null)
                .unwrap_err()
                .code(),
            404
        );
        room.relay(bob, alice, stream.stream_id, Value::Null)
            .unwrap();
        room.leave(alice, Reason::NetworkDisconnected);
        assert!(room.rest_streams().is_empty());
        assert_eq!(
            types(&mut bob_queue),
            [
                "connected",
                "streamCreated",
                "streamPropertyChanged",
                "streamDestroyed",
                "connectionDestroyed"
            ]
        );
        assert_eq!(
            types(&mut alice_queue),
            [
                "connected",
                "connectionCreated",
                "streamCreated",
                "streamPropertyChanged",
                "rtc"
            ]
        );
    }
}
