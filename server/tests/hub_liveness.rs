//! Liveness and memory bounds of the realtime hub: a dropped socket and a
//! silent one (no pong, no message) are destroyed with their streams, and a
//! reader that never reads is cut off while the others keep working. The
//! hub's timings are shortened through `HubConfig`; nothing asserts on time.

mod engine_support;
mod hub_support;

use std::time::Duration;

use serde_json::json;
use server::engine::HubConfig;
use server::opentok::token::Role;

use hub_support::{serve, serve_default};

#[tokio::test]
async fn a_dropped_socket_is_destroyed_with_its_streams() {
    let hub = serve_default().await;
    let session = hub.session().await;
    let (mut alice, _) = hub.join(&session, Role::Publisher, "a").await;
    let (mut bob, b) = hub.join(&session, Role::Publisher, "b").await;
    bob.send(json!({"type": "publish", "id": "p", "name": "cam", "hasAudio": true, "hasVideo": false, "videoType": null})).await;
    bob.until("ack").await;
    drop(bob);
    let stream_gone = alice.until("streamDestroyed").await;
    assert_eq!(stream_gone["reason"], "networkDisconnected");
    let gone = alice.expect("connectionDestroyed").await;
    assert_eq!(
        (&gone["reason"], &gone["connection"]["connectionId"]),
        (&json!("networkDisconnected"), &b["connectionId"])
    );
    assert!(hub.engine.hub().streams(&session).is_empty());
}

#[tokio::test]
async fn a_json_ping_is_answered_with_a_pong() {
    let hub = serve_default().await;
    let session = hub.session().await;
    let (mut alice, _) = hub.join(&session, Role::Subscriber, "a").await;
    alice.send(json!({"type": "ping"})).await;
    assert_eq!(alice.expect("pong").await, json!({"type": "pong"}));
}

#[tokio::test]
async fn a_silent_connection_is_dropped_by_the_heartbeat() {
    let config = HubConfig {
        heartbeat_interval: Duration::from_millis(50),
        idle_timeout: Duration::from_millis(400),
        ..HubConfig::default()
    };
    let hub = serve(config).await;
    let session = hub.session().await;
    // Alice keeps reading, so her client answers the pings.
    let (mut alice, _) = hub.join(&session, Role::Publisher, "a").await;
    // Bob goes silent after connecting: he neither reads nor writes.
    let (_bob, b) = hub.join(&session, Role::Publisher, "b").await;
    let gone = alice.until("connectionDestroyed").await;
    assert_eq!(
        (&gone["reason"], &gone["connection"]["connectionId"]),
        (&json!("networkDisconnected"), &b["connectionId"])
    );
    alice
        .send(json!({"type": "signal", "id": "still", "data": ""}))
        .await;
    assert_eq!(
        alice.until("ack").await["id"],
        "still",
        "Alice survived the heartbeat"
    );
    assert_eq!(hub.engine.connections().count(&session), 1);
}

#[tokio::test]
async fn a_reader_that_never_reads_is_cut_off_while_others_keep_working() {
    let config = HubConfig {
        queue_capacity: 8,
        // Only the full queue may cut the slow reader off, never the heartbeat.
        idle_timeout: Duration::from_secs(600),
        signal_rate: 1_000_000,
        signal_burst: 1_000_000,
        ..HubConfig::default()
    };
    let hub = serve(config).await;
    let session = hub.session().await;
    let (mut alice, _) = hub.join(&session, Role::Publisher, "a").await;
    let (_slow, s) = hub.join(&session, Role::Publisher, "slow").await;
    alice.until("connectionCreated").await;
    let data = "x".repeat(8000);
    let mut cut = None;
    // Enough 8 KB broadcasts to fill any socket buffer of the slow reader.
    for n in 0..20_000 {
        alice
            .send(json!({"type": "signal", "id": n.to_string(), "data": data}))
            .await;
        loop {
            let message = alice.next().await.expect("Alice stays connected");
            match message["type"].as_str() {
                Some("connectionDestroyed") => cut = Some(message),
                Some("ack") => break,
                _ => {}
            }
        }
        if cut.is_some() {
            break;
        }
    }
    let cut = cut.expect("the slow reader was disconnected");
    assert_eq!(
        (&cut["reason"], &cut["connection"]["connectionId"]),
        (&json!("networkDisconnected"), &s["connectionId"])
    );
    alice
        .send(json!({"type": "signal", "id": "after", "data": "ok"}))
        .await;
    assert_eq!(alice.until("ack").await["id"], "after");
}
