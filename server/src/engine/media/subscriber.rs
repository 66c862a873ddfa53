//! The subscriber leg of a routed stream: the server offers one send-only
//! audio and — when the stream has video — one send-only video m-line
//! (with the stream id as `msid`, so
//! the browser's `track` events group them into one `MediaStream`), the
//! browser answers, and the publisher's frames are written out as they
//! come. Video starts at a keyframe once the connection is up; the
//! browser's own keyframe requests (PLI/FIR) go to the publisher.

use std::sync::Arc;
use std::time::Instant;

use app::video::negotiation::Negotiation;
use str0m::change::{SdpAnswer, SdpPendingOffer};
use str0m::media::{Direction, MediaKind, Mid};
use str0m::{Candidate, Event, Rtc};
use tokio::sync::mpsc;

use super::fanout::Forwarded;
use super::peer::{PeerError, Role};
use super::publisher::{PublisherCommand, KEYFRAME_GAP};
use super::signalling::Line;
use super::timing::Throttle;
use crate::engine::recording::TrackKind;

/// What the router tells a subscriber task.
#[derive(Debug)]
pub enum SubscriberCommand {
    /// The subscribing browser's answer or candidate.
    Negotiate(Negotiation),
}

/// The subscriber role of a peer task.
#[derive(Debug)]
pub struct Subscriber {
    line: Line,
    publisher: mpsc::Sender<PublisherCommand>,
    audio: Option<Mid>,
    video: Option<Mid>,
    offers_video: bool,
    pending: Option<SdpPendingOffer>,
    awaiting_keyframe: bool,
    asks: Throttle,
}

impl Subscriber {
    /// A subscriber speaking to its browser on `line`, asking `publisher`
    /// for keyframes; `offers_video` when the stream carries a camera or
    /// screen (an audio-only stream gets no video track at all).
    pub fn new(line: Line, publisher: mpsc::Sender<PublisherCommand>, offers_video: bool) -> Self {
        Subscriber {
            line,
            publisher,
            audio: None,
            video: None,
            offers_video,
            pending: None,
            awaiting_keyframe: true,
            asks: Throttle::new(KEYFRAME_GAP),
        }
    }

    /// Asks the publisher for a keyframe (throttled here too, so a chatty
    /// browser cannot fill the publisher's command queue).
    fn ask_keyframe(&mut self) {
        if self.asks.request(Instant::now()) {
            // A full queue means requests are already on their way.
            let _ = self.publisher.try_send(PublisherCommand::Keyframe);
        }
    }

    fn negotiate(&mut self, rtc: &mut Rtc, negotiation: Negotiation) -> Result<(), PeerError> {
        match negotiation {
            Negotiation::Answer { sdp } => {
                let pending = self
                    .pending
                    .take()
                    .ok_or_else(|| PeerError::Negotiation("an answer without an offer".into()))?;
                let answer = SdpAnswer::from_sdp_string(&sdp)
                    .map_err(|err| PeerError::Negotiation(format!("bad answer: {err}")))?;
                rtc.sdp_api().accept_answer(pending, answer)?;
            }
            Negotiation::Candidate(candidate) => {
                match Candidate::from_sdp_string(&candidate.candidate) {
                    Ok(candidate) => rtc.add_remote_candidate(candidate),
                    Err(err) => tracing::debug!(%err, "a subscriber candidate was ignored"),
                }
            }
            other => tracing::debug!(?other, "out of place from a subscriber: ignored"),
        }
        Ok(())
    }
}

impl Role for Subscriber {
    type Command = SubscriberCommand;

    fn start(&mut self, rtc: &mut Rtc) -> Result<(), PeerError> {
        let msid = Some(self.line.stream_id().to_string());
        let mut api = rtc.sdp_api();
        self.audio = Some(api.add_media(
            MediaKind::Audio,
            Direction::SendOnly,
            msid.clone(),
            None,
            None,
        ));
        if self.offers_video {
            self.video = Some(api.add_media(MediaKind::Video, Direction::SendOnly, msid, None, None));
        }
        let (offer, pending) = api
            .apply()
            .ok_or_else(|| PeerError::Negotiation("nothing to offer".into()))?;
        self.pending = Some(pending);
        self.line.send(&Negotiation::Offer {
            sdp: offer.to_sdp_string(),
        });
        Ok(())
    }

    fn on_command(&mut self, rtc: &mut Rtc, command: SubscriberCommand) -> Result<(), PeerError> {
        let SubscriberCommand::Negotiate(negotiation) = command;
        self.negotiate(rtc, negotiation)
    }

    fn on_frame(&mut self, rtc: &mut Rtc, frame: Arc<Forwarded>) {
        let media = &frame.media;
        let is_video = media.kind == TrackKind::Video;
        if !rtc.is_connected() {
            return;
        }
        if is_video && self.awaiting_keyframe && !media.keyframe {
            self.ask_keyframe();
            return;
        }
        let mid = if is_video { self.video } else { self.audio };
        let Some(writer) = mid.and_then(|mid| rtc.writer(mid)) else {
            return;
        };
        let Some(pt) = writer.match_params(frame.params) else {
            return;
        };
        match writer.write(pt, media.captured, frame.rtp_time, media.data.clone()) {
            Ok(()) if is_video => self.awaiting_keyframe = false,
            Ok(()) => {}
            Err(err) => tracing::debug!(%err, "a frame could not be forwarded"),
        }
    }

    fn on_event(&mut self, _rtc: &mut Rtc, event: Event) {
        match event {
            Event::Connected => {
                tracing::debug!(stream = %self.line.stream_id(), "subscriber connected");
                self.awaiting_keyframe = true;
                self.ask_keyframe();
            }
            Event::KeyframeRequest(_) => self.ask_keyframe(),
            _ => {}
        }
    }

    fn due(&self) -> Option<Instant> {
        None
    }

    fn on_due(&mut self, _rtc: &mut Rtc, _now: Instant) -> bool {
        false
    }
}
