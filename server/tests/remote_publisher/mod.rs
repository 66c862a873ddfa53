//! A stand-in browser publishing a camera into a routed session of a server
//! reached only by its address (such as the real `server` binary, where the
//! in-process `hub_support::Hub` cannot be used): a hub socket that joins
//! with a token and publishes, and a str0m publisher ([`crate::peer`]) whose
//! negotiation with `MEDIA_SERVER` a background task carries over that
//! socket for as long as it stays open — so the socket is also read (pings
//! answered) while media flows. Needs `hub_client` and `peer` as sibling
//! modules of the test crate.

#![allow(dead_code)]

use app::hub_protocol::MEDIA_SERVER;
use app::video::negotiation::Negotiation;
use serde_json::{json, Value};
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::task::JoinHandle;

use crate::hub_client::{HubSocket, PATIENCE};
use crate::peer::{Peer, PeerEvent, PeerInbox, Source};

/// A published camera and its stand-in browser.
pub struct RemotePublisher {
    /// The stream the hub created for it.
    pub stream_id: String,
    events: UnboundedReceiver<PeerEvent>,
    pump: JoinHandle<()>,
}

impl RemotePublisher {
    /// Joins `session` at `hub_url` (`ws://…/rtc`) with `token`, publishes
    /// a camera and starts sending `source` once the peer connection is up.
    pub async fn join(hub_url: &str, session: &str, token: &str, source: Source) -> Self {
        let mut hub = HubSocket::open(hub_url).await;
        hub.send(&json!({"type": "connect", "sessionId": session, "token": token}))
            .await;
        let me = until(&mut hub, |m| m["type"] == "connected").await["connectionId"].clone();
        let camera = json!({"type": "publish", "id": "p", "name": "camera",
            "hasAudio": true, "hasVideo": true, "videoType": "camera"});
        hub.send(&camera).await;
        let created = until(&mut hub, |m| {
            m["type"] == "streamCreated" && m["stream"]["connectionId"] == me
        })
        .await;
        let stream_id = created["stream"]["streamId"]
            .as_str()
            .unwrap_or_else(|| panic!("a stream id: {created}"))
            .to_owned();
        until(&mut hub, |m| m["type"] == "ack" && m["id"] == "p").await;
        let Peer {
            outgoing,
            events,
            inbox,
        } = Peer::publisher(&stream_id, source).await;
        let pump = tokio::spawn(carry(hub, stream_id.clone(), outgoing, inbox));
        RemotePublisher {
            stream_id,
            events,
            pump,
        }
    }

    /// Waits (at most [`PATIENCE`]) until the peer connection is up.
    pub async fn connected(&mut self) {
        let up = async {
            loop {
                match self.events.recv().await {
                    Some(PeerEvent::Connected) => return,
                    Some(_) => continue,
                    None => panic!("the peer task ended before connecting"),
                }
            }
        };
        tokio::time::timeout(PATIENCE, up)
            .await
            .expect("the publisher's peer connection comes up in time");
    }
}

impl Drop for RemotePublisher {
    fn drop(&mut self) {
        // Closes the hub socket; the peer task ends with its inbox.
        self.pump.abort();
    }
}

/// Reads hub messages until one `wanted` accepts; a hub `error` fails the test.
async fn until(hub: &mut HubSocket, wanted: impl Fn(&Value) -> bool) -> Value {
    loop {
        let message: Value = hub.next().await.expect("the hub socket stays open");
        assert_ne!(message["type"], "error", "the hub refused: {message}");
        if wanted(&message) {
            return message;
        }
    }
}

/// Carries negotiation between the hub socket and the peer until the
/// socket closes (the server went away) or the peer stops negotiating.
async fn carry(
    mut hub: HubSocket,
    stream_id: String,
    mut outgoing: UnboundedReceiver<Negotiation>,
    inbox: PeerInbox,
) {
    loop {
        tokio::select! {
            message = hub.next::<Value>() => {
                let Some(message) = message else { return };
                if message["type"] != "rtc" || message["from"] != json!(MEDIA_SERVER) {
                    continue;
                }
                if let Ok(payload) = serde_json::from_value(message["payload"].clone()) {
                    inbox.deliver(payload);
                }
            }
            payload = outgoing.recv() => {
                let Some(payload) = payload else { return };
                let payload = serde_json::to_value(payload).expect("negotiation serialises");
                hub.send(&json!({"type": "rtc", "to": MEDIA_SERVER, "streamId": stream_id, "payload": payload}))
                    .await;
            }
        }
    }
}
