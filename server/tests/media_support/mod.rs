//! Helpers of the routed-session tests: a stand-in browser ([`peer`])
//! joined to its hub socket, with the `rtc` messages to and from
//! `MEDIA_SERVER` carried between the two until something happens.

#![allow(dead_code)]

pub mod peer;

use std::sync::mpsc::Receiver;
use std::time::Duration;

use app::hub_protocol::MEDIA_SERVER;
use app::video::negotiation::Negotiation;
use serde_json::{json, Value};
use server::engine::media::TapEvent;
use str0m::media::MediaKind;

use crate::hub_support::{Client, PATIENCE};
use peer::{Peer, PeerEvent};

/// A hub client and its stand-in browser's peer connection for one stream.
pub struct Browser {
    pub hub: Client,
    pub peer: Peer,
    pub stream_id: Value,
}

impl Browser {
    /// Carries negotiation both ways until the peer reports `wanted`
    /// (hub messages other than `rtc` from the media server are skipped).
    pub async fn until(&mut self, wanted: impl Fn(&PeerEvent) -> bool) -> PeerEvent {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            tokio::select! {
                message = self.hub.next() => {
                    let message = message.expect("the hub socket stays open");
                    if message["type"] == "rtc" {
                        assert_eq!(message["from"], json!(MEDIA_SERVER), "{message}");
                        let payload: Negotiation = serde_json::from_value(message["payload"].clone())
                            .expect("a negotiation payload");
                        self.peer.deliver(payload);
                    }
                }
                Some(outgoing) = self.peer.outgoing.recv() => {
                    let payload = serde_json::to_value(outgoing).expect("JSON");
                    self.send_rtc(payload, None).await;
                }
                event = self.peer.events.recv() => {
                    let event = event.expect("the peer task reports");
                    if wanted(&event) {
                        return event;
                    }
                }
                () = tokio::time::sleep_until(deadline) => panic!("nothing wanted happened in time"),
            }
        }
    }

    /// Until the peer connection is up.
    pub async fn connected(&mut self) {
        self.until(|e| *e == PeerEvent::Connected).await;
    }

    /// Sends an `rtc` message about its stream to the media server.
    pub async fn send_rtc(&mut self, payload: Value, id: Option<&str>) {
        let mut message = json!({"type": "rtc", "to": MEDIA_SERVER, "streamId": self.stream_id, "payload": payload});
        if let Some(id) = id {
            message["id"] = json!(id);
        }
        self.hub.send(message).await;
    }

    /// Frames received until `video` video frames came; returns every
    /// frame's (kind, keyframe) in order.
    pub async fn frames(&mut self, video: usize) -> Vec<(MediaKind, bool)> {
        let mut seen = Vec::new();
        while seen.iter().filter(|(k, _)| *k == MediaKind::Video).count() < video {
            if let PeerEvent::Frame { kind, keyframe, .. } =
                self.until(|e| matches!(e, PeerEvent::Frame { .. })).await
            {
                seen.push((kind, keyframe));
            }
        }
        seen
    }
}

/// The next tap event, waiting at most [`PATIENCE`].
pub async fn tap_event(tap: &Receiver<TapEvent>) -> TapEvent {
    let deadline = std::time::Instant::now() + PATIENCE;
    loop {
        if let Ok(event) = tap.try_recv() {
            return event;
        }
        assert!(std::time::Instant::now() < deadline, "no tap event in time");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
