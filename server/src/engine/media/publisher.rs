//! The publisher leg of a routed stream: the browser that publishes it
//! offers (after the server's `subscribe`, repeated if no offer came within
//! [`RESUBSCRIBE_AFTER`]), the server answers receive-only, and every
//! depacketized frame becomes one shared [`Forwarded`] for the stream's
//! subscribers ([`Fanout`]) and, when the session is being recorded, a
//! [`MediaFrame`] for its taps. Keyframe requests (a subscriber or tap
//! joined, a subscriber's browser asked, a frame was lost) reach the
//! browser as PLIs, at most one per [`KEYFRAME_GAP`].

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use app::video::negotiation::Negotiation;
use str0m::change::SdpOffer;
use str0m::media::{KeyframeRequestKind, MediaData, MediaKind, Mid};
use str0m::{Candidate, Event, Rtc};
use uuid::Uuid;

use super::fanout::{Fanout, Forwarded, FrameSender};
use super::peer::{PeerError, Role};
use super::signalling::Line;
use super::tap::{MediaFrame, TapEvent};
use super::timing::{Throttle, TrackClock};
use super::MediaRouter;
use crate::engine::recording::TrackKind;

/// How long the server waits for the publisher's offer before asking again.
pub const RESUBSCRIBE_AFTER: Duration = Duration::from_secs(3);
/// How many times it asks again.
const RESUBSCRIBES: u8 = 2;
/// The least time between two keyframe requests to the publisher.
pub const KEYFRAME_GAP: Duration = Duration::from_millis(500);

/// What the router tells a publisher task.
#[derive(Debug)]
pub enum PublisherCommand {
    /// The publishing browser's offer or candidate.
    Negotiate(Negotiation),
    /// Start feeding a subscriber task.
    Attach {
        /// The subscribing connection.
        subscriber: Uuid,
        /// Its frame queue.
        frames: FrameSender,
    },
    /// Stop feeding a subscriber task.
    Detach(Uuid),
    /// Ask the browser for a keyframe (a tap joined, a subscriber asked).
    Keyframe,
}

/// The publisher role of a peer task.
#[derive(Debug)]
pub struct Publisher {
    line: Line,
    router: MediaRouter,
    tracks: HashMap<Mid, TrackKind>,
    clocks: HashMap<Mid, TrackClock>,
    fanout: Fanout,
    keyframes: Throttle,
    resubscribe: Option<(Instant, u8)>,
}

impl Publisher {
    /// A publisher speaking to its browser on `line`; taps are found through `router`.
    pub fn new(line: Line, router: MediaRouter) -> Self {
        Publisher {
            line,
            router,
            tracks: HashMap::new(),
            clocks: HashMap::new(),
            fanout: Fanout::default(),
            keyframes: Throttle::new(KEYFRAME_GAP),
            resubscribe: None,
        }
    }

    fn negotiate(&mut self, rtc: &mut Rtc, negotiation: Negotiation) -> Result<(), PeerError> {
        match negotiation {
            Negotiation::Offer { sdp } => {
                let offer = SdpOffer::from_sdp_string(&receive_only(&sdp))
                    .map_err(|err| PeerError::Negotiation(format!("bad offer: {err}")))?;
                let answer = rtc.sdp_api().accept_offer(offer)?;
                self.resubscribe = None;
                self.line.send(&Negotiation::Answer {
                    sdp: answer.to_sdp_string(),
                });
            }
            Negotiation::Candidate(candidate) => {
                match Candidate::from_sdp_string(&candidate.candidate) {
                    Ok(candidate) => rtc.add_remote_candidate(candidate),
                    // mDNS `.local` names and end-of-candidates: ICE-lite does without.
                    Err(err) => tracing::debug!(%err, "a publisher candidate was ignored"),
                }
            }
            other => tracing::debug!(?other, "out of place from a publisher: ignored"),
        }
        Ok(())
    }

    /// Sends a PLI if the throttle allows; one is deferred otherwise.
    fn request_keyframe(&mut self, rtc: &mut Rtc, now: Instant) {
        if self.keyframes.request(now) {
            self.send_pli(rtc);
        }
    }

    fn send_pli(&self, rtc: &mut Rtc) {
        let video = self
            .tracks
            .iter()
            .find(|(_, kind)| **kind == TrackKind::Video);
        let Some(mut writer) = video.and_then(|(mid, _)| rtc.writer(*mid)) else {
            return;
        };
        if let Err(err) = writer.request_keyframe(None, KeyframeRequestKind::Pli) {
            tracing::debug!(%err, "no keyframe request possible yet");
        }
    }

    fn on_media(&mut self, rtc: &mut Rtc, data: MediaData) {
        let Some(kind) = self.tracks.get(&data.mid).copied() else {
            return;
        };
        let keyframe = kind == TrackKind::Audio || data.is_keyframe();
        let captured = self
            .clocks
            .entry(data.mid)
            .or_default()
            .captured(data.time, data.network_time);
        let media = Arc::new(MediaFrame {
            stream_id: self.line.stream_id(),
            kind,
            captured,
            data: data.data,
            keyframe,
        });
        let forwarded = Arc::new(Forwarded {
            media: media.clone(),
            params: data.params,
            rtp_time: data.time,
        });
        let lost = kind == TrackKind::Video && !data.contiguous;
        if self.fanout.deliver(&forwarded) || lost {
            self.request_keyframe(rtc, data.network_time);
        }
        let taps = self.router.taps();
        if taps.any(self.line.session()) {
            taps.emit(self.line.session(), TapEvent::Frame(media));
        }
    }
}

impl Role for Publisher {
    type Command = PublisherCommand;

    fn start(&mut self, _rtc: &mut Rtc) -> Result<(), PeerError> {
        self.line.send(&Negotiation::Subscribe);
        self.resubscribe = Some((Instant::now() + RESUBSCRIBE_AFTER, RESUBSCRIBES));
        Ok(())
    }

    fn on_command(&mut self, rtc: &mut Rtc, command: PublisherCommand) -> Result<(), PeerError> {
        let now = Instant::now();
        match command {
            PublisherCommand::Negotiate(negotiation) => return self.negotiate(rtc, negotiation),
            PublisherCommand::Attach { subscriber, frames } => {
                self.fanout.attach(subscriber, frames);
                self.request_keyframe(rtc, now);
            }
            PublisherCommand::Detach(subscriber) => {
                self.fanout.detach(subscriber);
            }
            PublisherCommand::Keyframe => self.request_keyframe(rtc, now),
        }
        Ok(())
    }

    fn on_event(&mut self, rtc: &mut Rtc, event: Event) {
        match event {
            Event::MediaAdded(added) => {
                let kind = match added.kind {
                    MediaKind::Audio => TrackKind::Audio,
                    MediaKind::Video => TrackKind::Video,
                };
                self.tracks.insert(added.mid, kind);
            }
            Event::MediaData(data) => self.on_media(rtc, data),
            Event::Connected => {
                tracing::debug!(stream = %self.line.stream_id(), "publisher connected")
            }
            _ => {}
        }
    }

    fn due(&self) -> Option<Instant> {
        let resubscribe = self.resubscribe.map(|(at, _)| at);
        [resubscribe, self.keyframes.due()]
            .into_iter()
            .flatten()
            .min()
    }

    fn on_due(&mut self, rtc: &mut Rtc, now: Instant) -> bool {
        if let Some((at, left)) = self.resubscribe {
            if now >= at {
                tracing::debug!(stream = %self.line.stream_id(), "no offer yet: asking again");
                self.line.send(&Negotiation::Subscribe);
                self.resubscribe = (left > 1).then(|| (now + RESUBSCRIBE_AFTER, left - 1));
                return true;
            }
        }
        if self.keyframes.take_due(now) {
            self.send_pli(rtc);
            return true;
        }
        false
    }
}

/// The browser's offer with every `sendrecv` m-line marked `sendonly`, so
/// str0m answers `recvonly`: the server only receives on this connection
/// (Chromium's `addTrack` offers `sendrecv`).
fn receive_only(sdp: &str) -> String {
    let mut out = String::with_capacity(sdp.len());
    for line in sdp.split_inclusive('\n') {
        if line.trim_end() == "a=sendrecv" {
            out.push_str(&line.replacen("a=sendrecv", "a=sendonly", 1));
        } else {
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sendrecv_lines_become_sendonly_and_nothing_else_changes() {
        let offer = "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=sendrecv\r\n\
                     a=extmap-allow-mixed\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=sendrecv\r\n\
                     a=x-sendrecv-note:a=sendrecv\r\n";
        let expected = "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=sendonly\r\n\
                        a=extmap-allow-mixed\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=sendonly\r\n\
                        a=x-sendrecv-note:a=sendrecv\r\n";
        assert_eq!(receive_only(offer), expected);
        assert_eq!(receive_only("a=sendonly\n"), "a=sendonly\n");
    }
}
