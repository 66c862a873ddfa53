//! The "how sessions ended" chart: one horizontal bar per outcome (served,
//! cancelled, abandoned, skipped), scaled to the largest, with its count
//! after it; each row's `<title>` says the count and share, and the table
//! under it lists them.

use leptos::prelude::*;

use super::chart::{n, plural, ChartCard};
use crate::help::{Outcome, OutcomeCounts};

/// Height of one row.
const ROW: f64 = 36.0;
/// Where the bars start (after their labels).
const BARS_FROM: f64 = 128.0;
/// Where the longest bar ends (its count follows).
const BARS_TO: f64 = 440.0;

/// An outcome's name for people.
pub fn label(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Served => "Served",
        Outcome::Cancelled => "Cancelled",
        Outcome::Abandoned => "Abandoned",
        Outcome::Skipped => "Skipped",
    }
}

/// A bar's width for `count` of `largest`.
fn bar_width(count: u32, largest: u32) -> f64 {
    (BARS_TO - BARS_FROM) * f64::from(count) / f64::from(largest.max(1))
}

/// `count` as a whole percentage of `total`.
fn share(count: u32, total: u32) -> u32 {
    if total == 0 {
        0
    } else {
        (f64::from(count) * 100.0 / f64::from(total)).round() as u32
    }
}

/// The chart's summary sentence.
fn summary(outcomes: &OutcomeCounts) -> String {
    let total = outcomes.total();
    if total == 0 {
        return "No help sessions ended in the last 24 hours.".to_owned();
    }
    let parts: Vec<String> = Outcome::ALL
        .into_iter()
        .map(|o| format!("{} {}", outcomes.get(o), label(o).to_lowercase()))
        .collect();
    format!(
        "{} ended in the last 24 hours: {}.",
        plural(total, "help session", "help sessions"),
        parts.join(", ")
    )
}

/// How the help sessions that ended in the window ended.
#[component]
pub fn OutcomesChart(outcomes: OutcomeCounts) -> impl IntoView {
    let total = outcomes.total();
    let largest = Outcome::ALL
        .into_iter()
        .map(|o| outcomes.get(o))
        .max()
        .unwrap_or(0);
    let shapes = Outcome::ALL
        .into_iter()
        .enumerate()
        .map(|(i, outcome)| {
            let count = outcomes.get(outcome);
            let y = 6.0 + ROW * i as f64;
            let width = bar_width(count, largest);
            let title = format!("{}: {} ({} %)", label(outcome), count, share(count, total));
            view! {
                <g>
                    <title>{title}</title>
                    <text class="axis label" x="0" y=n(y + 18.0)>{label(outcome)}</text>
                    <rect
                        class=format!("bar outcome-{}", outcome.as_str())
                        x=n(BARS_FROM) y=n(y + 4.0) width=n(width) height="20" rx="3"
                    />
                    <text class="axis" x=n(BARS_FROM + width + 6.0) y=n(y + 18.0)>{count}</text>
                </g>
            }
        })
        .collect_view();
    let rows = Outcome::ALL
        .into_iter()
        .map(|outcome| {
            let count = outcomes.get(outcome);
            view! {
                <tr>
                    <th scope="row">{label(outcome)}</th>
                    <td>{count}</td>
                    <td>{format!("{} %", share(count, total))}</td>
                </tr>
            }
        })
        .collect_view()
        .into_any();
    view! {
        <ChartCard
            id="outcomes"
            title="How sessions ended"
            summary=summary(&outcomes)
            height=ROW * Outcome::ALL.len() as f64 + 8.0
            caption="Help sessions by outcome, last 24 hours"
            columns=&["Outcome", "Sessions", "Share"]
            rows
        >
            {shapes}
        </ChartCard>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest() {
        assert_eq!(bar_width(4, 4), BARS_TO - BARS_FROM);
        assert_eq!(bar_width(2, 4), (BARS_TO - BARS_FROM) / 2.0);
        assert_eq!(bar_width(0, 0), 0.0);
    }

    #[test]
    fn shares_and_summaries() {
        assert_eq!((share(1, 3), share(2, 3), share(0, 0)), (33, 67, 0));
        let counts = OutcomeCounts {
            served: 3,
            skipped: 1,
            ..Default::default()
        };
        assert_eq!(
            summary(&counts),
            "4 help sessions ended in the last 24 hours: \
             3 served, 0 cancelled, 0 abandoned, 1 skipped."
        );
        assert_eq!(
            summary(&OutcomeCounts::default()),
            "No help sessions ended in the last 24 hours."
        );
    }

    /// Rendering to HTML needs the server build.
    #[cfg(feature = "ssr")]
    #[test]
    fn every_outcome_has_a_titled_bar_and_a_table_row() {
        let outcomes = OutcomeCounts {
            served: 3,
            skipped: 1,
            ..Default::default()
        };
        let html = view! { <OutcomesChart outcomes/> }.to_html();
        assert!(html.contains("<title>Served: 3 (75 %)</title>"), "{html}");
        assert!(html.contains("<title>Cancelled: 0 (0 %)</title>"), "{html}");
        assert_eq!(html.matches("<rect").count(), 4);
        assert_eq!(html.matches("<tr>").count(), 5, "a header and 4 outcomes");
    }
}
