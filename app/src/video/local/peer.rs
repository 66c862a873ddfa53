//! One `RTCPeerConnection` between a publisher and one subscriber of a
//! stream: offer / answer, trickled ICE candidates (held back until the
//! remote description is set), incoming tracks, and closing.

use std::cell::{Cell, RefCell};

use js_sys::Array;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    MediaStream, MediaStreamTrack, RtcConfiguration, RtcIceCandidateInit, RtcIceServer,
    RtcPeerConnection, RtcPeerConnectionIceEvent, RtcSdpType, RtcSessionDescriptionInit,
    RtcTrackEvent,
};

use crate::video::negotiation::IceCandidate;
use crate::video::{IceServer, VideoError};

type TrackCallback = Closure<dyn FnMut(RtcTrackEvent)>;

/// A peer connection and the callbacks it holds.
pub(super) struct Peer {
    connection: RtcPeerConnection,
    remote_set: Cell<bool>,
    early_candidates: RefCell<Vec<IceCandidate>>,
    _on_candidate: Closure<dyn FnMut(RtcPeerConnectionIceEvent)>,
    on_track: RefCell<Option<TrackCallback>>,
}

fn webrtc(error: JsValue) -> VideoError {
    let message = js_sys::Reflect::get(&error, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| "WebRTC failed".into());
    VideoError::Network(message)
}

fn configuration(ice_servers: &[IceServer]) -> RtcConfiguration {
    let servers = Array::new();
    for server in ice_servers {
        let entry = RtcIceServer::new();
        let urls = Array::new();
        for url in &server.urls {
            urls.push(&JsValue::from_str(url));
        }
        entry.set_urls(&urls);
        if let Some(username) = &server.username {
            entry.set_username(username);
        }
        if let Some(credential) = &server.credential {
            entry.set_credential(credential);
        }
        servers.push(&entry);
    }
    let config = RtcConfiguration::new();
    config.set_ice_servers(&servers);
    config
}

impl Peer {
    /// A new peer connection; `on_candidate` sends each local ICE candidate
    /// to the other side.
    pub fn new(
        ice_servers: &[IceServer],
        on_candidate: impl Fn(IceCandidate) + 'static,
    ) -> Result<Peer, VideoError> {
        let connection = RtcPeerConnection::new_with_configuration(&configuration(ice_servers))
            .map_err(|_| VideoError::Unsupported("WebRTC is not available".into()))?;
        let on_candidate = Closure::<dyn FnMut(RtcPeerConnectionIceEvent)>::new(
            move |event: RtcPeerConnectionIceEvent| {
                if let Some(candidate) = event.candidate() {
                    on_candidate(IceCandidate {
                        candidate: candidate.candidate(),
                        sdp_mid: candidate.sdp_mid(),
                        sdp_m_line_index: candidate.sdp_m_line_index(),
                    });
                }
            },
        );
        connection.set_onicecandidate(Some(on_candidate.as_ref().unchecked_ref()));
        Ok(Peer {
            connection,
            remote_set: Cell::new(false),
            early_candidates: RefCell::default(),
            _on_candidate: on_candidate,
            on_track: RefCell::default(),
        })
    }

    /// Sends every track of `stream`.
    pub fn add_stream(&self, stream: &MediaStream) {
        for track in stream.get_tracks().iter() {
            if let Ok(track) = track.dyn_into::<MediaStreamTrack>() {
                self.connection.add_track_0(&track, stream);
            }
        }
    }

    /// Calls `on_stream` with the remote stream whenever a track arrives.
    pub fn on_stream(&self, on_stream: impl Fn(MediaStream) + 'static) {
        let closure = Closure::<dyn FnMut(RtcTrackEvent)>::new(move |event: RtcTrackEvent| {
            let stream = event
                .streams()
                .get(0)
                .dyn_into::<MediaStream>()
                .ok()
                .or_else(|| {
                    let stream = MediaStream::new().ok()?;
                    stream.add_track(&event.track());
                    Some(stream)
                });
            if let Some(stream) = stream {
                on_stream(stream);
            }
        });
        self.connection
            .set_ontrack(Some(closure.as_ref().unchecked_ref()));
        *self.on_track.borrow_mut() = Some(closure);
    }

    /// Publisher side: creates and applies the offer, returns its SDP.
    pub async fn offer(&self) -> Result<String, VideoError> {
        let offer = JsFuture::from(self.connection.create_offer())
            .await
            .map_err(webrtc)?;
        let sdp = sdp_of(&offer)?;
        let description = RtcSessionDescriptionInit::new(RtcSdpType::Offer);
        description.set_sdp(&sdp);
        JsFuture::from(self.connection.set_local_description(&description))
            .await
            .map_err(webrtc)?;
        Ok(sdp)
    }

    /// Subscriber side: applies the publisher's offer, returns the answer's SDP.
    pub async fn answer(&self, offer: &str) -> Result<String, VideoError> {
        self.set_remote(RtcSdpType::Offer, offer).await?;
        let answer = JsFuture::from(self.connection.create_answer())
            .await
            .map_err(webrtc)?;
        let sdp = sdp_of(&answer)?;
        let description = RtcSessionDescriptionInit::new(RtcSdpType::Answer);
        description.set_sdp(&sdp);
        JsFuture::from(self.connection.set_local_description(&description))
            .await
            .map_err(webrtc)?;
        Ok(sdp)
    }

    /// Publisher side: applies the subscriber's answer.
    pub async fn accept(&self, answer: &str) -> Result<(), VideoError> {
        self.set_remote(RtcSdpType::Answer, answer).await
    }

    async fn set_remote(&self, kind: RtcSdpType, sdp: &str) -> Result<(), VideoError> {
        let description = RtcSessionDescriptionInit::new(kind);
        description.set_sdp(sdp);
        JsFuture::from(self.connection.set_remote_description(&description))
            .await
            .map_err(webrtc)?;
        self.remote_set.set(true);
        let early = std::mem::take(&mut *self.early_candidates.borrow_mut());
        for candidate in early {
            self.apply(&candidate).await;
        }
        Ok(())
    }

    /// Adds the other side's candidate (held until the remote description is set).
    pub async fn add_candidate(&self, candidate: IceCandidate) {
        if self.remote_set.get() {
            self.apply(&candidate).await;
        } else {
            self.early_candidates.borrow_mut().push(candidate);
        }
    }

    async fn apply(&self, candidate: &IceCandidate) {
        let init = RtcIceCandidateInit::new(&candidate.candidate);
        init.set_sdp_mid(candidate.sdp_mid.as_deref());
        init.set_sdp_m_line_index(candidate.sdp_m_line_index);
        // A candidate the browser rejects (e.g. an unresolvable mDNS name) is
        // skipped; the others still connect.
        let _ = JsFuture::from(
            self.connection
                .add_ice_candidate_with_opt_rtc_ice_candidate_init(Some(&init)),
        )
        .await;
    }
}

fn sdp_of(description: &JsValue) -> Result<String, VideoError> {
    js_sys::Reflect::get(description, &"sdp".into())
        .ok()
        .and_then(|sdp| sdp.as_string())
        .ok_or_else(|| VideoError::Network("the browser produced no SDP".into()))
}

impl Peer {
    /// Closes the connection; it sends and receives nothing more.
    pub fn close(&self) {
        self.connection.set_onicecandidate(None);
        self.connection.set_ontrack(None);
        self.connection.close();
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        self.close();
    }
}
