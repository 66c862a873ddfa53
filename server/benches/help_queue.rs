//! Customer-service queue throughput on the SQLite store: how many enqueue
//! and dequeue operations per second [`HelpStore`] sustains with `c`
//! concurrent callers, on a file database opened exactly as the server
//! opens it (WAL, `synchronous=NORMAL`). For each `c`, on a fresh database:
//! `create` stores N help sessions, `enqueue` queues them all, `dequeue`
//! takes them all (FIFO, one statement each), and `mixed` runs c/2
//! enqueuers beside c/2 dequeuers over N more customers. Prints a Markdown
//! table (BENCHMARKS.md, "Customer-service queue").
//!
//! `cargo bench -p server --bench help_queue [-- --customers 20000 --concurrency 1,8,64]`

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use app::accounts::Role;
use app::help::ProblemText;
use app::models::DisplayName;
use server::accounts::{Password, PasswordHash};
use server::opentok::model::MediaMode;
use server::opentok::session_id::SessionId;
use server::store::accounts::AccountStore;
use server::store::help::{Enqueued, HelpStore, NewHelpSession, RepRef};
use server::store::sqlite::SqliteStore;

struct Args {
    customers: usize,
    concurrency: Vec<usize>,
}

fn args() -> Args {
    let mut args = Args {
        customers: 20_000,
        concurrency: vec![1, 8, 64],
    };
    let mut raw = std::env::args().skip(1);
    while let Some(arg) = raw.next() {
        let mut value = || raw.next().unwrap_or_default();
        match arg.as_str() {
            "--customers" => args.customers = value().parse().expect("--customers N"),
            "--concurrency" => {
                args.concurrency = value()
                    .split(',')
                    .map(|n| n.parse().expect("--concurrency 1,8,64"))
                    .collect()
            }
            _ => {} // `cargo bench` adds `--bench`
        }
    }
    args
}

/// Runs `op(0..total)` spread over `tasks` tasks; returns the time taken.
async fn spread<F, Fut>(tasks: usize, total: usize, op: F) -> Duration
where
    F: Fn(usize) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let handles: Vec<_> = (0..tasks)
        .map(|_| {
            let (op, next) = (op.clone(), next.clone());
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= total {
                        return;
                    }
                    op(i).await;
                }
            })
        })
        .collect();
    for handle in handles {
        handle.await.expect("a benchmark task");
    }
    started.elapsed()
}

/// Stores `n` new help sessions; their ids.
async fn create(store: &Arc<SqliteStore>, tasks: usize, n: usize) -> (Vec<SessionId>, Duration) {
    let ids: Arc<Vec<SessionId>> = Arc::new(
        (0..n)
            .map(|_| SessionId::generate("123456", None, MediaMode::Relayed))
            .collect(),
    );
    let took = spread(tasks, n, {
        let (store, ids) = (store.clone(), ids.clone());
        move |i| {
            let (store, ids) = (store.clone(), ids.clone());
            async move {
                let new = NewHelpSession {
                    session_id: ids[i].clone(),
                    customer_name: DisplayName::parse("Customer").expect("a name"),
                    problem_text: ProblemText::parse("no sound").expect("a problem"),
                    created_at: 1,
                };
                store.create_help_session(&new).await.expect("created");
            }
        }
    })
    .await;
    (Arc::unwrap_or_clone(ids), took)
}

async fn enqueue(store: &Arc<SqliteStore>, tasks: usize, ids: &[SessionId]) -> Duration {
    let ids = Arc::new(ids.to_vec());
    spread(tasks, ids.len(), {
        let store = store.clone();
        move |i| {
            let (store, ids) = (store.clone(), ids.clone());
            async move {
                let done = store.enqueue(&ids[i], 2).await.expect("enqueued");
                assert_eq!(done, Enqueued::Queued);
            }
        }
    })
    .await
}

/// Dequeues `n` customers with `reps`, one task per rep.
async fn dequeue(store: &Arc<SqliteStore>, reps: &[RepRef], n: usize) -> Duration {
    let taken = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let handles: Vec<_> = reps
        .iter()
        .cloned()
        .map(|rep| {
            let (store, taken) = (store.clone(), taken.clone());
            tokio::spawn(async move {
                while taken.load(Ordering::Relaxed) < n {
                    if store
                        .dequeue_first(&rep, 3)
                        .await
                        .expect("dequeued")
                        .is_some()
                    {
                        taken.fetch_add(1, Ordering::Relaxed);
                    } else {
                        tokio::task::yield_now().await;
                    }
                }
            })
        })
        .collect();
    for handle in handles {
        handle.await.expect("a dequeuer");
    }
    started.elapsed()
}

async fn reps(store: &SqliteStore, run: usize, count: usize) -> Vec<RepRef> {
    let password = Password::parse("benchmark-password").expect("a valid password");
    let hash = PasswordHash::create(&password).expect("a hash");
    let mut reps = Vec::new();
    for i in 0..count {
        let name = app::accounts::Username::parse(&format!("rep{run}x{i}")).expect("a name");
        let stored = store
            .insert_account(&name, Role::Rep, &hash)
            .await
            .expect("an account");
        reps.push(RepRef {
            id: stored.account.id,
            name,
        });
    }
    reps
}

fn rate(ops: usize, took: Duration) -> String {
    format!("{:.0}", ops as f64 / took.as_secs_f64())
}

async fn run(customers: usize, c: usize) -> String {
    let dir = tempfile::tempdir().expect("a temp dir");
    let store = Arc::new(SqliteStore::open(dir.path()).await.expect("the store"));
    let reps = reps(&store, c, c).await;
    let (ids, created) = create(&store, c, customers).await;
    let enqueued = enqueue(&store, c, &ids).await;
    let dequeued = dequeue(&store, &reps, customers).await;
    // Mixed: half the callers enqueue, the other half dequeue at once.
    let (more, _) = create(&store, c, customers).await;
    let half = (c / 2).max(1);
    let started = Instant::now();
    let (e, d) = tokio::join!(
        enqueue(&store, half, &more),
        dequeue(&store, &reps[..half.min(reps.len())], customers)
    );
    let mixed = started.elapsed();
    let _ = (e, d);
    let waiting = store.waiting_count().await.expect("a count");
    assert_eq!(waiting, 0, "every customer was taken");
    format!(
        "| {c} | {customers} | {} | {} | {} | {} | {} |",
        rate(customers, created),
        rate(customers, enqueued),
        rate(customers, dequeued),
        rate(2 * customers, enqueued + dequeued),
        rate(2 * customers, mixed),
    )
}

fn main() {
    let args = args();
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    println!("| callers | customers | create/s | enqueue/s | dequeue/s | enqueue + dequeue ops/s | mixed ops/s |");
    println!("|--:|--:|--:|--:|--:|--:|--:|");
    for &c in &args.concurrency {
        println!("{}", runtime.block_on(run(args.customers, c)));
    }
}
