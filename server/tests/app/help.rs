//! Customer service (seed 002) over HTTP: the seed's routes with their
//! status codes and bodies — form, JSON and the `_METHOD=DELETE` override —
//! FIFO dequeue for signed-in representatives, and the position route for
//! clients that poll. The flows over the hub, concurrency and restarts are
//! in `help_flow`, durability across `kill -9` in `help_durability`.

pub mod support;

use app::help::backend::HelpBackend;
use app::help::{Outcome, QueueId};
use app::models::ConnectionData;
use serde_json::{json, Value};
use server::help::HubData;
use server::opentok::credentials::{ApiKey, ApiSecret, Credentials};
use server::opentok::token::Role;
use server::opentok::verify::TokenVerifier;

use crate::helpers::{ENGINE_KEY, ENGINE_SECRET};
use support::spawn;

fn verifier() -> TokenVerifier {
    TokenVerifier::new(&Credentials::Project {
        api_key: ApiKey::parse(ENGINE_KEY).unwrap(),
        api_secret: ApiSecret::parse(ENGINE_SECRET).unwrap(),
    })
}

async fn plain(response: reqwest::Response) -> (u16, String, String) {
    let status = response.status().as_u16();
    let kind = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    (status, kind, response.text().await.unwrap())
}

#[tokio::test]
async fn asking_for_help_gives_media_and_hub_credentials() {
    let app = spawn().await;
    let created = app.ask("  Ann Lee ").await;
    assert_eq!(created["apiKey"], ENGINE_KEY);
    let session_id = created["sessionId"].as_str().unwrap();
    let media = verifier()
        .verify(created["token"].as_str().unwrap())
        .unwrap();
    assert_eq!(
        (media.role, media.session_id.as_str()),
        (Role::Publisher, session_id)
    );
    let data = ConnectionData::parse(media.connection_data.as_deref().unwrap()).unwrap();
    assert_eq!(data.name.as_str(), "Ann Lee");
    let hub = &created["hub"];
    assert_eq!(hub["sessionId"], app.help.hub_session().as_str());
    let hub_token = verifier().verify(hub["token"].as_str().unwrap()).unwrap();
    assert_eq!(hub_token.role, Role::Subscriber);
    let data: HubData =
        serde_json::from_str(hub_token.connection_data.as_deref().unwrap()).unwrap();
    assert_eq!(
        data,
        HubData::Customer {
            name: "Ann Lee".into(),
            help_session: session_id.into()
        }
    );
    // JSON with the same keys works too.
    let body = json!({"customer_name": "Bo", "problem_text": "echo"});
    let response = app
        .http
        .post(app.url("/help/session"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn bad_help_requests_get_the_seeds_plain_messages() {
    let app = spawn().await;
    let long = "x".repeat(201);
    for (form, message) in [
        (vec![("problem_text", "hi")], "Enter a name."),
        (
            vec![("customer_name", "  "), ("problem_text", "hi")],
            "Enter a name.",
        ),
        (
            vec![
                ("customer_name", &"n".repeat(51)[..]),
                ("problem_text", "hi"),
            ],
            "A name has at most 50 characters.",
        ),
        (vec![("customer_name", "Ann")], "Describe your problem."),
        (
            vec![("customer_name", "Ann"), ("problem_text", &long[..])],
            "The problem description has at most 200 characters.",
        ),
    ] {
        let response = app.post_form("/help/session", &form, None).await;
        let (status, kind, text) = plain(response).await;
        assert_eq!((status, text.as_str()), (400, message), "{form:?}");
        assert!(kind.starts_with("text/plain"), "{kind}");
    }
    let broken = app.http.post(app.url("/help/session"));
    let broken = broken.header("content-type", "application/json").body("{");
    assert_eq!(broken.send().await.unwrap().status(), 400);
}

#[tokio::test]
async fn queueing_is_idempotent_and_refuses_unknown_sessions_in_plain_text() {
    let app = spawn().await;
    let created = app.ask("Ann").await;
    let session_id = created["sessionId"].as_str().unwrap();
    let queue_id = app.enqueue(session_id).await;
    assert_eq!(queue_id, QueueId::for_session(session_id).as_str());
    assert_eq!(app.enqueue(session_id).await, queue_id, "again: the same");
    let body = json!({ "session_id": session_id });
    let json = app
        .http
        .post(app.url("/help/queue"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(
        json.json::<Value>().await.unwrap()["queueId"],
        queue_id.as_str()
    );
    let invalid = "An invalid session_id was given.";
    for form in [
        vec![("session_id", "1_nope")],
        vec![("session_id", "")],
        vec![],
    ] {
        let (status, kind, text) = plain(app.post_form("/help/queue", &form, None).await).await;
        assert_eq!((status, text.as_str()), (400, invalid));
        assert!(kind.starts_with("text/plain"));
    }
    // Cancelled: gone for good.
    let response = app.delete(&format!("/help/queue/{queue_id}"), None).await;
    assert_eq!(response.status(), 204);
    let form = [("session_id", session_id)];
    let (status, _, text) = plain(app.post_form("/help/queue", &form, None).await).await;
    assert_eq!((status, text.as_str()), (400, invalid));
}

#[tokio::test]
async fn leaving_is_always_204_and_the_override_works_for_beacons() {
    let app = spawn().await;
    let (_, first) = app.queued("One").await;
    let (_, second) = app.queued("Two").await;
    let (_, third) = app.queued("Three").await;
    let position = app.queue_status(&third).await;
    let position: Value = position.json().await.unwrap();
    assert_eq!(
        position,
        json!({"position": 3, "waiting": 3, "estimatedWaitSecs": null})
    );
    // A URL-encoded beacon, a FormData (multipart) beacon, a header.
    let beacon = [("_METHOD", "DELETE")];
    let response = app
        .post_form(&format!("/help/queue/{first}"), &beacon, None)
        .await;
    assert_eq!(response.status(), 204);
    let form = "--B0undary\r\nContent-Disposition: form-data; name=\"_METHOD\"\r\n\r\n\
                DELETE\r\n--B0undary--\r\n";
    let response = app
        .http
        .post(app.url(&format!("/help/queue/{second}")))
        .header("content-type", "multipart/form-data; boundary=B0undary")
        .body(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let position = app.queue_status(&third).await;
    let position: Value = position.json().await.unwrap();
    assert_eq!(
        (position["position"].as_u64(), position["waiting"].as_u64()),
        (Some(1), Some(1))
    );
    let response = app
        .http
        .post(app.url(&format!("/help/queue/{third}")))
        .header("x-http-method-override", "DELETE")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let gone = app.queue_status(&third).await;
    assert_eq!(gone.status(), 404);
    assert!(gone.json::<Value>().await.unwrap()["error"].is_string());
    for unknown in ["helpsession:1_nope", "nonsense", &third] {
        let response = app.delete(&format!("/help/queue/{unknown}"), None).await;
        assert_eq!(response.status(), 204, "{unknown}");
    }
    let history = app.help.history(10, 0).await.unwrap();
    let outcomes: Vec<_> = history.into_iter().map(|record| record.outcome).collect();
    assert_eq!(outcomes, [Some(Outcome::Cancelled); 3]);
}

#[tokio::test]
async fn reps_dequeue_in_order_and_unsigned_requests_get_401() {
    let app = spawn().await;
    let unsigned = app.delete("/help/queue", None).await;
    assert_eq!(unsigned.status(), 401);
    assert!(unsigned.json::<Value>().await.unwrap()["error"].is_string());
    let forged = app.delete("/help/queue", Some("not.a.token")).await;
    assert_eq!(forged.status(), 401);
    let overridden = app
        .post_form("/help/queue", &[("_METHOD", "DELETE")], None)
        .await;
    assert_eq!(overridden.status(), 401, "the override needs a sign-in too");

    let rep = app.rep("ann").await;
    let mut queued = Vec::new();
    for name in ["One", "Two", "Three"] {
        queued.push(app.queued(name).await);
    }
    let first = app.delete("/help/queue", Some(&rep.token)).await;
    let second = app
        .post_form("/help/queue", &[("_METHOD", "DELETE")], Some(&rep.token))
        .await;
    let third = app
        .http
        .post(app.url("/help/queue"))
        .bearer_auth(&rep.token)
        .header("x-http-method-override", "DELETE")
        .send()
        .await
        .unwrap();
    let names = ["One", "Two", "Three"];
    for ((response, (created, queue_id)), name) in
        [first, second, third].into_iter().zip(&queued).zip(names)
    {
        assert_eq!(response.status(), 200);
        let assignment: Value = response.json().await.unwrap();
        assert_eq!(assignment["sessionId"], created["sessionId"]);
        assert_eq!(assignment["queueId"], queue_id.as_str());
        assert_eq!(assignment["apiKey"], ENGINE_KEY);
        assert_eq!(assignment["customerName"], name);
        assert_eq!(assignment["problemText"], "I cannot hear you");
        let token = verifier()
            .verify(assignment["token"].as_str().unwrap())
            .unwrap();
        let data = ConnectionData::parse(token.connection_data.as_deref().unwrap()).unwrap();
        assert_eq!((token.role, data.name.as_str()), (Role::Publisher, "ann"));
    }
    let empty = app.delete("/help/queue", Some(&rep.token)).await;
    assert_eq!(empty.status(), 204);
    assert!(empty.bytes().await.unwrap().is_empty());
}
