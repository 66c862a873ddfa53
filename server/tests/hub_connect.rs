//! The realtime hub's handshake and session membership: token checks (bad,
//! expired, foreign session, unknown session), the handshake timeout,
//! `connected` / `connectionCreated` / `connectionDestroyed` with connection
//! data, sessions whose connection events are suppressed, and the REST
//! connection list reflecting live hub connections.

mod engine_support;
mod hub_support;

use std::time::Duration;

use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde_json::json;
use server::engine::HubConfig;
use server::opentok::model::MediaMode;
use server::opentok::session_id::SessionId;
use server::opentok::token::Role;

use engine_support::{KEY, SECRET};
use hub_support::{serve, serve_default};

#[tokio::test]
async fn bad_expired_and_foreign_tokens_are_refused_with_403() {
    let hub = serve_default().await;
    let session = hub.session().await;
    let other = hub.session().await;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let claims = json!({"iss": KEY, "ist": "project", "iat": now - 600, "exp": now - 60,
        "session_id": session, "scope": "session.connect", "role": "publisher", "nonce": 1});
    let expired = encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(SECRET.as_bytes()),
    )
    .unwrap();
    let foreign = hub.token(&other, Role::Publisher, "x");
    for token in ["not a token".to_owned(), expired, foreign] {
        let mut client = hub.open().await;
        client
            .send(json!({"type": "connect", "sessionId": session, "token": token}))
            .await;
        let refusal = client.expect("error").await;
        assert_eq!(refusal["code"], 403, "{refusal}");
        assert!(client.until_closed().await.is_empty(), "the socket closes");
    }
    assert_eq!(hub.engine.connections().count(&session), 0);
}

#[tokio::test]
async fn an_unknown_session_is_404_and_a_non_connect_first_frame_is_400() {
    let hub = serve_default().await;
    // A well-formed id of our project that the engine never created.
    let unknown = SessionId::generate(KEY, None, MediaMode::Routed);
    let token = hub.token(&unknown, Role::Publisher, "");
    let mut client = hub.open().await;
    client
        .send(json!({"type": "connect", "sessionId": unknown, "token": token}))
        .await;
    assert_eq!(client.expect("error").await["code"], 404);
    let mut client = hub.open().await;
    client.send(json!({"type": "pong"})).await;
    assert_eq!(client.expect("error").await["code"], 400);
    assert!(client.until_closed().await.is_empty());
}

#[tokio::test]
async fn a_silent_socket_is_closed_after_the_handshake_timeout() {
    let config = HubConfig {
        handshake_timeout: Duration::from_millis(100),
        ..HubConfig::default()
    };
    let hub = serve(config).await;
    let mut client = hub.open().await;
    let refusal = client.expect("error").await;
    assert_eq!(refusal["code"], 400, "{refusal}");
    assert!(client.until_closed().await.is_empty());
}

#[tokio::test]
async fn newcomers_see_who_is_there_and_others_see_them_come_and_go() {
    let hub = serve_default().await;
    let session = hub.session().await;
    let (mut alice, hello) = hub.join(&session, Role::Moderator, "name=Alice").await;
    assert_eq!(hello["connections"], json!([]));
    assert_eq!(
        hello["capabilities"],
        json!({"publish": 1, "forceDisconnect": 1})
    );
    let (bob, bob_hello) = hub.join(&session, Role::Subscriber, "name=Bob").await;
    assert_eq!(
        bob_hello["capabilities"],
        json!({"publish": 0, "forceDisconnect": 0})
    );
    let seen = &bob_hello["connections"][0];
    assert_eq!(
        (&seen["connectionId"], &seen["data"]),
        (&hello["connectionId"], &json!("name=Alice"))
    );
    assert!(seen["creationTime"].as_u64().unwrap() > 0);
    let created = alice.expect("connectionCreated").await;
    assert_eq!(
        created["connection"]["connectionId"],
        bob_hello["connectionId"]
    );
    assert_eq!(created["connection"]["data"], "name=Bob");

    let (status, list) = hub
        .rest(
            reqwest::Method::GET,
            &format!("/session/{session}/connection"),
            None,
        )
        .await;
    assert_eq!((status, list["count"].as_u64()), (200, Some(2)), "{list}");

    bob.close().await;
    let destroyed = alice.expect("connectionDestroyed").await;
    assert_eq!(destroyed["reason"], "clientDisconnected");
    assert_eq!(
        destroyed["connection"]["connectionId"],
        bob_hello["connectionId"]
    );
    assert_eq!(destroyed["connection"]["data"], "name=Bob");
    assert_eq!(hub.engine.connections().count(&session), 1);
}

#[tokio::test]
async fn a_newcomer_to_a_big_session_gets_the_list_in_pages() {
    let hub = serve_default().await;
    let session = hub.session().await;
    let mut members = Vec::new();
    for i in 0..150 {
        members.push(hub.join(&session, Role::Subscriber, &format!("m{i}")).await);
    }
    let (mut late, connected) = hub.join(&session, Role::Subscriber, "late").await;
    let first = connected["connections"].as_array().expect("a list");
    assert_eq!(first.len(), 20, "the greeting carries one page");
    let mut seen: Vec<String> = first
        .iter()
        .map(|c| c["data"].as_str().expect("data").to_owned())
        .collect();
    while seen.len() < 150 {
        let more = late.expect("moreConnections").await;
        let page = more["connections"].as_array().expect("a list");
        assert!(!page.is_empty() && page.len() <= 20, "pages of at most 20");
        seen.extend(
            page.iter()
                .map(|c| c["data"].as_str().expect("data").to_owned()),
        );
    }
    seen.sort_unstable();
    let mut expected: Vec<String> = (0..150).map(|i| format!("m{i}")).collect();
    expected.sort_unstable();
    assert_eq!(seen, expected, "every earlier member, once");
}

#[tokio::test]
async fn a_session_with_suppressed_connection_events_announces_only_streams_and_signals() {
    let hub = serve_default().await;
    let session = hub.session().await;
    hub.engine.hub().suppress_connection_events(&session);
    let (mut alice, hello) = hub.join(&session, Role::Publisher, "name=Alice").await;
    assert_eq!(hello["connections"], json!([]));
    alice
        .send(json!({"type": "publish", "id": "p", "name": "cam", "hasAudio": true, "hasVideo": true}))
        .await;
    assert_eq!(alice.expect("streamCreated").await["stream"]["name"], "cam");
    alice.expect("ack").await;

    let (mut bob, bob_hello) = hub.join(&session, Role::Publisher, "name=Bob").await;
    assert_eq!(bob_hello["connections"], json!([]), "nobody is listed");
    assert_eq!(bob_hello["streams"][0]["name"], "cam", "streams still are");
    bob.send(json!({"type": "signal", "id": "s", "data": "hi"}))
        .await;
    // Bob's join was not announced: Alice's next frame is his signal.
    let signal = alice.expect("signal").await;
    assert_eq!(
        (&signal["data"], &signal["from"]),
        (&json!("hi"), &bob_hello["connectionId"])
    );
    bob.expect("signal").await;
    bob.expect("ack").await;

    alice.close().await;
    bob.expect("streamDestroyed").await;
    // Alice has left the room once she is unregistered; a signal sent
    // then is Bob's next frame: no `connectionDestroyed` came before it.
    let gone = async {
        while hub.engine.connections().count(&session) > 1 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    };
    tokio::time::timeout(hub_support::PATIENCE, gone)
        .await
        .expect("Alice is unregistered");
    let (status, _) = hub
        .rest(
            reqwest::Method::POST,
            &format!("/session/{session}/signal"),
            Some(json!({"type": "after", "data": "bye"})),
        )
        .await;
    assert_eq!(status, 204);
    assert_eq!(bob.expect("signal").await["data"], "bye");
}
