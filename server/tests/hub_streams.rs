//! Streams through the realtime hub: `streamCreated` / property changes /
//! `streamDestroyed`, newcomers receiving the streams already published,
//! the REST stream list reflecting them, and WebRTC negotiation relayed
//! only to the addressed peer of a stream.

mod engine_support;
mod hub_support;

use serde_json::{json, Value};
use server::opentok::token::Role;

use hub_support::serve_default;

fn camera(id: &str) -> Value {
    json!({"type": "publish", "id": id, "name": "Alice cam", "hasAudio": true, "hasVideo": true, "videoType": "camera"})
}

#[tokio::test]
async fn streams_are_announced_changed_listed_and_destroyed() {
    let hub = serve_default().await;
    let session = hub.session().await;
    let (mut alice, a) = hub.join(&session, Role::Publisher, "a").await;
    let (mut bob, _) = hub.join(&session, Role::Subscriber, "b").await;
    alice.until("connectionCreated").await;

    alice.send(camera("p")).await;
    let created = bob.expect("streamCreated").await["stream"].clone();
    assert_eq!(created["connectionId"], a["connectionId"]);
    assert_eq!(
        (&created["name"], &created["videoType"]),
        (&json!("Alice cam"), &json!("camera"))
    );
    assert_eq!(alice.until("ack").await["id"], "p");
    let stream_id = created["streamId"]
        .as_str()
        .expect("a stream id")
        .to_owned();

    let (status, list) = hub
        .rest(
            reqwest::Method::GET,
            &format!("/session/{session}/stream"),
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        list,
        json!({"count": 1, "items": [{"id": stream_id, "videoType": "camera", "name": "Alice cam", "layoutClassList": []}]})
    );
    let (status, one) = hub
        .rest(
            reqwest::Method::GET,
            &format!("/session/{session}/stream/{stream_id}"),
            None,
        )
        .await;
    assert_eq!((status, &one["id"]), (200, &json!(stream_id)));

    alice.send(json!({"type": "streamProperty", "id": "m", "streamId": stream_id, "property": "hasAudio", "value": false})).await;
    let changed = bob.expect("streamPropertyChanged").await;
    assert_eq!(
        (
            &changed["oldValue"],
            &changed["newValue"],
            &changed["property"]
        ),
        (&json!(true), &json!(false), &json!("hasAudio"))
    );
    bob.send(json!({"type": "streamProperty", "id": "x", "streamId": stream_id, "property": "hasVideo", "value": false})).await;
    assert_eq!(
        bob.expect("error").await["code"],
        403,
        "only the publisher changes its stream"
    );

    let (mut carol, hello) = hub.join(&session, Role::Subscriber, "c").await;
    assert_eq!(hello["streams"][0]["streamId"], json!(stream_id));
    assert_eq!(
        hello["streams"][0]["hasAudio"], false,
        "the newcomer sees the current state"
    );

    alice
        .send(json!({"type": "unpublish", "id": "u", "streamId": stream_id}))
        .await;
    let destroyed = carol.until("streamDestroyed").await;
    assert_eq!(
        (&destroyed["stream"]["streamId"], &destroyed["reason"]),
        (&json!(stream_id), &json!("clientDisconnected"))
    );
    let (status, _) = hub
        .rest(
            reqwest::Method::GET,
            &format!("/session/{session}/stream/{stream_id}"),
            None,
        )
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn rtc_negotiation_reaches_only_the_addressed_peer() {
    let hub = serve_default().await;
    let session = hub.session().await;
    let (mut alice, a) = hub.join(&session, Role::Publisher, "a").await;
    let (mut bob, b) = hub.join(&session, Role::Subscriber, "b").await;
    let (mut carol, c) = hub.join(&session, Role::Subscriber, "c").await;
    alice.send(camera("p")).await;
    let stream = alice.until("streamCreated").await["stream"]["streamId"].clone();
    bob.until("streamCreated").await;
    carol.until("streamCreated").await;

    bob.send(json!({"type": "rtc", "to": a["connectionId"], "streamId": stream, "payload": {"sdp": "offer?"}})).await;
    let offer = alice.until("rtc").await;
    assert_eq!(
        (&offer["from"], &offer["payload"]),
        (&b["connectionId"], &json!({"sdp": "offer?"}))
    );
    alice.send(json!({"type": "rtc", "to": b["connectionId"], "streamId": stream, "payload": {"sdp": "answer"}})).await;
    assert_eq!(bob.until("rtc").await["payload"]["sdp"], "answer");

    // Two subscribers may not negotiate with each other over Alice's stream.
    bob.send(json!({"type": "rtc", "id": "r", "to": c["connectionId"], "streamId": stream, "payload": {}})).await;
    assert_eq!(bob.expect("error").await["code"], 403);
    // Carol got nothing: her next message is this broadcast.
    alice
        .send(json!({"type": "signal", "id": "s", "data": "marker"}))
        .await;
    assert_eq!(carol.expect("signal").await["data"], "marker");
}
