//! What two browsers exchange through the hub's `rtc` relay to set up the
//! WebRTC link of one stream (local backend). The hub treats it as opaque
//! JSON; only the two peers read it.
//!
//! The subscriber asks (`subscribe`); the publisher creates a peer
//! connection with its tracks and sends an `offer`; the subscriber sends
//! the `answer`; both trickle `candidate`s. `unsubscribe` lets the
//! publisher close its side early.

use serde::{Deserialize, Serialize};

/// One message of the negotiation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Negotiation {
    /// Subscriber → publisher: please send me this stream.
    Subscribe,
    /// Subscriber → publisher: stop sending it.
    Unsubscribe,
    /// Publisher → subscriber: the SDP offer.
    Offer {
        /// Session description.
        sdp: String,
    },
    /// Subscriber → publisher: the SDP answer.
    Answer {
        /// Session description.
        sdp: String,
    },
    /// Either way: one ICE candidate (as `RTCIceCandidateInit`).
    Candidate(IceCandidate),
}

/// An ICE candidate as `RTCIceCandidate.toJSON()` shapes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IceCandidate {
    /// The `candidate:` line.
    pub candidate: String,
    /// The media stream identification tag.
    #[serde(default)]
    pub sdp_mid: Option<String>,
    /// The m-line index.
    #[serde(default)]
    pub sdp_m_line_index: Option<u16>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn negotiation_messages_are_tagged_by_kind() {
        assert_eq!(
            serde_json::to_value(Negotiation::Subscribe).unwrap(),
            json!({"kind": "subscribe"})
        );
        assert_eq!(
            serde_json::to_value(Negotiation::Offer { sdp: "v=0".into() }).unwrap(),
            json!({"kind": "offer", "sdp": "v=0"})
        );
        let candidate: Negotiation = serde_json::from_value(json!({
            "kind": "candidate", "candidate": "candidate:1 1 udp 1 127.0.0.1 5000 typ host",
            "sdpMid": "0", "sdpMLineIndex": 0
        }))
        .unwrap();
        assert_eq!(
            candidate,
            Negotiation::Candidate(IceCandidate {
                candidate: "candidate:1 1 udp 1 127.0.0.1 5000 typ host".into(),
                sdp_mid: Some("0".into()),
                sdp_m_line_index: Some(0),
            })
        );
        assert!(serde_json::from_value::<Negotiation>(json!({"kind": "offer"})).is_err());
    }
}
