//! The "calls answered per hour" chart: one bar per hour of the last 24,
//! on a round-numbered axis, every sixth hour labelled counting back from
//! the latest; each bar's `<title>` says its hour and count, and the table
//! under it lists all 24. The geometry is plain functions, tested below.

use leptos::prelude::*;

use super::chart::{n, plural, ChartCard, WIDTH};
use super::format::{clock, hour_range};
use crate::help::HourCount;

/// The chart's coordinate height.
const HEIGHT: f64 = 200.0;
/// Room for the axis labels left of the bars.
const LEFT: f64 = 40.0;
/// Room for the hour labels under the bars.
const BOTTOM: f64 = 26.0;
/// Room above the tallest bar.
const TOP: f64 = 10.0;
/// Room right of the last bar (its label is centred under it).
const RIGHT: f64 = 16.0;

/// The smallest "round" axis maximum (1, 2, 5 × 10ⁿ) at or above `max`.
fn axis_max(max: u32) -> u32 {
    let mut step = 1u32;
    loop {
        for nice in [step, step.saturating_mul(2), step.saturating_mul(5)] {
            if nice >= max.max(1) {
                return nice;
            }
        }
        step = step.saturating_mul(10);
    }
}

/// The values with a grid line: zero, the middle when it is whole, the top.
fn grid_values(top: u32) -> Vec<u32> {
    if top >= 2 && top.is_multiple_of(2) {
        vec![0, top / 2, top]
    } else {
        vec![0, top]
    }
}

/// A bar's rectangle: x, y, width, height.
type Rect = (f64, f64, f64, f64);

/// The bars, one per count, in order, standing on the baseline.
fn bars(counts: &[u32], top: u32) -> Vec<Rect> {
    let plot_height = HEIGHT - TOP - BOTTOM;
    let slot = slot_width(counts.len());
    counts
        .iter()
        .enumerate()
        .map(|(i, &count)| {
            let height = plot_height * f64::from(count) / f64::from(top.max(1));
            let x = LEFT + slot * i as f64 + slot * 0.15;
            (x, TOP + plot_height - height, slot * 0.7, height)
        })
        .collect()
}

fn slot_width(slots: usize) -> f64 {
    (WIDTH - LEFT - RIGHT) / slots.max(1) as f64
}

/// The chart's summary sentence.
fn summary(hours: &[HourCount]) -> String {
    let total: u32 = hours.iter().map(|h| h.count).sum();
    // The earliest of equally busy hours (max_by_key keeps the last).
    let busiest = hours
        .iter()
        .rev()
        .filter(|h| h.count > 0)
        .max_by_key(|h| h.count);
    match busiest {
        Some(hour) => format!(
            "{} answered in the last 24 hours; the busiest hour was {} UTC with {}.",
            plural(total, "call", "calls"),
            hour_range(hour.hour_start),
            hour.count
        ),
        None => "No calls answered in the last 24 hours.".to_owned(),
    }
}

/// Calls answered per hour, oldest hour first.
#[component]
pub fn CallsPerHourChart(hours: Vec<HourCount>) -> impl IntoView {
    let counts: Vec<u32> = hours.iter().map(|h| h.count).collect();
    let top = axis_max(counts.iter().copied().max().unwrap_or(0));
    let baseline = HEIGHT - BOTTOM;
    let grid = grid_values(top)
        .into_iter()
        .map(|value| {
            let y = baseline - (baseline - TOP) * f64::from(value) / f64::from(top);
            view! {
                <line class="grid" x1=n(LEFT) x2=n(WIDTH - RIGHT) y1=n(y) y2=n(y)/>
                <text class="axis" x=n(LEFT - 6.0) y=n(y + 4.0) text-anchor="end">{value}</text>
            }
        })
        .collect_view();
    let slot = slot_width(hours.len());
    let labels = hours
        .iter()
        .enumerate()
        .filter(|(i, _)| (hours.len() - 1 - i).is_multiple_of(6))
        .map(|(i, hour)| {
            let x = LEFT + slot * (i as f64 + 0.5);
            view! {
                <text class="axis" x=n(x) y=n(HEIGHT - 8.0) text-anchor="middle">
                    {clock(hour.hour_start)}
                </text>
            }
        })
        .collect_view();
    let shapes = hours
        .iter()
        .zip(bars(&counts, top))
        .map(|(hour, (x, y, width, height))| {
            let title = format!(
                "{} UTC: {}",
                hour_range(hour.hour_start),
                plural(hour.count, "call", "calls")
            );
            view! {
                <rect class="bar" x=n(x) y=n(y) width=n(width) height=n(height)>
                    <title>{title}</title>
                </rect>
            }
        })
        .collect_view();
    let rows = hours
        .iter()
        .map(|hour| {
            view! { <tr><th scope="row">{hour_range(hour.hour_start)}</th><td>{hour.count}</td></tr> }
        })
        .collect_view()
        .into_any();
    view! {
        <ChartCard
            id="calls"
            title="Calls answered per hour"
            summary=summary(&hours)
            height=HEIGHT
            caption="Calls answered per hour, UTC"
            columns=&["Hour (UTC)", "Calls"]
            rows
        >
            {grid}
            {shapes}
            {labels}
        </ChartCard>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(count_at: impl Fn(i64) -> u32) -> Vec<HourCount> {
        (0..24)
            .map(|i| HourCount {
                hour_start: i * 3_600_000,
                count: count_at(i),
            })
            .collect()
    }

    #[test]
    fn axes_end_on_round_numbers() {
        let cases = [
            (0, 1),
            (1, 1),
            (2, 2),
            (3, 5),
            (6, 10),
            (11, 20),
            (21, 50),
            (101, 200),
        ];
        for (max, expected) in cases {
            assert_eq!(axis_max(max), expected, "{max}");
        }
    }

    #[test]
    fn grid_lines_fall_on_whole_numbers() {
        assert_eq!(grid_values(1), vec![0, 1]);
        assert_eq!(grid_values(5), vec![0, 5]);
        assert_eq!(grid_values(10), vec![0, 5, 10]);
    }

    #[test]
    fn bars_fill_the_plot_in_proportion() {
        let bars = bars(&[0, 5, 10, 2], 10);
        let plot_height = HEIGHT - TOP - BOTTOM;
        assert_eq!(bars.len(), 4);
        assert_eq!(bars[0].3, 0.0);
        assert_eq!(
            (bars[2].1, bars[2].3),
            (TOP, plot_height),
            "the axis top is the plot top"
        );
        assert!((bars[1].3 - plot_height / 2.0).abs() < 1e-9);
        for bar in &bars {
            assert!(
                (bar.1 + bar.3 - (HEIGHT - BOTTOM)).abs() < 1e-9,
                "on the baseline"
            );
        }
        assert!(
            bars.windows(2).all(|w| w[1].0 > w[0].0 + w[0].2),
            "no overlap"
        );
        assert!(bars[3].0 + bars[3].2 <= WIDTH - RIGHT);
    }

    #[test]
    fn the_summary_names_the_earliest_busiest_hour() {
        let flat = summary(&day(|_| 1));
        assert!(flat.starts_with("24 calls answered"), "{flat}");
        assert!(
            flat.contains("the busiest hour was 00:00–01:00 UTC with 1."),
            "{flat}"
        );
        assert_eq!(
            summary(&day(|_| 0)),
            "No calls answered in the last 24 hours."
        );
    }

    /// Rendering to HTML needs the server build.
    #[cfg(feature = "ssr")]
    #[test]
    fn every_hour_has_a_titled_bar_and_a_table_row() {
        let hours = day(|i| u32::from(i == 14) * 3);
        let html = view! { <CallsPerHourChart hours/> }.to_html();
        assert_eq!(html.matches("<rect").count(), 24, "{html}");
        assert!(
            html.contains("<title>14:00–15:00 UTC: 3 calls</title>"),
            "{html}"
        );
        assert!(
            html.contains(r#"aria-labelledby="calls-title calls-summary""#),
            "{html}"
        );
        assert_eq!(html.matches("<tr>").count(), 25, "a header and 24 hours");
        assert!(
            html.contains(">23:00<") && !html.contains(">22:00<"),
            "latest hour labelled"
        );
    }
}
