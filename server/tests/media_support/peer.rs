//! A stand-in browser for routed sessions, built on str0m (full ICE, not
//! lite, so it checks the server's ICE-lite side as a browser would): one
//! WebRTC peer connection on its own UDP socket on 127.0.0.1, driven by a
//! tokio task. As a publisher it answers the server's `subscribe` with an
//! offer of send-receive audio and video (like Chromium's `addTrack`) and,
//! once connected, sends synthetic VP8 frames (a real keyframe header,
//! 640x480) and Opus packets at a steady rate; as a subscriber it answers
//! the server's offer and reports every frame it receives. Shared by the
//! media tests and the `media-load` benchmark tool.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use app::video::negotiation::Negotiation;
use str0m::change::{SdpAnswer, SdpOffer, SdpPendingOffer};
use str0m::format::Codec;
use str0m::media::{Direction, Frequency, MediaKind, MediaTime, Mid};
use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Event, Input, Output, Rtc};
use tokio::net::UdpSocket;
use tokio::sync::mpsc;

/// What a stand-in browser reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeerEvent {
    /// ICE and DTLS are up.
    Connected,
    /// A frame arrived (subscribers).
    Frame {
        /// Audio or video.
        kind: MediaKind,
        /// A VP8 keyframe.
        keyframe: bool,
        /// Payload bytes.
        len: usize,
    },
    /// The connection ended.
    Closed,
}

/// What a publisher sends once connected.
#[derive(Debug, Clone, Copy)]
pub struct Source {
    /// Video frames per second.
    pub fps: u32,
    /// Video bits per second.
    pub video_bitrate: u32,
    /// A keyframe every this many video frames.
    pub keyframe_interval: u32,
    /// Whether a keyframe request (PLI/FIR) makes the next frame a keyframe.
    pub keyframe_on_request: bool,
}

impl Default for Source {
    fn default() -> Self {
        Source {
            fps: 30,
            video_bitrate: 1_000_000,
            keyframe_interval: 60,
            keyframe_on_request: true,
        }
    }
}

/// A handle on a stand-in browser's task.
pub struct Peer {
    /// Negotiation messages it wants sent to the media server.
    pub outgoing: mpsc::UnboundedReceiver<Negotiation>,
    /// What happened to it.
    pub events: mpsc::UnboundedReceiver<PeerEvent>,
    /// Where the media server's messages go in.
    pub inbox: PeerInbox,
}

/// The way in for the media server's negotiation messages.
#[derive(Debug, Clone)]
pub struct PeerInbox(mpsc::UnboundedSender<Negotiation>);

impl PeerInbox {
    /// Hands the peer a negotiation message from the media server.
    pub fn deliver(&self, message: Negotiation) {
        let _ = self.0.send(message);
    }
}

impl Peer {
    /// A publisher of stream `stream_id` sending `source` once connected.
    pub async fn publisher(stream_id: &str, source: Source) -> Peer {
        Peer::spawn(Some((stream_id.to_owned(), source))).await
    }

    /// A subscriber: it answers the server's offer.
    pub async fn subscriber() -> Peer {
        Peer::spawn(None).await
    }

    /// Hands it a negotiation message from the media server.
    pub fn deliver(&self, message: Negotiation) {
        self.inbox.deliver(message);
    }

    async fn spawn(publishing: Option<(String, Source)>) -> Peer {
        let socket = UdpSocket::bind("127.0.0.1:0").await.expect("a UDP socket");
        let local = socket.local_addr().expect("bound");
        let mut rtc = Rtc::builder()
            .clear_codecs()
            .enable_opus(true)
            .enable_vp8(true)
            .build(Instant::now());
        let candidate = Candidate::host(local, "udp").expect("a host candidate");
        rtc.add_local_candidate(candidate);
        let (out_tx, outgoing) = mpsc::unbounded_channel();
        let (event_tx, events) = mpsc::unbounded_channel();
        let (incoming, in_rx) = mpsc::unbounded_channel();
        let state = State {
            rtc,
            socket,
            local,
            out: out_tx,
            events: event_tx,
            publishing,
            pending: None,
            mids: Vec::new(),
            connected: false,
            frames: 0,
            audio_packets: 0,
            keyframe_wanted: true,
        };
        tokio::spawn(state.run(in_rx));
        Peer {
            outgoing,
            events,
            inbox: PeerInbox(incoming),
        }
    }
}

struct State {
    rtc: Rtc,
    socket: UdpSocket,
    local: SocketAddr,
    out: mpsc::UnboundedSender<Negotiation>,
    events: mpsc::UnboundedSender<PeerEvent>,
    publishing: Option<(String, Source)>,
    pending: Option<SdpPendingOffer>,
    mids: Vec<(Mid, MediaKind)>,
    connected: bool,
    frames: u64,
    audio_packets: u64,
    keyframe_wanted: bool,
}

impl State {
    async fn run(mut self, mut incoming: mpsc::UnboundedReceiver<Negotiation>) {
        let fps = self.publishing.as_ref().map_or(30, |(_, s)| s.fps.max(1));
        let mut video = tokio::time::interval(Duration::from_secs(1) / fps);
        let mut audio = tokio::time::interval(Duration::from_millis(20));
        let mut buf = vec![0_u8; 2048];
        while let Some(timeout) = self.drain() {
            let now = Instant::now();
            tokio::select! {
                message = incoming.recv() => match message {
                    Some(message) => self.negotiate(message),
                    None => break,
                },
                received = self.socket.recv_from(&mut buf) => {
                    let Ok((len, source)) = received else { continue };
                    let Ok(contents) = buf[..len].try_into() else { continue };
                    let receive = Receive { proto: Protocol::Udp, source, destination: self.local, contents };
                    if self.rtc.handle_input(Input::Receive(Instant::now(), receive)).is_err() {
                        break;
                    }
                }
                _ = video.tick(), if self.sending() => self.send_video(),
                _ = audio.tick(), if self.sending() => self.send_audio(),
                () = tokio::time::sleep_until(timeout.max(now).into()) => {
                    if self.rtc.handle_input(Input::Timeout(Instant::now())).is_err() {
                        break;
                    }
                }
            }
        }
        let _ = self.events.send(PeerEvent::Closed);
    }

    fn sending(&self) -> bool {
        self.connected && self.publishing.is_some()
    }

    /// Drains until the next timeout; `None` once the connection is dead.
    fn drain(&mut self) -> Option<Instant> {
        loop {
            match self.rtc.poll_output().ok()? {
                Output::Timeout(at) => return self.rtc.is_alive().then_some(at),
                Output::Transmit(t) => {
                    let _ = self.socket.try_send_to(&t.contents, t.destination);
                }
                Output::Event(event) => self.on_event(event),
            }
        }
    }

    fn on_event(&mut self, event: Event) {
        match event {
            Event::Connected => {
                self.connected = true;
                let _ = self.events.send(PeerEvent::Connected);
            }
            Event::MediaAdded(added) => self.mids.push((added.mid, added.kind)),
            Event::MediaData(data) => {
                let kind = self.kind(data.mid).unwrap_or(MediaKind::Audio);
                let keyframe = kind == MediaKind::Video && data.is_keyframe();
                let len = data.data.len();
                let _ = self.events.send(PeerEvent::Frame {
                    kind,
                    keyframe,
                    len,
                });
            }
            Event::KeyframeRequest(_) => {
                let honoured = self
                    .publishing
                    .as_ref()
                    .is_some_and(|(_, s)| s.keyframe_on_request);
                self.keyframe_wanted |= honoured;
            }
            _ => {}
        }
    }

    fn kind(&self, mid: Mid) -> Option<MediaKind> {
        self.mids.iter().find(|(m, _)| *m == mid).map(|(_, k)| *k)
    }

    fn negotiate(&mut self, message: Negotiation) {
        match message {
            Negotiation::Subscribe => self.offer(),
            Negotiation::Offer { sdp } => {
                let offer = SdpOffer::from_sdp_string(&sdp).expect("a valid offer");
                let answer = self.rtc.sdp_api().accept_offer(offer).expect("acceptable");
                let _ = self.out.send(Negotiation::Answer {
                    sdp: answer.to_sdp_string(),
                });
            }
            Negotiation::Answer { sdp } => {
                let answer = SdpAnswer::from_sdp_string(&sdp).expect("a valid answer");
                if let Some(pending) = self.pending.take() {
                    self.rtc
                        .sdp_api()
                        .accept_answer(pending, answer)
                        .expect("acceptable");
                }
            }
            Negotiation::Candidate(c) => {
                if let Ok(candidate) = Candidate::from_sdp_string(&c.candidate) {
                    self.rtc.add_remote_candidate(candidate);
                }
            }
            Negotiation::Unsubscribe => {}
        }
    }

    /// A publisher's offer (once: a repeated `subscribe` is ignored while one is pending).
    fn offer(&mut self) {
        let Some((stream_id, _)) = &self.publishing else {
            return;
        };
        if self.pending.is_some() || !self.mids.is_empty() {
            return;
        }
        let msid = Some(stream_id.clone());
        let mut api = self.rtc.sdp_api();
        let audio = api.add_media(
            MediaKind::Audio,
            Direction::SendRecv,
            msid.clone(),
            None,
            None,
        );
        let video = api.add_media(MediaKind::Video, Direction::SendRecv, msid, None, None);
        let (offer, pending) = api.apply().expect("an offer");
        self.mids = vec![(audio, MediaKind::Audio), (video, MediaKind::Video)];
        self.pending = Some(pending);
        let _ = self.out.send(Negotiation::Offer {
            sdp: offer.to_sdp_string(),
        });
    }

    fn mid(&self, kind: MediaKind) -> Option<Mid> {
        self.mids.iter().find(|(_, k)| *k == kind).map(|(m, _)| *m)
    }

    fn send_video(&mut self) {
        let Some((_, source)) = self.publishing else {
            return;
        };
        let keyframe = self.keyframe_wanted
            || self
                .frames
                .is_multiple_of(u64::from(source.keyframe_interval.max(1)));
        self.keyframe_wanted = false;
        let size = (source.video_bitrate / 8 / source.fps.max(1)).max(16) as usize;
        let data = vp8_frame(keyframe, size);
        let time = MediaTime::new(
            self.frames * 90_000 / u64::from(source.fps.max(1)),
            Frequency::NINETY_KHZ,
        );
        self.frames += 1;
        self.write(MediaKind::Video, Codec::Vp8, time, data);
    }

    fn send_audio(&mut self) {
        let time = MediaTime::new(self.audio_packets * 960, Frequency::FORTY_EIGHT_KHZ);
        self.audio_packets += 1;
        // A TOC byte (config 31: CELT FB 20 ms, mono, one frame) and filler.
        let mut data = vec![0xF8_u8];
        data.resize(80, 0x55);
        self.write(MediaKind::Audio, Codec::Opus, time, data);
    }

    fn write(&mut self, kind: MediaKind, codec: Codec, time: MediaTime, data: Vec<u8>) {
        let Some(mid) = self.mid(kind) else { return };
        let Some(writer) = self.rtc.writer(mid) else {
            return;
        };
        let Some(pt) = writer
            .payload_params()
            .find(|p| p.spec().codec == codec)
            .map(|p| p.pt())
        else {
            return;
        };
        let _ = writer.write(pt, Instant::now(), time, data);
    }
}

/// A VP8 frame of `size` bytes: a keyframe carries the 10-byte header of a
/// 640x480 keyframe (frame tag, start code `9D 01 2A`, dimensions); a delta
/// frame only its 3-byte frame tag. The rest is filler.
pub fn vp8_frame(keyframe: bool, size: usize) -> Vec<u8> {
    let first_partition = 64_u32;
    // Frame tag: bit 0 = not a keyframe, bits 1-3 version 0, bit 4 shown,
    // bits 5-23 the first partition's size.
    let tag = u32::from(!keyframe) | (1 << 4) | (first_partition << 5);
    let mut data = vec![tag as u8, (tag >> 8) as u8, (tag >> 16) as u8];
    if keyframe {
        data.extend_from_slice(&[0x9D, 0x01, 0x2A]);
        data.extend_from_slice(&640_u16.to_le_bytes());
        data.extend_from_slice(&480_u16.to_le_bytes());
    }
    data.resize(size.max(data.len()), 0xA5);
    data
}
