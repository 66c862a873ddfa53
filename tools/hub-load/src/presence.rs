//! The presence run: N people in the presence session, joined the way the
//! page joins them, then (1) what one more join costs — frames to each
//! member, frames to the newcomer — and how fast its `userJoined` reaches
//! everyone, and (2) how fast one state change reaches all N.
//!
//! 1. Start a fresh server; `GET /presence`; sign N people up (`POST
//!    /users`, `--concurrency` at a time); read the RSS.
//! 2. Join N − P of them to the hub (`--concurrency` at a time, as in the
//!    hub run); wait until every client has its complete list and the
//!    `userJoined` flood is over (nothing arrives for `--interval-ms`);
//!    then each should know every other open client from its list and its
//!    `userJoined` / `userLeft` events.
//! 3. Join the last P (`--probes`) one at a time: before each, snapshot
//!    every member's counts; wait until every member has one more
//!    `userJoined` and the newcomer its complete list, then `--interval-ms`
//!    for stragglers; the differences are the join's cost. Read the RSS.
//! 4. `--rounds` state changes, one at a time after a pause: person 0
//!    invites person 1 (`POST /chats`), then withdraws (the page's
//!    `cancel_invitation`), alternately; each makes person 0 `invitePending`
//!    or `available` again — one `userChanged` to everyone. A delay is from
//!    just before the HTTP request to a client's reading of that event.

use std::time::Duration;

use load_kit::Timeout;
use tokio::time::Instant;

use crate::args::Args;
use crate::crowd::{Counts, Crowd};
use crate::error::LoadError;
use crate::people::{Person, PresenceApi};
use crate::project::Project;
use crate::scenario::within;
use crate::stats::Summary;

/// What one presence run measured.
#[derive(Debug, Clone)]
pub struct PresenceOutcome {
    /// People in the session at the end.
    pub users: usize,
    /// Signing everyone up.
    pub sign_up: Duration,
    /// From the first socket opened to the last `connected` (N − P joins).
    pub connect: Duration,
    /// From then until every list was complete and the flood was over.
    pub settle: Duration,
    /// Frames each member received per probe join: fewest, most.
    pub member_frames: (u64, u64),
    /// Frames each newcomer received (`connected` included): fewest, most.
    pub newcomer_frames: (u64, u64),
    /// Hub connection frames anybody received during the whole run.
    pub connection_news: u64,
    /// People the bulk joiners heard of twice, in their list and by
    /// `userJoined` (a member that registers while an earlier join is being
    /// announced hears of it and also finds it in its list).
    pub overlap: u64,
    /// Open clients whose list and `userJoined` events, after the bulk
    /// join, did not name everyone else (should be 0).
    pub incomplete: u64,
    /// Frames everybody received per state change.
    pub change_frames: f64,
    /// Join-to-`userJoined` delays over all members of all probe joins.
    pub joins: Summary,
    /// Request-to-`userChanged` delays over all clients of all rounds.
    pub changes: Summary,
    /// Server RSS with everyone signed up and nobody connected, KiB.
    pub rss_before_kib: u64,
    /// Server RSS with everyone joined, KiB.
    pub rss_after_kib: u64,
    /// Sockets that closed during the run (should be 0).
    pub lost: u64,
    /// `error` frames during the run (should be 0).
    pub refused: u64,
}

impl PresenceOutcome {
    /// Server memory added per joined person, KiB.
    pub fn kib_per_user(&self) -> f64 {
        let added = self.rss_after_kib.saturating_sub(self.rss_before_kib);
        added as f64 / self.users.max(1) as f64
    }
}

/// Runs the presence benchmark for `users` people.
pub async fn run(
    args: &Args,
    project: &Project,
    users: usize,
) -> Result<PresenceOutcome, LoadError> {
    if users < 3 {
        return Err(LoadError::Presence(
            "the presence run needs 3 people or more".into(),
        ));
    }
    let patience = args.patience();
    let server = project.start_server(&args.server).await?;
    let api = PresenceApi::new(server.base_url())?;
    let session = api.session().await?;
    let started = Instant::now();
    let people = within(
        patience,
        "signing up",
        api.sign_up_many(users, args.concurrency),
    )
    .await??;
    let sign_up = started.elapsed();
    let rss_before_kib = server.rss_kib()?;
    eprintln!("[{users}] {users} signed up in {sign_up:.1?}, RSS {rss_before_kib} KiB; joining…");

    let probes = args.probes.clamp(1, users - 2);
    let bulk = users - probes;
    let url = server.hub_url();
    let mut crowd = Crowd::new();
    let joined = join_bulk(&mut crowd, args, &url, &session, &people[..bulk]).await?;
    eprintln!(
        "[{users}] {bulk} joined in {:.1?}, settled in {:.1?} ({} incomplete lists, {} lost); probing…",
        joined.connect,
        joined.settle,
        joined.incomplete,
        crowd.counts().iter().filter(|c| c.closed).count(),
    );

    let mut cost = JoinCost::default();
    for person in &people[bulk..] {
        cost.probe(&mut crowd, args, &url, &session, person).await?;
    }
    let rss_after_kib = server.rss_kib()?;
    eprintln!("[{users}] probed, RSS {rss_after_kib} KiB; changing states…");

    let before = crowd.counts();
    let changes = change_states(&crowd, args, &api, &people).await?;
    crowd.quiesce(args.interval(), patience).await?;
    let after = crowd.counts();
    let change_frames = (sum(&after, |c| c.frames) - sum(&before, |c| c.frames)) as f64
        / f64::from(args.rounds.max(1));
    server.stop().await;
    let missing = |what: &'static str| Timeout {
        phase: what,
        limit: patience,
    };
    Ok(PresenceOutcome {
        users,
        sign_up,
        connect: joined.connect,
        settle: joined.settle,
        incomplete: joined.incomplete,
        member_frames: cost.member_frames.ok_or_else(|| missing("probing"))?,
        newcomer_frames: cost.newcomer_frames.ok_or_else(|| missing("probing"))?,
        connection_news: sum(&after, |c| c.connection_news),
        overlap: joined.overlap,
        change_frames,
        joins: Summary::of(cost.delays).ok_or_else(|| missing("probing"))?,
        changes: Summary::of(changes).ok_or_else(|| missing("changing states"))?,
        rss_before_kib,
        rss_after_kib,
        lost: after.iter().filter(|c| c.closed).count() as u64,
        refused: sum(&after, |c| c.refused),
    })
}

/// The bulk join's figures.
#[derive(Debug)]
struct BulkJoin {
    connect: Duration,
    settle: Duration,
    overlap: u64,
    incomplete: u64,
}

/// Joins `people` to the hub, `--concurrency` at a time; waits until every
/// list is complete and the flood is over, then checks who knows whom.
async fn join_bulk(
    crowd: &mut Crowd,
    args: &Args,
    url: &str,
    session: &str,
    people: &[Person],
) -> Result<BulkJoin, LoadError> {
    let patience = args.patience();
    let tokens = people.iter().map(|p| p.token().to_owned()).collect();
    let started = Instant::now();
    let join = crowd.join(url, session, tokens, args.concurrency);
    within(patience, "joining", join).await??;
    let connect = started.elapsed();
    crowd
        .until(patience, "settling", |_, c| c.lists == 1)
        .await?;
    crowd.quiesce(args.interval(), patience).await?;
    let settle = started.elapsed() - connect;
    let (overlap, incomplete) = knowledge(&crowd.counts());
    Ok(BulkJoin {
        connect,
        settle,
        overlap,
        incomplete,
    })
}

/// What the probe joins cost, accumulated.
#[derive(Debug, Default)]
struct JoinCost {
    member_frames: Option<(u64, u64)>,
    newcomer_frames: Option<(u64, u64)>,
    delays: Vec<Duration>,
}

impl JoinCost {
    /// Joins `person` alone and records what it cost.
    async fn probe(
        &mut self,
        crowd: &mut Crowd,
        args: &Args,
        url: &str,
        session: &str,
        person: &Person,
    ) -> Result<(), LoadError> {
        let before = crowd.counts();
        let members = before.len();
        let start = crowd.stamp(Instant::now());
        let token = vec![person.token().to_owned()];
        within(
            args.patience(),
            "a probe join",
            crowd.join(url, session, token, 1),
        )
        .await??;
        crowd
            .until(args.patience(), "a probe join", |index, c| {
                match before.get(index) {
                    Some(old) => c.joined > old.joined,
                    None => c.lists == 1,
                }
            })
            .await?;
        tokio::time::sleep(args.interval()).await;
        let after = crowd.counts();
        for (old, new) in before.iter().zip(&after).filter(|(_, new)| !new.closed) {
            widen(&mut self.member_frames, new.frames - old.frames);
            self.delays.push(new.joined_at.saturating_sub(start));
        }
        // `connected` is read by the handshake, not counted by the reader.
        widen(&mut self.newcomer_frames, 1 + after[members].frames);
        Ok(())
    }
}

/// Person 0 invites person 1 and withdraws, alternately, `--rounds` times;
/// every client's delay from request to `userChanged`.
async fn change_states(
    crowd: &Crowd,
    args: &Args,
    api: &PresenceApi,
    people: &[Person],
) -> Result<Vec<Duration>, LoadError> {
    let (inviter, invitee) = (&people[0], &people[1]);
    let mut open = None;
    let mut delays = Vec::with_capacity(crowd.len() * args.rounds as usize);
    for round in 0..args.rounds {
        tokio::time::sleep(args.interval()).await;
        let before = crowd.counts();
        let sent = crowd.stamp(Instant::now());
        let what = match open.take() {
            None => {
                open = Some(api.invite(inviter, invitee).await?);
                "invite"
            }
            Some(invitation) => {
                api.cancel(inviter, invitation).await?;
                "cancel"
            }
        };
        let answered = crowd.stamp(Instant::now()).saturating_sub(sent);
        let after = crowd
            .until(args.patience(), "a state change", |index, c| {
                c.changed > before[index].changed
            })
            .await?;
        let first = delays.len();
        let open = after.iter().filter(|c| !c.closed);
        delays.extend(open.map(|c| c.changed_at.saturating_sub(sent)));
        let slowest = delays[first..].iter().max().copied().unwrap_or_default();
        eprintln!(
            "[{}] round {round} ({what}): answered in {answered:.1?}, all had it after {slowest:.1?}",
            crowd.len()
        );
    }
    Ok(delays)
}

fn sum(counts: &[Counts], field: impl Fn(&Counts) -> u64) -> u64 {
    counts.iter().map(field).sum()
}

/// Over the open clients, each of which should know every other open
/// client — from its list and its `userJoined` events, less its
/// `userLeft` events (lost clients have left): how many people they heard
/// of twice in all (the overlap), and how many clients know fewer
/// (incomplete).
fn knowledge(counts: &[Counts]) -> (u64, u64) {
    let open: Vec<&Counts> = counts.iter().filter(|c| !c.closed).collect();
    let others = open.len().saturating_sub(1) as u64;
    open.iter().fold((0, 0), |(overlap, incomplete), c| {
        let known = (c.listed + c.joined).saturating_sub(c.left);
        (
            overlap + known.saturating_sub(others),
            incomplete + u64::from(known < others),
        )
    })
}

/// Widens the range `spread` to include `value`.
fn widen(spread: &mut Option<(u64, u64)>, value: u64) {
    *spread = Some(match *spread {
        None => (value, value),
        Some((low, high)) => (low.min(value), high.max(value)),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spread_keeps_the_fewest_and_the_most() {
        let mut spread = None;
        widen(&mut spread, 3);
        assert_eq!(spread, Some((3, 3)));
        widen(&mut spread, 1);
        widen(&mut spread, 7);
        widen(&mut spread, 4);
        assert_eq!(spread, Some((1, 7)));
    }

    #[test]
    fn memory_per_user_is_the_rss_growth_over_the_users() {
        let summary = Summary::of(vec![Duration::from_millis(1)]).expect("a sample");
        let outcome = PresenceOutcome {
            users: 1000,
            sign_up: Duration::ZERO,
            connect: Duration::ZERO,
            settle: Duration::ZERO,
            member_frames: (1, 1),
            newcomer_frames: (2, 2),
            connection_news: 0,
            overlap: 0,
            incomplete: 0,
            change_frames: 1002.0,
            joins: summary,
            changes: summary,
            rss_before_kib: 10_000,
            rss_after_kib: 30_000,
            lost: 0,
            refused: 0,
        };
        assert_eq!(outcome.kib_per_user(), 20.0);
    }

    #[test]
    fn knowledge_counts_people_heard_of_twice_and_clients_missing_some() {
        let client = |listed, joined, left, closed| Counts {
            listed,
            joined,
            left,
            closed,
            ..Counts::default()
        };
        let counts = [
            client(0, 4, 1, false), // the first: the others came later, one left
            client(2, 3, 1, false), // heard of one twice
            client(1, 1, 1, false), // missed one
            client(3, 0, 0, false), // came after the lost one left
            client(0, 0, 0, true),  // lost: not judged, and gone
        ];
        assert_eq!(knowledge(&counts), (1, 1));
    }
}
