//! Presence chat (seed 000) end to end: people join over HTTP with their
//! identity cookie, connect to the presence session of the realtime hub,
//! and observe the server's presence events there; invitations are driven
//! through `POST /chats` and the presence service (what the page's server
//! functions call). Covers seed 000's stuck states: the busy decline that
//! never arrived, the inviter left "pending" by a vanished invitee, and
//! chat tokens handed to anyone.

mod support;

use app::presence::backend::PresenceBackend;
use app::presence::{
    CallOptions, Chat, ChatEndReason, DeclineReason, InvitationId, PresenceEvent, UserState,
};
use app::server_errors::Refusal;
use serde_json::Value;
use server::opentok::credentials::{ApiKey, ApiSecret, Credentials};
use server::opentok::token::Role;
use server::opentok::verify::TokenVerifier;

use crate::helpers::{ENGINE_KEY, ENGINE_SECRET};
use support::{spawn, Person, PresenceApp};

fn closed(event: PresenceEvent) -> Option<(InvitationId, DeclineReason)> {
    match event {
        PresenceEvent::InvitationClosed { id, reason } => Some((id, reason)),
        _ => None,
    }
}

fn started(event: PresenceEvent) -> Option<Chat> {
    match event {
        PresenceEvent::ChatStarted { chat } => Some(chat),
        _ => None,
    }
}

/// `POST /chats` from `from` to `to`, which must succeed; the invitation id.
async fn invite(app: &PresenceApp, from: &Person, to: &Person) -> (InvitationId, Value) {
    let response = app.post_chat(&from.cookie, &to.user).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let id = serde_json::from_value(body["invitationId"].clone()).expect("an invitation id");
    (id, body)
}

fn verifier() -> TokenVerifier {
    TokenVerifier::new(&Credentials::Project {
        api_key: ApiKey::parse(ENGINE_KEY).unwrap(),
        api_secret: ApiSecret::parse(ENGINE_SECRET).unwrap(),
    })
}

#[tokio::test]
async fn a_newcomer_gets_the_list_and_everyone_else_hears_of_them_once() {
    let app = spawn(30).await;
    let session = app.presence_session().await;
    assert_eq!(session["apiKey"], ENGINE_KEY);
    assert!(session.get("token").is_none());
    let page = app.get("/presence", None).await;
    assert!(!page
        .text()
        .await
        .unwrap()
        .contains(session["sessionId"].as_str().unwrap()));

    let (mut ada, list) = app.join("Ada").await;
    assert!(list.is_empty());
    let (mut bo, list) = app.join(" Bo ").await;
    assert_eq!(list.len(), 1);
    assert_eq!(
        (list[0].id, list[0].name.as_str(), list[0].state),
        (ada.user.id, "Ada", UserState::Available)
    );
    let joined = ada.hub.until(|e| match e {
        PresenceEvent::UserJoined { user } => Some(user),
        _ => None,
    });
    assert_eq!(joined.await.name.as_str(), "Bo");

    // A second tab is not a new person: the next thing Bo hears is Cy.
    let me: Value = app
        .get("/users/me", Some(&ada.cookie))
        .await
        .json()
        .await
        .unwrap();
    let mut second_tab = app.connect(me["token"].as_str().unwrap()).await;
    assert_eq!(second_tab.snapshot(Vec::new()).await.len(), 1);
    let (_cy, _) = app.join("Cy").await;
    let next = bo.hub.event().await;
    assert!(
        matches!(&next, PresenceEvent::UserJoined { user } if user.name.as_str() == "Cy"),
        "{next:?}"
    );
    // Closing one of Ada's tabs is not a leave; closing the last one is.
    second_tab.close().await;
    ada.hub.close().await;
    let left = bo.hub.until(|e| match e {
        PresenceEvent::UserLeft { id } => Some(id),
        _ => None,
    });
    assert_eq!(left.await, ada.user.id);
    assert_eq!(app.presence.online_count(), 2);
}

#[tokio::test]
async fn an_accepted_invitation_gives_both_parties_and_nobody_else_a_token() {
    let app = spawn(30).await;
    let (mut ada, _) = app.join("Ada").await;
    let (mut bo, _) = app.join("Bo").await;
    let (cy, _) = app.join("Cy").await;
    let (invitation, body) = invite(&app, &ada, &bo).await;
    let session = body["sessionId"].as_str().unwrap().to_owned();
    let verified = verifier().verify(body["token"].as_str().unwrap()).unwrap();
    assert_eq!(
        (verified.role, verified.session_id.as_str()),
        (Role::Publisher, session.as_str())
    );
    assert_eq!(
        verified.connection_data.as_deref(),
        Some(r#"{"name":"Ada"}"#)
    );
    let invited = bo.hub.until(|e| match e {
        PresenceEvent::Invited { invitation } => Some(invitation),
        _ => None,
    });
    assert_eq!(invited.await.id, invitation);

    let chat = app.presence.accept(bo.user.id, invitation).await.unwrap();
    assert_eq!(ada.hub.until(started).await, chat);
    assert_eq!(bo.hub.until(started).await, chat);

    let query = format!("/chats?sessionId={session}");
    let response = app.get(&query, Some(&bo.cookie)).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["sessionId"], session.as_str());
    let verified = verifier().verify(body["token"].as_str().unwrap()).unwrap();
    assert_eq!(
        verified.connection_data.as_deref(),
        Some(r#"{"name":"Bo"}"#)
    );
    assert_eq!(app.get(&query, Some(&cy.cookie)).await.status(), 403);
    assert_eq!(app.get(&query, None).await.status(), 401);
    assert_eq!(app.get("/chats", Some(&bo.cookie)).await.status(), 404);
    let unknown = app
        .get("/chats?sessionId=1_MX4xMjM0NTZ-fg", Some(&bo.cookie))
        .await;
    assert_eq!(unknown.status(), 404);
    let error: Value = unknown.json().await.unwrap();
    assert!(error["error"].is_string());

    app.presence
        .end_chat(ada.user.id, chat.id, ChatEndReason::Ended)
        .await
        .unwrap();
    let ended = bo.hub.until(|e| match e {
        PresenceEvent::ChatEnded { by, .. } => Some(by),
        _ => None,
    });
    assert_eq!(ended.await, Some(ada.user.id));
    assert_eq!(
        app.get(&query, Some(&bo.cookie)).await.status(),
        404,
        "the chat is over"
    );
}

#[tokio::test]
async fn inviting_a_busy_person_is_declined_and_the_inviter_hears_it() {
    let app = spawn(30).await;
    let (mut ada, _) = app.join("Ada").await;
    let (bo, _) = app.join("Bo").await;
    let (cy, _) = app.join("Cy").await;
    invite(&app, &bo, &cy).await;
    assert_eq!(
        app.post_chat(&bo.cookie, &ada.user).await.status(),
        409,
        "Bo is busy inviting"
    );
    let (invitation, _) = invite(&app, &ada, &bo).await;
    assert_eq!(
        ada.hub.until(closed).await,
        (invitation, DeclineReason::Busy)
    );
    let stranger = app::presence::LocalUser {
        id: app::presence::UserId(uuid::Uuid::new_v4()),
        ..ada.user.clone()
    };
    assert_eq!(app.post_chat(&ada.cookie, &stranger).await.status(), 404);
    let anonymous = app
        .http
        .post(app.url("/chats"))
        .json(&serde_json::json!({"invitee": bo.user.id}))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
}

#[tokio::test]
async fn accepting_one_invitation_closes_the_other() {
    let app = spawn(30).await;
    let (ada, _) = app.join("Ada").await;
    let (mut bo, _) = app.join("Bo").await;
    let (cy, _) = app.join("Cy").await;
    let (from_ada, _) = invite(&app, &ada, &cy).await;
    let (from_bo, _) = invite(&app, &bo, &cy).await;
    app.presence.accept(cy.user.id, from_ada).await.unwrap();
    assert_eq!(
        bo.hub.until(closed).await,
        (from_bo, DeclineReason::AcceptedAnother)
    );
    let free = bo.hub.until(|e| match e {
        PresenceEvent::UserChanged { id, state } if id == bo.user.id => Some(state),
        _ => None,
    });
    assert_eq!(free.await, UserState::Available);
}

#[tokio::test]
async fn the_invitee_closing_their_tab_frees_the_inviter() {
    let app = spawn(30).await;
    let (mut ada, _) = app.join("Ada").await;
    let (bo, _) = app.join("Bo").await;
    let (cy, _) = app.join("Cy").await;
    let (invitation, _) = invite(&app, &ada, &bo).await;
    bo.hub.close().await;
    assert_eq!(
        ada.hub.until(closed).await,
        (invitation, DeclineReason::Left)
    );
    let left = ada.hub.until(|e| match e {
        PresenceEvent::UserLeft { id } => Some(id),
        _ => None,
    });
    assert_eq!(left.await, bo.user.id);
    invite(&app, &ada, &cy).await;
}

#[tokio::test]
async fn an_unanswered_invitation_rings_out() {
    let app = spawn(1).await;
    let (mut ada, _) = app.join("Ada").await;
    let (mut bo, _) = app.join("Bo").await;
    let (invitation, _) = invite(&app, &ada, &bo).await;
    assert_eq!(
        bo.hub.until(closed).await,
        (invitation, DeclineReason::NoAnswer)
    );
    assert_eq!(
        ada.hub.until(closed).await,
        (invitation, DeclineReason::NoAnswer)
    );
    let late = app.presence.accept(bo.user.id, invitation).await;
    assert_eq!(late.unwrap_err().status(), 404);
    app.presence
        .invite(ada.user.id, bo.user.id, CallOptions::default())
        .await
        .expect("Ada is available again");
}

#[tokio::test]
async fn bad_names_get_400_and_neither_token_nor_cookie() {
    let app = spawn(30).await;
    let long = "x".repeat(51);
    let bodies = [
        r#"{"name": ""}"#.to_owned(),
        r#"{"name": "   "}"#.to_owned(),
        format!(r#"{{"name": "{long}"}}"#),
        r#"{"name": "a\nb"}"#.to_owned(),
        r#"{"name": 5}"#.to_owned(),
        "name=Ada".to_owned(),
        String::new(),
    ];
    for body in bodies {
        let response = app.post_users(&body, None).await;
        assert_eq!(response.status(), 400, "{body}");
        assert!(response.headers().get("set-cookie").is_none(), "{body}");
        let error: Value = response.json().await.unwrap();
        assert!(
            error["error"].is_string() && error.get("token").is_none(),
            "{body}"
        );
    }
}

#[tokio::test]
async fn the_identity_cookie_rejoins_under_the_same_name() {
    let app = spawn(30).await;
    let response = app.post_users(r#"{"name": "Ada"}"#, None).await;
    let set_cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    for attribute in ["rendezvous_id=", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(set_cookie.contains(attribute), "{set_cookie}");
    }
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    let joined: Value = response.json().await.unwrap();
    let me = app.get("/users/me", Some(&cookie)).await;
    assert_eq!(me.status(), 200);
    let me: Value = me.json().await.unwrap();
    assert_eq!(me["user"], joined["user"]);
    let verified = verifier().verify(me["token"].as_str().unwrap()).unwrap();
    assert_eq!(verified.role, Role::Subscriber);
    let data = format!(
        r#"{{"name":"Ada","userId":"{}"}}"#,
        joined["user"]["id"].as_str().unwrap()
    );
    assert_eq!(verified.connection_data.as_deref(), Some(data.as_str()));

    let again = app.post_users("", Some(&cookie)).await;
    assert_eq!(again.status(), 200);
    assert!(
        again.headers().get("set-cookie").is_some(),
        "the cookie is renewed"
    );
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["user"], joined["user"]);

    assert_eq!(app.get("/users/me", None).await.status(), 401);
    assert_eq!(
        app.get("/users/me", Some("rendezvous_id=forged"))
            .await
            .status(),
        401
    );
}
