//! Signals and moderation through the realtime hub: broadcast (the sender
//! included) vs targeted signals, the 400/413/404/429 refusals, role
//! enforcement for publishing and `forceDisconnect`, and the REST API's
//! signal and force-disconnect acting on live hub connections.

mod engine_support;
mod hub_support;

use serde_json::json;
use server::engine::HubConfig;
use server::opentok::token::Role;

use hub_support::{serve, serve_default};

#[tokio::test]
async fn broadcast_signals_reach_everyone_and_targeted_ones_only_their_target() {
    let hub = serve_default().await;
    let session = hub.session().await;
    let (mut alice, a) = hub.join(&session, Role::Publisher, "a").await;
    let (mut bob, b) = hub.join(&session, Role::Publisher, "b").await;
    let (mut carol, _) = hub.join(&session, Role::Publisher, "c").await;
    alice.until("connectionCreated").await;
    alice.until("connectionCreated").await;
    bob.until("connectionCreated").await;

    alice
        .send(json!({"type": "signal", "id": "1", "signalType": "chat", "data": "hi all"}))
        .await;
    for client in [&mut alice, &mut bob, &mut carol] {
        let signal = client.expect("signal").await;
        assert_eq!(
            (&signal["signalType"], &signal["data"]),
            (&json!("chat"), &json!("hi all"))
        );
        assert_eq!(signal["from"], a["connectionId"]);
    }
    assert_eq!(alice.expect("ack").await["id"], "1");

    alice
        .send(json!({"type": "signal", "id": "2", "to": b["connectionId"], "data": "psst"}))
        .await;
    assert_eq!(alice.expect("ack").await["id"], "2");
    let direct = bob.expect("signal").await;
    assert_eq!(
        (&direct["data"], &direct["signalType"]),
        (&json!("psst"), &json!(""))
    );
    // Carol's next message is the following broadcast, not the private one.
    bob.send(json!({"type": "signal", "id": "3", "data": "after"}))
        .await;
    assert_eq!(carol.expect("signal").await["data"], "after");
}

#[tokio::test]
async fn signal_limits_answer_400_413_and_404() {
    let hub = serve_default().await;
    let session = hub.session().await;
    let (mut alice, _) = hub.join(&session, Role::Publisher, "").await;
    let cases = [
        (
            json!({"type": "signal", "id": "a", "signalType": "no spaces", "data": ""}),
            400,
        ),
        (
            json!({"type": "signal", "id": "b", "signalType": "t".repeat(129), "data": ""}),
            413,
        ),
        (
            json!({"type": "signal", "id": "c", "data": "d".repeat(8193)}),
            413,
        ),
        (
            json!({"type": "signal", "id": "d", "to": uuid::Uuid::new_v4(), "data": ""}),
            404,
        ),
    ];
    for (request, code) in cases {
        let id = request["id"].clone();
        alice.send(request).await;
        let error = alice.expect("error").await;
        assert_eq!(
            (&error["id"], error["code"].as_u64()),
            (&id, Some(code)),
            "{error}"
        );
    }
    alice.send(json!({"type": "nonsense"})).await;
    assert_eq!(alice.expect("error").await["code"], 400);
}

#[tokio::test]
async fn the_per_connection_rate_limit_answers_429() {
    let config = HubConfig {
        signal_rate: 1,
        signal_burst: 3,
        ..HubConfig::default()
    };
    let hub = serve(config).await;
    let session = hub.session().await;
    let (mut alice, _) = hub.join(&session, Role::Publisher, "").await;
    let (_bob, b) = hub.join(&session, Role::Publisher, "").await;
    alice.until("connectionCreated").await;
    for n in 0..10 {
        alice
            .send(
                json!({"type": "signal", "id": n.to_string(), "to": b["connectionId"], "data": ""}),
            )
            .await;
    }
    let mut codes = Vec::new();
    for _ in 0..10 {
        let reply = alice.next().await.expect("a reply");
        codes.push(if reply["type"] == "ack" {
            200
        } else {
            reply["code"].as_u64().unwrap_or(0)
        });
    }
    assert_eq!(&codes[..3], &[200, 200, 200], "the burst passes");
    assert!(codes.contains(&429), "{codes:?}");
}

#[tokio::test]
async fn roles_limit_publishing_and_forced_disconnects() {
    let hub = serve_default().await;
    let session = hub.session().await;
    let (mut watcher, _) = hub.join(&session, Role::Subscriber, "w").await;
    let (mut member, m) = hub.join(&session, Role::Publisher, "m").await;
    let (mut moderator, _) = hub.join(&session, Role::Moderator, "boss").await;
    watcher.until("connectionCreated").await;
    watcher.until("connectionCreated").await;

    watcher.send(json!({"type": "publish", "id": "p", "name": "cam", "hasAudio": true, "hasVideo": true, "videoType": "camera"})).await;
    assert_eq!(watcher.expect("error").await["code"], 403);
    member
        .send(json!({"type": "forceDisconnect", "id": "f", "connectionId": m["connectionId"]}))
        .await;
    assert_eq!(member.until("error").await["code"], 403);

    moderator
        .send(json!({"type": "forceDisconnect", "id": "k", "connectionId": m["connectionId"]}))
        .await;
    assert_eq!(moderator.until("ack").await["id"], "k");
    let gone = watcher.until("connectionDestroyed").await;
    assert_eq!(
        (&gone["reason"], &gone["connection"]["connectionId"]),
        (&json!("forceDisconnected"), &m["connectionId"])
    );
    let last = member.until_closed().await;
    assert!(
        last.contains(&json!({"type": "disconnected", "reason": "forceDisconnected"})),
        "the forced client is told why: {last:?}"
    );
    moderator
        .send(json!({"type": "forceDisconnect", "id": "again", "connectionId": m["connectionId"]}))
        .await;
    assert_eq!(moderator.until("error").await["code"], 404);
}

#[tokio::test]
async fn rest_signals_and_force_disconnects_act_on_hub_clients() {
    let hub = serve_default().await;
    let session = hub.session().await;
    let (mut alice, a) = hub.join(&session, Role::Publisher, "a").await;
    let (mut bob, _) = hub.join(&session, Role::Publisher, "b").await;
    alice.until("connectionCreated").await;

    let path = format!("/session/{session}/signal");
    let (status, _) = hub
        .rest(
            reqwest::Method::POST,
            &path,
            Some(json!({"type": "news", "data": "hello"})),
        )
        .await;
    assert_eq!(status, 204);
    for client in [&mut alice, &mut bob] {
        let signal = client.expect("signal").await;
        assert_eq!(
            (&signal["data"], &signal["from"]),
            (&json!("hello"), &json!(null))
        );
    }

    let cid = a["connectionId"].as_str().expect("an id");
    let (status, _) = hub
        .rest(
            reqwest::Method::DELETE,
            &format!("/session/{session}/connection/{cid}"),
            None,
        )
        .await;
    assert_eq!(status, 204);
    let last = alice.until_closed().await;
    assert!(
        last.contains(&json!({"type": "disconnected", "reason": "forceDisconnected"})),
        "{last:?}"
    );
    let gone = bob.until("connectionDestroyed").await;
    assert_eq!(gone["reason"], "forceDisconnected");
    let (status, _) = hub
        .rest(
            reqwest::Method::POST,
            &format!("/session/{session}/connection/{cid}/signal"),
            Some(json!({"data": "x"})),
        )
        .await;
    assert_eq!(status, 404);
}
