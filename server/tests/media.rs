//! Routed sessions end to end, without a browser: a real engine and hub
//! over WebSocket, the server's media router on UDP 127.0.0.1, and str0m
//! stand-in browsers (full ICE) that publish synthetic VP8/Opus and
//! subscribe through `MEDIA_SERVER`. Checks that frames reach subscribers
//! (video starting at a keyframe) and recorders' taps, that unsubscribing,
//! unpublishing and leaving close the peer connections, and the hub's
//! refusals (404 for the media server in relayed sessions, 403 for
//! browser-to-browser negotiation in routed ones, 400 for bad payloads).

mod engine_support;
mod hub_support;
mod media_support;

use std::sync::mpsc::sync_channel;

use app::hub_protocol::MEDIA_SERVER;
use serde_json::{json, Value};
use server::engine::media::TapEvent;
use server::engine::recording::TrackKind;
use server::opentok::token::Role;
use str0m::media::MediaKind;
use uuid::Uuid;

use hub_support::{serve_default, Client};
use media_support::peer::{Peer, Source};
use media_support::{tap_event, Browser};

fn camera() -> Value {
    json!({"type": "publish", "id": "p", "name": "cam", "hasAudio": true, "hasVideo": true, "videoType": "camera"})
}

/// Publishes a camera from `client`; returns its stream id.
async fn publish(client: &mut Client) -> Value {
    client.send(camera()).await;
    let stream = client.until("streamCreated").await["stream"]["streamId"].clone();
    client.until("ack").await;
    stream
}

/// A message whose arrival proves everything `client` sent before it was handled.
async fn barrier(client: &mut Client) {
    client
        .send(json!({"type": "signal", "id": "barrier", "data": "x"}))
        .await;
    client.until("ack").await;
}

#[tokio::test]
async fn frames_reach_subscribers_and_taps_until_the_stream_ends() {
    let hub = serve_default().await;
    let session = hub.routed_session().await;
    let media = hub.engine.media().clone();
    let (early_tap, early) = sync_channel(4096);
    media.tap(&session, Uuid::new_v4(), early_tap);

    let (mut alice_hub, _) = hub.join(&session, Role::Publisher, "alice").await;
    let stream_id = publish(&mut alice_hub).await;
    let stream = Uuid::parse_str(stream_id.as_str().expect("a string")).expect("a uuid");
    let every_second = Source {
        keyframe_interval: 30,
        keyframe_on_request: false,
        ..Source::default()
    };
    let mut alice = Browser {
        hub: alice_hub,
        // Keyframes only every second, whatever the server asks: the
        // subscriber must hold video back until one comes.
        peer: Peer::publisher(&stream.to_string(), every_second).await,
        stream_id: stream_id.clone(),
    };
    alice.connected().await;

    // A tap of a stream published earlier.
    let (late_tap, late) = sync_channel(4096);
    media.tap(&session, Uuid::new_v4(), late_tap);
    for tap in [&early, &late] {
        let TapEvent::StreamStarted {
            stream: view,
            connection_data,
        } = tap_event(tap).await
        else {
            panic!("a tap first hears of the stream");
        };
        assert_eq!(
            (view.stream_id, connection_data.as_deref()),
            (stream, Some("alice"))
        );
    }

    let (bob_hub, _) = hub.join(&session, Role::Subscriber, "bob").await;
    let mut bob = Browser {
        hub: bob_hub,
        peer: Peer::subscriber().await,
        stream_id: stream_id.clone(),
    };
    bob.send_rtc(json!({"kind": "subscribe"}), None).await;
    bob.connected().await;
    let frames = bob.frames(5).await;
    let first_video = frames.iter().find(|(kind, _)| *kind == MediaKind::Video);
    assert_eq!(
        first_video,
        Some(&(MediaKind::Video, true)),
        "video starts at a keyframe"
    );
    assert!(
        frames.iter().any(|(kind, _)| *kind == MediaKind::Audio),
        "{frames:?}"
    );
    assert_eq!(media.peer_connections(&session), 2);

    let mut kinds = Vec::new();
    while kinds.len() < 40 {
        match tap_event(&late).await {
            TapEvent::Frame(frame) => {
                assert_eq!(frame.stream_id, stream);
                kinds.push(frame.kind);
            }
            other => panic!("only frames while the stream runs: {other:?}"),
        }
    }
    assert!(kinds.contains(&TrackKind::Audio) && kinds.contains(&TrackKind::Video));

    bob.send_rtc(json!({"kind": "unsubscribe"}), None).await;
    barrier(&mut bob.hub).await;
    assert_eq!(
        media.peer_connections(&session),
        1,
        "the subscriber peer closed"
    );

    alice
        .hub
        .send(json!({"type": "unpublish", "id": "u", "streamId": stream_id}))
        .await;
    alice.hub.until("ack").await;
    assert_eq!(
        media.peer_connections(&session),
        0,
        "the publisher peer closed"
    );
    for tap in [&early, &late] {
        let ended = loop {
            match tap_event(tap).await {
                TapEvent::Frame(_) => continue,
                other => break other,
            }
        };
        assert!(matches!(ended, TapEvent::StreamEnded { stream_id } if stream_id == stream));
    }
}

#[tokio::test]
async fn a_leaving_publisher_ends_its_stream_and_its_subscribers() {
    let hub = serve_default().await;
    let session = hub.routed_session().await;
    let media = hub.engine.media().clone();
    let (mut alice_hub, _) = hub.join(&session, Role::Publisher, "alice").await;
    let stream_id = publish(&mut alice_hub).await;
    // One keyframe at the start, then only on request: the subscriber's
    // video can only start if the server asks the publisher for one.
    let on_request = Source {
        keyframe_interval: u32::MAX,
        ..Source::default()
    };
    let mut alice = Browser {
        hub: alice_hub,
        peer: Peer::publisher(stream_id.as_str().expect("id"), on_request).await,
        stream_id: stream_id.clone(),
    };
    alice.connected().await;
    let (bob_hub, _) = hub.join(&session, Role::Subscriber, "bob").await;
    let mut bob = Browser {
        hub: bob_hub,
        peer: Peer::subscriber().await,
        stream_id,
    };
    bob.send_rtc(json!({"kind": "subscribe"}), None).await;
    let frames = bob.frames(2).await;
    let video: Vec<bool> = frames
        .iter()
        .filter(|(k, _)| *k == MediaKind::Video)
        .map(|(_, key)| *key)
        .collect();
    assert_eq!(video, [true, false], "a requested keyframe, then deltas");
    let (tap, taps) = sync_channel(4096);
    media.tap(&session, Uuid::new_v4(), tap);

    alice.hub.close().await;
    bob.hub.until("streamDestroyed").await;
    assert_eq!(media.peer_connections(&session), 0);
    let ended = loop {
        match tap_event(&taps).await {
            TapEvent::StreamStarted { .. } | TapEvent::Frame(_) => continue,
            other => break other,
        }
    };
    assert!(matches!(ended, TapEvent::StreamEnded { .. }), "{ended:?}");
}

#[tokio::test]
async fn the_hub_refuses_misaddressed_negotiation() {
    let hub = serve_default().await;
    let routed = hub.routed_session().await;
    let (mut alice, a) = hub.join(&routed, Role::Publisher, "alice").await;
    let (mut bob, _) = hub.join(&routed, Role::Subscriber, "bob").await;
    let stream = publish(&mut alice).await;
    bob.until("streamCreated").await;
    let rtc = |to: &Value, payload: Value| json!({"type": "rtc", "id": "r", "to": to, "streamId": stream, "payload": payload});

    bob.send(rtc(&a["connectionId"], json!({"kind": "subscribe"})))
        .await;
    assert_eq!(
        bob.until("error").await["code"],
        403,
        "browsers negotiate with the media server only"
    );
    bob.send(rtc(&json!(MEDIA_SERVER), json!({"kind": "bogus"})))
        .await;
    assert_eq!(bob.until("error").await["code"], 400);
    bob.send(rtc(
        &json!(MEDIA_SERVER),
        json!({"kind": "answer", "sdp": "v=0"}),
    ))
    .await;
    assert_eq!(bob.until("error").await["code"], 404, "not subscribed");
    let unknown = json!({"type": "rtc", "id": "r", "to": MEDIA_SERVER, "streamId": Uuid::new_v4(), "payload": {"kind": "subscribe"}});
    bob.send(unknown).await;
    assert_eq!(bob.until("error").await["code"], 404);

    let relayed = hub.session().await;
    let (mut carol, _) = hub.join(&relayed, Role::Publisher, "carol").await;
    let relayed_stream = publish(&mut carol).await;
    carol
        .send(json!({"type": "rtc", "id": "r", "to": MEDIA_SERVER, "streamId": relayed_stream, "payload": {"kind": "subscribe"}}))
        .await;
    assert_eq!(
        carol.until("error").await["code"],
        404,
        "no media server in relayed sessions"
    );
    assert_eq!(hub.engine.media().peer_connections(&relayed), 0);
}
