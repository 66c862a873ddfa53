//! The help service on a real engine and SQLite store, with hub connections
//! registered as the hub registers them: matching, events, leaving,
//! restoring after a restart, and the representatives' backend.

use std::sync::Arc;
use std::time::Duration;

use app::accounts::{Account, Role, Username};
use app::help::backend::{HelpBackend, HelpError, NextCustomer};
use app::help::{HelpEvent, HelpSessionCreated, Outcome, ProblemText, HELP_SIGNAL};
use app::models::DisplayName;
use tempfile::TempDir;

use super::*;
use crate::accounts::{Password, PasswordHash};
use crate::engine::Registration;
use crate::opentok::credentials::{ApiKey, ApiSecret, Credentials};
use crate::opentok::model::MediaMode;
use crate::provider::local::LocalProvider;
use crate::store::accounts::AccountStore;
use crate::store::sqlite::SqliteStore;

/// Longest wait for one expected event.
const PATIENCE: Duration = Duration::from_secs(10);

/// Short graces, so leaving is quick to test.
pub const QUICK: HelpTimings = HelpTimings {
    leave_grace: Duration::from_millis(100),
    restore_grace: Duration::from_millis(300),
};

pub struct Fixture {
    pub service: HelpService,
    pub engine: Engine,
    pub store: Arc<SqliteStore>,
    pub dir: TempDir,
}

/// A service on a fresh engine and store.
pub async fn fixture(timings: HelpTimings) -> Fixture {
    let dir = tempfile::tempdir().expect("a temp dir");
    fixture_in(dir, timings).await
}

/// A service on the store in `dir` (kept from an earlier fixture).
pub async fn fixture_in(dir: TempDir, timings: HelpTimings) -> Fixture {
    let store = Arc::new(SqliteStore::open(dir.path()).await.expect("the store"));
    let credentials = Credentials::Project {
        api_key: ApiKey::parse("123456").expect("a key"),
        api_secret: ApiSecret::parse("0123456789abcdef0123456789abcdef01234567").expect("a secret"),
    };
    let engine = Engine::new(credentials, store.clone());
    let provider = Arc::new(LocalProvider::new(engine.clone()));
    let service = HelpService::start(
        engine.clone(),
        provider,
        store.clone(),
        store.clone(),
        timings,
    )
    .await
    .expect("the help service starts");
    Fixture {
        service,
        engine,
        store,
        dir,
    }
}

impl Fixture {
    /// A representative account.
    pub async fn rep(&self, name: &str) -> Account {
        let password = Password::parse("long enough password").expect("a password");
        let hash = PasswordHash::create(&password).expect("a hash");
        let name = Username::parse(name).expect("a username");
        let stored = self.store.insert_account(&name, Role::Rep, &hash).await;
        stored.expect("an account").account
    }

    /// A customer who asked for help (not queued).
    pub async fn ask(&self, name: &str) -> HelpSessionCreated {
        let name = DisplayName::parse(name).expect("a name");
        let problem = ProblemText::parse("my camera is black").expect("a problem");
        self.service.ask(name, problem).await.expect("asked")
    }

    /// A customer who asked, connected to the hub and queued.
    pub async fn queued(&self, name: &str) -> (HelpSessionCreated, Registration) {
        let created = self.ask(name).await;
        let tab = self.connect_customer(&created);
        self.service
            .enqueue(&created.session_id)
            .await
            .expect("queued");
        (created, tab)
    }

    /// A hub connection with the customer's token data.
    pub fn connect_customer(&self, created: &HelpSessionCreated) -> Registration {
        self.connect(HubData::Customer {
            name: "customer".into(),
            help_session: created.session_id.clone(),
        })
    }

    /// A hub connection with the representative's token data.
    pub fn connect_rep(&self, rep: &Account) -> Registration {
        self.connect(HubData::Rep {
            name: rep.username.to_string(),
            rep: rep.id,
        })
    }

    fn connect(&self, data: HubData) -> Registration {
        let hub = self.service.hub_session();
        self.engine
            .connections()
            .register(hub, Some(data.to_json()))
    }

    /// The stored help session.
    pub async fn record(&self, session_id: &str) -> crate::store::help::HelpSessionRecord {
        let id = SessionId::parse(session_id).expect("a session id");
        let record = self
            .store
            .help_session(&id)
            .await
            .expect("the store answers");
        record.expect("a stored help session")
    }

    /// Closes a hub connection as the hub does when a socket goes.
    pub fn close(&self, tab: &Registration) {
        let hub = self.service.hub_session();
        assert!(self.engine.connections().unregister(hub, tab.info.id));
    }
}

/// The next help event a connection receives.
pub async fn next_event(tab: &mut Registration) -> HelpEvent {
    let event = tokio::time::timeout(PATIENCE, tab.events.recv())
        .await
        .expect("an event in time")
        .expect("the connection is open");
    let EngineEvent::Signal(signal) = event else {
        panic!("expected a signal, got {event:?}");
    };
    assert_eq!(signal.signal_type(), HELP_SIGNAL);
    HelpEvent::parse(signal.data()).expect("a help event")
}

/// Skips events until `pick` finds one.
pub async fn until<T>(tab: &mut Registration, pick: impl Fn(HelpEvent) -> Option<T>) -> T {
    loop {
        if let Some(found) = pick(next_event(tab).await) {
            return found;
        }
    }
}

fn position(event: HelpEvent) -> Option<(u32, u32)> {
    match event {
        HelpEvent::Position { position } => Some((position.position, position.waiting)),
        _ => None,
    }
}

fn ended(event: HelpEvent) -> Option<Outcome> {
    match event {
        HelpEvent::Ended { outcome, .. } => Some(outcome),
        _ => None,
    }
}

#[tokio::test]
async fn the_hub_session_is_created_once_relayed_and_quiet() {
    let first = fixture(QUICK).await;
    let hub = first.service.hub_session().clone();
    let again = fixture_in(first.dir, QUICK).await;
    assert_eq!(again.service.hub_session(), &hub);
    let record = again.engine.session(&hub).await.unwrap().unwrap();
    assert_eq!(record.options.media_mode, MediaMode::Relayed);
    assert!(again.engine.hub().connection_events_suppressed(&hub));
    assert!(format!("{:?}", again.service).contains("HelpService"));
}

#[tokio::test]
async fn a_ready_rep_is_assigned_the_next_customer_to_arrive() {
    let fixture = fixture(QUICK).await;
    let ann = fixture.rep("ann").await;
    let mut ann_tab = fixture.connect_rep(&ann);
    let count = until(&mut ann_tab, |e| match e {
        HelpEvent::Waiting { count } => Some(count),
        _ => None,
    });
    assert_eq!(count.await, 0, "a new rep connection hears the count");
    let ready = fixture.service.next_customer(&ann).await.unwrap();
    assert_eq!(ready, NextCustomer::Ready);
    let (created, mut customer) = fixture.queued("Cy").await;
    let assignment = until(&mut ann_tab, |e| match e {
        HelpEvent::Assigned { assignment } => Some(assignment),
        _ => None,
    })
    .await;
    assert_eq!(assignment.session_id, created.session_id);
    assert_eq!(assignment.customer_name.as_str(), "Cy");
    assert_eq!(
        assignment.queue_id.as_str(),
        format!("helpsession:{}", created.session_id)
    );
    let answered = until(&mut customer, |e| match e {
        HelpEvent::Answered { rep_name } => Some(rep_name),
        _ => None,
    });
    assert_eq!(answered.await, "ann");
    assert_eq!(fixture.service.waiting().await.unwrap(), 0);
    // Only Ann's call: another rep cannot end it, Ann can, twice.
    let bo = fixture.rep("bo").await;
    let refused = fixture.service.end_call(&bo, &created.session_id).await;
    assert_eq!(refused, Err(HelpError::Forbidden));
    fixture
        .service
        .end_call(&ann, &created.session_id)
        .await
        .unwrap();
    fixture
        .service
        .end_call(&ann, &created.session_id)
        .await
        .unwrap();
    assert_eq!(until(&mut customer, ended).await, Outcome::Served);
    assert_eq!(
        fixture.service.skip(&ann, "1_nope").await,
        Err(HelpError::NotFound)
    );
}

#[tokio::test]
async fn positions_follow_the_queue_and_reps_hear_the_count() {
    let fixture = fixture(QUICK).await;
    let ann = fixture.rep("ann").await;
    let mut ann_tab = fixture.connect_rep(&ann);
    let (first, _first_tab) = fixture.queued("One").await;
    let (_, mut second) = fixture.queued("Two").await;
    let (_, mut third) = fixture.queued("Three").await;
    assert_eq!(until(&mut third, position).await, (3, 3));
    until(&mut ann_tab, |e| {
        matches!(e, HelpEvent::Waiting { count: 3 }).then_some(())
    })
    .await;
    let queue_id = format!("helpsession:{}", first.session_id);
    let left = fixture.service.leave(&queue_id).await;
    assert_eq!(left.unwrap(), Some(Outcome::Cancelled));
    assert_eq!(
        until(&mut third, |e| position(e).filter(|p| p.0 == 2)).await,
        (2, 2)
    );
    assert_eq!(
        until(&mut second, |e| position(e).filter(|p| p.0 == 1)).await,
        (1, 2)
    );
    until(&mut ann_tab, |e| {
        matches!(e, HelpEvent::Waiting { count: 2 }).then_some(())
    })
    .await;
    let NextCustomer::Assigned(next) = fixture.service.next_customer(&ann).await.unwrap() else {
        panic!("someone waits");
    };
    assert_eq!(next.customer_name.as_str(), "Two");
    assert_eq!(
        until(&mut third, |e| position(e).filter(|p| p.0 == 1)).await,
        (1, 1)
    );
}

#[tokio::test]
async fn a_customer_gone_from_the_hub_is_abandoned_after_the_grace() {
    let fixture = fixture(QUICK).await;
    let (gone, tab) = fixture.queued("Gone").await;
    let (back, tab_back) = fixture.queued("Back").await;
    fixture.close(&tab);
    fixture.close(&tab_back);
    let _again = fixture.connect_customer(&back);
    tokio::time::sleep(QUICK.leave_grace * 5).await;
    let record = fixture.record(&gone.session_id).await;
    assert_eq!(record.outcome, Some(Outcome::Abandoned));
    let record = fixture.record(&back.session_id).await;
    assert_eq!(record.outcome, None, "reconnected in time");
    assert_eq!(fixture.service.waiting().await.unwrap(), 1);
}

#[tokio::test]
async fn after_a_restart_the_queue_waits_for_its_customers_to_reconnect() {
    let before = fixture(HelpTimings::default()).await;
    let (stays, _) = before.queued("Stays").await;
    let (gone, _) = before.queued("Gone").await;
    drop(before.service);
    let after = fixture_in(before.dir, QUICK).await;
    let mut back = after.connect_customer(&stays);
    assert_eq!(until(&mut back, position).await, (1, 2));
    tokio::time::sleep(QUICK.restore_grace * 3).await;
    let queue = after.store.queue().await.unwrap();
    assert_eq!(queue, [SessionId::parse(&stays.session_id).unwrap()]);
    let record = after.record(&gone.session_id).await;
    assert_eq!(record.outcome, Some(Outcome::Abandoned));
}

#[tokio::test]
async fn a_ready_rep_who_cannot_be_told_hands_the_customer_back() {
    let fixture = fixture(QUICK).await;
    let ann = fixture.rep("ann").await;
    // Ready, with no hub connection at all.
    assert_eq!(
        fixture.service.next_customer(&ann).await.unwrap(),
        NextCustomer::Ready
    );
    let (created, _tab) = fixture.queued("Cy").await;
    let queue = fixture.store.queue().await.unwrap();
    assert_eq!(queue, [SessionId::parse(&created.session_id).unwrap()]);
    let bo = fixture.rep("bo").await;
    let mut bo_tab = fixture.connect_rep(&bo);
    let NextCustomer::Assigned(assignment) = fixture.service.next_customer(&bo).await.unwrap()
    else {
        panic!("Cy still waits");
    };
    assert_eq!(assignment.session_id, created.session_id);
    fixture
        .service
        .skip(&bo, &created.session_id)
        .await
        .unwrap();
    assert_eq!(until(&mut bo_tab, ended).await, Outcome::Skipped);
    let history = fixture.service.history(10, 0).await.unwrap();
    assert_eq!((history.len(), history[0].rep.as_deref()), (1, Some("bo")));
    let metrics = fixture.service.metrics().await.unwrap();
    assert_eq!(
        (metrics.outcomes.skipped, metrics.calls_per_hour.len()),
        (1, 24)
    );
}

#[tokio::test]
async fn a_rep_who_stopped_waiting_is_not_assigned() {
    let fixture = fixture(QUICK).await;
    let ann = fixture.rep("ann").await;
    let _tab = fixture.connect_rep(&ann);
    assert_eq!(
        fixture.service.next_customer(&ann).await.unwrap(),
        NextCustomer::Ready
    );
    fixture.service.stop_waiting(&ann).await.unwrap();
    let (created, _customer) = fixture.queued("Cy").await;
    let waiting = fixture.record(&created.session_id).await;
    assert_eq!(waiting.state, crate::store::help::HelpState::Waiting);
    let NextCustomer::Assigned(_) = fixture.service.next_customer(&ann).await.unwrap() else {
        panic!("Cy waits for whoever asks next");
    };
}
