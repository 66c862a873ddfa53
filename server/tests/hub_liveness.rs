//! Liveness and memory bounds of the realtime hub: a dropped socket and a
//! silent one (no pong, no message) are destroyed with their streams, and a
//! reader that never reads is cut off while the others keep working. The
//! hub's timings are shortened through `HubConfig`; nothing asserts on time.
//! The never-reading client has a tiny TCP receive window and Alice keeps a
//! few signals in flight, so the cut-off takes a few dozen signals, not
//! thousands of stop-and-wait round trips.

mod engine_support;
mod hub_support;

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{json, Value};
use server::engine::HubConfig;
use server::opentok::token::Role;
use tokio::net::{TcpSocket, TcpStream};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

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

/// A client that joins `session` and then never reads: its TCP receive
/// window is a few KB, so the hub's writes to it stall after a few frames
/// instead of after megabytes of loopback buffering.
async fn join_never_reading(
    hub: &hub_support::Hub,
    session: &server::opentok::session_id::SessionId,
) -> (WebSocketStream<TcpStream>, Value) {
    let socket = TcpSocket::new_v4().expect("socket");
    socket
        .set_recv_buffer_size(4096)
        .expect("small receive buffer");
    let stream = socket.connect(hub.addr).await.expect("tcp connect");
    let url = format!("ws://{}/rtc", hub.addr);
    let (mut client, _) = tokio_tungstenite::client_async(url, stream)
        .await
        .expect("websocket");
    let token = hub.token(session, Role::Publisher, "slow");
    let hello = json!({"type": "connect", "sessionId": session, "token": token});
    client
        .send(Message::text(hello.to_string()))
        .await
        .expect("send connect");
    loop {
        let frame = tokio::time::timeout(hub_support::PATIENCE, client.next())
            .await
            .expect("connected in time");
        if let Some(Ok(Message::Text(text))) = frame {
            let connected: Value = serde_json::from_str(text.as_str()).expect("JSON");
            assert_eq!(connected["type"], "connected", "{connected}");
            return (client, connected);
        }
    }
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
    let (_slow, s) = join_never_reading(&hub, &session).await;
    alice.until("connectionCreated").await;
    let data = "x".repeat(8000);
    // 8 KB signals to the slow reader until its queue overflows. Alice keeps
    // WINDOW of them in flight; each brings her only a small ack, so her own
    // queue of 8 never overflows while she reads, and the hub never waits
    // on her (stop-and-wait with Nagle's algorithm made this take ~20 s).
    const WINDOW: usize = 6;
    let (mut sent, mut acked) = (0, 0);
    let mut cut = None;
    while cut.is_none() && sent < 20_000 {
        while sent - acked < WINDOW {
            let to = &s["connectionId"];
            alice
                .send(json!({"type": "signal", "id": sent.to_string(), "to": to, "data": data}))
                .await;
            sent += 1;
        }
        let message = alice.next().await.expect("Alice stays connected");
        match message["type"].as_str() {
            Some("connectionDestroyed") => cut = Some(message),
            Some("ack") => acked += 1,
            Some("error") => panic!("refused before the cut: {message}"),
            _ => {}
        }
    }
    let cut = cut.expect("the slow reader was disconnected");
    assert_eq!(
        (&cut["reason"], &cut["connection"]["connectionId"]),
        (&json!("networkDisconnected"), &s["connectionId"])
    );
    // Signals sent before the cut are answered (acked, or 404 once it was gone).
    while acked < sent {
        let message = alice.next().await.expect("Alice stays connected");
        if matches!(message["type"].as_str(), Some("ack" | "error")) {
            acked += 1;
        }
    }
    alice
        .send(json!({"type": "signal", "id": "after", "data": "ok"}))
        .await;
    assert_eq!(
        alice.expect("signal").await["data"],
        "ok",
        "broadcasts still reach Alice"
    );
    assert_eq!(alice.expect("ack").await["id"], "after");
}
