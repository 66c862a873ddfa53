//! Customer service end to end: concurrent representatives never share a
//! customer, the queue survives a restart in FIFO order, and the help hub
//! tells customers their position, representatives the count and their
//! assignment, and removes a customer whose hub socket closed.

use std::collections::HashSet;
use std::time::Duration;

use app::help::backend::{HelpBackend, NextCustomer};
use app::help::{HelpEvent, Outcome};
use serde_json::{json, Value};

use crate::help::support::{spawn, HelpApp, PATIENCE};

fn position(event: HelpEvent) -> Option<(u32, u32)> {
    match event {
        HelpEvent::Position { position } => Some((position.position, position.waiting)),
        _ => None,
    }
}

/// Dequeues with `token` until the queue is empty; the session ids taken.
async fn drain(app: &HelpApp, token: &str) -> Vec<String> {
    let mut taken = Vec::new();
    loop {
        let response = app.delete("/help/queue", Some(token)).await;
        match response.status().as_u16() {
            200 => {
                let assignment: Value = response.json().await.expect("JSON");
                taken.push(assignment["sessionId"].as_str().expect("an id").to_owned());
            }
            204 => return taken,
            other => panic!("dequeue answered {other}"),
        }
    }
}

#[tokio::test]
async fn concurrent_dequeues_hand_out_each_customer_once() {
    let app = spawn().await;
    let mut expected = HashSet::new();
    for i in 0..20 {
        let (created, _) = app.queued(&format!("Customer {i}")).await;
        expected.insert(created["sessionId"].as_str().unwrap().to_owned());
    }
    let mut tokens = Vec::new();
    for i in 0..4 {
        tokens.push(app.rep(&format!("rep{i}")).await.token);
    }
    let app = std::sync::Arc::new(app);
    let dequeuers: Vec<_> = (0..8)
        .map(|i| {
            let (app, token) = (app.clone(), tokens[i % tokens.len()].clone());
            tokio::spawn(async move { drain(&app, &token).await })
        })
        .collect();
    let mut taken = Vec::new();
    for dequeuer in dequeuers {
        taken.extend(dequeuer.await.unwrap());
    }
    assert_eq!(taken.len(), 20, "20 assignments");
    let distinct: HashSet<String> = taken.into_iter().collect();
    assert_eq!(distinct, expected, "every customer exactly once");
}

#[tokio::test]
async fn the_queue_survives_a_restart_in_order() {
    let app = spawn().await;
    let mut order = Vec::new();
    for name in ["First", "Second", "Third"] {
        let (created, _) = app.queued(name).await;
        order.push(created["sessionId"].as_str().unwrap().to_owned());
    }
    let answered = app.queued("Answered").await.0;
    let rep = app.rep("ann").await;
    // The representative answers the first, who is then out of the queue.
    let first = app.delete("/help/queue", Some(&rep.token)).await;
    assert_eq!(
        first.json::<Value>().await.unwrap()["sessionId"],
        order[0].as_str()
    );
    let app = app.restart().await;
    let rep = app.rep("bo").await;
    let mut expected = order[1..].to_vec();
    expected.push(answered["sessionId"].as_str().unwrap().to_owned());
    assert_eq!(drain(&app, &rep.token).await, expected);
}

#[tokio::test]
async fn positions_move_up_as_people_ahead_leave() {
    let app = spawn().await;
    let mut hubs = Vec::new();
    let mut queue_ids = Vec::new();
    for name in ["One", "Two", "Three"] {
        let created = app.ask(name).await;
        let mut hub = app.hub(&created["hub"]).await;
        let queue_id = app.enqueue(created["sessionId"].as_str().unwrap()).await;
        let expected = queue_ids.len() as u32 + 1;
        hub.until(|e| position(e).filter(|p| p.0 == expected)).await;
        hubs.push(hub);
        queue_ids.push(queue_id);
    }
    let response = app
        .delete(&format!("/help/queue/{}", queue_ids[0]), None)
        .await;
    assert_eq!(response.status(), 204);
    assert_eq!(
        hubs[1].until(|e| position(e).filter(|p| p.0 == 1)).await,
        (1, 2)
    );
    assert_eq!(
        hubs[2].until(|e| position(e).filter(|p| p.0 == 2)).await,
        (2, 2)
    );
    let ended = hubs[0].until(|e| match e {
        HelpEvent::Ended { outcome, .. } => Some(outcome),
        _ => None,
    });
    assert_eq!(ended.await, Outcome::Cancelled);
}

#[tokio::test]
async fn a_ready_rep_is_assigned_over_the_hub_and_both_hear_the_end() {
    let app = spawn().await;
    let rep = app.rep("ann").await;
    let credentials = app.help.rep_hub(&rep.account).await.unwrap();
    let mut rep_hub = app.hub(&serde_json::to_value(&credentials).unwrap()).await;
    let count = rep_hub.until(|e| match e {
        HelpEvent::Waiting { count } => Some(count),
        _ => None,
    });
    assert_eq!(count.await, 0);
    let ready = app.help.next_customer(&rep.account).await.unwrap();
    assert_eq!(ready, NextCustomer::Ready);

    let created = app.ask("Cy").await;
    let mut customer = app.hub(&created["hub"]).await;
    let session_id = created["sessionId"].as_str().unwrap();
    app.enqueue(session_id).await;
    let assignment = rep_hub.until(|e| match e {
        HelpEvent::Assigned { assignment } => Some(assignment),
        _ => None,
    });
    let assignment = assignment.await;
    assert_eq!(assignment.session_id, session_id);
    assert_eq!(assignment.customer_name.as_str(), "Cy");
    let answered = customer.until(|e| match e {
        HelpEvent::Answered { rep_name } => Some(rep_name),
        _ => None,
    });
    assert_eq!(answered.await, "ann");
    app.help.end_call(&rep.account, session_id).await.unwrap();
    for hub in [&mut customer, &mut rep_hub] {
        let ended = hub.until(|e| match e {
            HelpEvent::Ended {
                session_id,
                outcome,
            } => Some((session_id, outcome)),
            _ => None,
        });
        assert_eq!(ended.await, (session_id.to_owned(), Outcome::Served));
    }
}

#[tokio::test]
async fn closing_a_waiting_customers_socket_takes_them_out_of_the_queue() {
    let app = spawn().await;
    let created = app.ask("Gone").await;
    let hub = app.hub(&created["hub"]).await;
    let queue_id = app.enqueue(created["sessionId"].as_str().unwrap()).await;
    let (_, behind) = app.queued("Behind").await;
    hub.close().await;
    // Out after the 3 s grace; poll as an HTTP client would.
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let response = app.queue_status(&queue_id).await;
        if response.status() == 404 {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "still queued");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let position = app.queue_status(&behind).await;
    let position: Value = position.json().await.unwrap();
    assert_eq!(
        (position["position"].clone(), position["waiting"].clone()),
        (json!(1), json!(1))
    );
    let history = app.help.history(10, 0).await.unwrap();
    let gone = history
        .iter()
        .find(|record| record.session_id == created["sessionId"].as_str().unwrap());
    assert_eq!(gone.unwrap().outcome, Some(Outcome::Abandoned));
}
