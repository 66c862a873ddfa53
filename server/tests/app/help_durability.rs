//! Killing the server mid-queue loses nobody: the real `server` binary takes
//! customers from 16 concurrent clients (`POST /help/session` then
//! `POST /help/queue`, as the seed's page does), is killed with SIGKILL
//! while they keep coming, and the database it leaves behind must hold
//! every customer whose enqueue was acknowledged, in the queue. (SQLite in
//! WAL mode: a commit is in the WAL file, i.e. in the operating system's
//! hands, before the server answers.)

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use server::store::help::HelpStore;
use server::store::sqlite::SqliteStore;

use crate::real_server::RealServer;

/// Acknowledged enqueues before the kill.
const BEFORE_KILL: usize = 150;

/// One customer: asks and queues; the session id once acknowledged.
async fn customer(http: &reqwest::Client, base: &str, i: usize) -> Option<String> {
    let name = format!("Customer {i}");
    let form = [
        ("customer_name", name.as_str()),
        ("problem_text", "no picture"),
    ];
    let asked = http
        .post(format!("{base}/help/session"))
        .form(&form)
        .send()
        .await
        .ok()?;
    let created: Value = asked.json().await.ok()?;
    let session_id = created["sessionId"].as_str()?.to_owned();
    let form = [("session_id", session_id.as_str())];
    let queued = http
        .post(format!("{base}/help/queue"))
        .form(&form)
        .send()
        .await
        .ok()?;
    (queued.status() == 200).then_some(session_id)
}

#[tokio::test]
async fn killing_the_server_mid_queue_loses_no_acknowledged_customer() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = RealServer::start(dir.path());
    let base = server.base.clone();

    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let acked = Arc::new(Mutex::new(Vec::new()));
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let workers: Vec<_> = (0..16)
        .map(|_| {
            let (http, base, acked, next) =
                (http.clone(), base.clone(), acked.clone(), next.clone());
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    match customer(&http, &base, i).await {
                        Some(id) => acked.lock().unwrap().push(id),
                        // The server is gone.
                        None => return,
                    }
                }
            })
        })
        .collect();
    while acked.lock().unwrap().len() < BEFORE_KILL {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill();
    for worker in workers {
        worker.await.unwrap();
    }

    let acked: Vec<String> = acked.lock().unwrap().clone();
    assert!(acked.len() >= BEFORE_KILL);
    let store = SqliteStore::open(dir.path())
        .await
        .expect("the store reopens");
    let queued: HashSet<String> = store
        .queue()
        .await
        .unwrap()
        .into_iter()
        .map(|id| id.to_string())
        .collect();
    let lost: Vec<&String> = acked.iter().filter(|id| !queued.contains(*id)).collect();
    assert!(
        lost.is_empty(),
        "{} of {} lost: {lost:?}",
        lost.len(),
        acked.len()
    );
}
