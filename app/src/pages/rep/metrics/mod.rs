//! `/rep/metrics` — customer-service figures for signed-in staff (anyone
//! else gets the sign-in form): customers waiting now, the mean and 90th
//! percentile wait, calls answered per hour and how sessions ended over the
//! last 24 hours (as server-rendered SVG charts with tables under them),
//! and the most recent help sessions. The figures come from the server's
//! `HelpBackend` through one server function; the page refreshes them
//! every 30 seconds and on demand.

mod chart;
mod format;
mod history;
mod hours;
mod outcomes;

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use super::sign_in::{current_account, StaffBar, StaffSignIn};
use crate::accounts::Account;
use crate::components::failure::failure_text;
use crate::components::top_bar::TopBar;
use crate::help::{HelpMetrics, HelpRecord};
use format::wait;
use history::RecentSessions;
use hours::CallsPerHourChart;
use outcomes::OutcomesChart;

/// How many recent help sessions the page lists.
pub const HISTORY_ROWS: u32 = 50;

/// Everything the page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricsReport {
    /// The figures over the last 24 hours.
    pub metrics: HelpMetrics,
    /// The most recent help sessions, newest first.
    pub history: Vec<HelpRecord>,
}

/// The metrics and recent history, for signed-in staff (401 otherwise;
/// 503 when customer service does not run on this server).
#[server(endpoint = "staff/metrics")]
pub async fn load_metrics() -> Result<MetricsReport, ServerFnError> {
    use crate::help::backend::{HelpError, SharedHelp};
    use crate::server_errors::refused;
    super::sign_in::signed_in().await?;
    let help = use_context::<SharedHelp>().ok_or_else(|| {
        refused(HelpError::Unavailable(
            "it is not running on this server".into(),
        ))
    })?;
    let metrics = help.metrics().await.map_err(refused)?;
    let history = help.history(HISTORY_ROWS, 0).await.map_err(refused)?;
    Ok(MetricsReport { metrics, history })
}

fn loading() -> impl IntoView {
    view! { <p class="status" role="status"><span class="spinner" aria-hidden="true"></span>"Loading…"</p> }
}

/// The `/rep/metrics` page.
#[component]
pub fn MetricsPage() -> impl IntoView {
    let session = OnceResource::new(current_account());
    view! {
        <Title text="Metrics · Rendezvous"/>
        <TopBar>
            <a class="badge muted" href="/">"Home"</a>
        </TopBar>
        <main class="page wide staff-page">
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match session.await {
                        Ok(initial) => view! { <Gate initial/> }.into_any(),
                        Err(failure) => view! {
                            <p class="error" role="alert">{failure_text(&failure)}</p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

/// The dashboard for the signed-in, the sign-in form for everyone else.
#[component]
fn Gate(initial: Option<Account>) -> impl IntoView {
    let who = RwSignal::new(initial);
    move || match who.get() {
        Some(account) => view! {
            <StaffBar account on_signed_out=move |()| who.set(None)/>
            <Dashboard/>
        }
        .into_any(),
        None => view! {
            <div class="staff-gate">
                <StaffSignIn
                    on_signed_in=move |account| who.set(Some(account))
                    purpose="Sign in to see how customer service is doing."
                />
            </div>
        }
        .into_any(),
    }
}

/// The figures, refreshed every 30 s and by the Refresh button.
#[component]
fn Dashboard() -> impl IntoView {
    let report = Resource::new(|| (), |()| load_metrics());
    #[cfg(feature = "hydrate")]
    {
        let every = std::time::Duration::from_secs(30);
        if let Ok(timer) = set_interval_with_handle(move || report.refetch(), every) {
            on_cleanup(move || timer.clear());
        }
    }
    view! {
        <div class="metrics-head">
            <div>
                <h1>"Customer service"</h1>
                <p class="muted">"The last 24 hours. Times are UTC."</p>
            </div>
            <button type="button" on:click=move |_| report.refetch()>"Refresh"</button>
        </div>
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(report) => view! { <Report report/> }.into_any(),
                    Err(failure) => view! {
                        <p class="error" role="alert">
                            "The figures could not be loaded: " {failure_text(&failure)}
                        </p>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// One figure.
#[component]
fn Stat(id: &'static str, label: &'static str, value: String, note: &'static str) -> impl IntoView {
    view! {
        <section class="card stat" aria-labelledby=format!("{id}-label")>
            <h2 id=format!("{id}-label")>{label}</h2>
            <p class="stat-value" data-testid=id>{value}</p>
            <p class="muted">{note}</p>
        </section>
    }
}

/// The figures, the charts and the history.
#[component]
fn Report(report: MetricsReport) -> impl IntoView {
    let metrics = report.metrics;
    let waited = |secs: Option<f64>| secs.map(wait).unwrap_or_else(|| "—".into());
    // Type-erased in parts: one nested view type would be too deep for rustc.
    let stats = view! {
        <div class="stats">
            <Stat
                id="waiting-now"
                label="Waiting now"
                value=metrics.waiting_now.to_string()
                note="customers in the queue"
            />
            <Stat
                id="mean-wait"
                label="Mean wait"
                value=waited(metrics.mean_wait_secs)
                note="from joining the queue to an answer"
            />
            <Stat
                id="p90-wait"
                label="90th percentile wait"
                value=waited(metrics.p90_wait_secs)
                note="9 in 10 waited no longer"
            />
        </div>
    }
    .into_any();
    let charts = view! {
        <div class="charts">
            <CallsPerHourChart hours=metrics.calls_per_hour/>
            <OutcomesChart outcomes=metrics.outcomes/>
        </div>
    }
    .into_any();
    view! {
        {stats}
        {charts}
        <RecentSessions records=report.history/>
    }
}

/// Rendering to HTML needs the server build.
#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::help::{HourCount, OutcomeCounts};

    #[test]
    fn the_report_shows_every_figure() {
        let report = MetricsReport {
            metrics: HelpMetrics {
                waiting_now: 2,
                mean_wait_secs: Some(75.0),
                p90_wait_secs: None,
                calls_per_hour: (0..24)
                    .map(|i| HourCount {
                        hour_start: i * 3_600_000,
                        count: 1,
                    })
                    .collect(),
                outcomes: OutcomeCounts {
                    served: 24,
                    ..Default::default()
                },
                since: 0,
            },
            history: Vec::new(),
        };
        let html = view! { <Report report/> }.to_html();
        for needle in [
            r#"data-testid="waiting-now" class="stat-value">2<"#,
            r#"data-testid="mean-wait" class="stat-value">1 min 15 s<"#,
            r#"data-testid="p90-wait" class="stat-value">—<"#,
            "24 calls answered in the last 24 hours; the busiest hour was 00:00–01:00 UTC",
            "No help sessions yet.",
        ] {
            assert!(html.contains(needle), "{needle} in {html}");
        }
    }
}
