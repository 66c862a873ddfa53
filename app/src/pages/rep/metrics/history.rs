//! The metrics page's table of recent help sessions, newest first: who
//! asked, about what, who answered, when they joined the queue, how long
//! they waited and how it ended. Customer text is only ever inserted as
//! text (Leptos escapes it). On narrow screens each row becomes a small
//! card whose cells carry their column's name (`data-label`).

use leptos::prelude::*;

use super::format::{date_time, wait_between};
use super::outcomes::label;
use crate::help::HelpRecord;

/// Where an open help session stands, or how it ended: the text and the
/// badge's style.
fn state(record: &HelpRecord) -> (&'static str, &'static str) {
    match record.outcome {
        Some(outcome) => (label(outcome), outcome.as_str()),
        None if record.answered_at.is_some() => ("In a call", "open"),
        None if record.enqueued_at.is_some() => ("Waiting", "open"),
        None => ("Getting ready", "open"),
    }
}

/// How long the customer waited: until answered, else until they left;
/// `None` while still waiting or never queued.
fn waited(record: &HelpRecord) -> Option<String> {
    let until = record.answered_at.or(record.ended_at);
    wait_between(record.enqueued_at, until)
}

/// The table (or a sentence when there is nothing yet).
#[component]
pub fn RecentSessions(records: Vec<HelpRecord>) -> impl IntoView {
    if records.is_empty() {
        return view! {
            <section class="card" aria-labelledby="history-title">
                <h2 id="history-title">"Recent help sessions"</h2>
                <p class="muted empty">"No help sessions yet."</p>
            </section>
        }
        .into_any();
    }
    let rows = records
        .into_iter()
        .map(|record| {
            let (outcome, style) = state(&record);
            let waited = waited(&record).unwrap_or_else(|| "—".into());
            let enqueued = record.enqueued_at.map(date_time).unwrap_or_else(|| "—".into());
            view! {
                <tr>
                    <td data-label="Customer" class="customer">{record.customer_name.to_string()}</td>
                    <td data-label="Problem" class="problem">{record.problem_text.to_string()}</td>
                    <td data-label="Rep">{record.rep.unwrap_or_else(|| "—".into())}</td>
                    <td data-label="Enqueued (UTC)">{enqueued}</td>
                    <td data-label="Waited">{waited}</td>
                    <td data-label="Outcome">
                        <span class=format!("outcome-badge {style}")>{outcome}</span>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="history-title">
            <h2 id="history-title">"Recent help sessions"</h2>
            <table class="history" data-testid="help-history">
                <thead>
                    <tr>
                        <th scope="col">"Customer"</th>
                        <th scope="col">"Problem"</th>
                        <th scope="col">"Rep"</th>
                        <th scope="col">"Enqueued (UTC)"</th>
                        <th scope="col">"Waited"</th>
                        <th scope="col">"Outcome"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::help::{Outcome, ProblemText};
    use crate::models::DisplayName;

    fn record(customer: &str) -> HelpRecord {
        HelpRecord {
            session_id: "s".into(),
            customer_name: DisplayName::parse(customer).unwrap(),
            problem_text: ProblemText::parse("No <b>sound</b> & no picture").unwrap(),
            rep: None,
            created_at: 1_000,
            enqueued_at: None,
            answered_at: None,
            ended_at: None,
            outcome: None,
        }
    }

    #[test]
    fn open_and_ended_sessions_say_where_they_stand() {
        let mut r = record("Ann");
        assert_eq!((state(&r).0, waited(&r)), ("Getting ready", None));
        r.enqueued_at = Some(10_000);
        assert_eq!((state(&r).0, waited(&r)), ("Waiting", None));
        r.answered_at = Some(75_000);
        assert_eq!(state(&r).0, "In a call");
        assert_eq!(waited(&r).as_deref(), Some("1 min 05 s"));
        r.ended_at = Some(500_000);
        r.outcome = Some(Outcome::Served);
        assert_eq!(state(&r), ("Served", "served"));
        assert_eq!(
            waited(&r).as_deref(),
            Some("1 min 05 s"),
            "the wait ends when answered"
        );
        let mut gone = record("Bob");
        gone.enqueued_at = Some(10_000);
        gone.ended_at = Some(40_000);
        gone.outcome = Some(Outcome::Abandoned);
        assert_eq!(waited(&gone).as_deref(), Some("30 s"), "until they left");
    }

    /// Rendering to HTML needs the server build.
    #[cfg(feature = "ssr")]
    #[test]
    fn customer_text_is_escaped() {
        let html = view! { <RecentSessions records=vec![record("<script>")]/> }.to_html();
        assert!(
            !html.contains("<script>") && !html.contains("<b>"),
            "{html}"
        );
        assert!(
            html.contains("&lt;b&gt;sound&lt;/b&gt; &amp; no picture"),
            "{html}"
        );
        let empty = view! { <RecentSessions records=vec![]/> }.to_html();
        assert!(empty.contains("No help sessions yet."));
    }
}
