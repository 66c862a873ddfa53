//! The results tables, as Markdown so they can go straight into
//! `BENCHMARKS.md`: one for the hub run, two (messages, then timing and
//! memory) for the presence run.

use std::fmt::Write;
use std::time::Duration;

use crate::presence::PresenceOutcome;
use crate::scenario::Outcome;

/// A Markdown table with one row per run.
pub fn table(outcomes: &[Outcome]) -> String {
    let mut out = String::from(
        "| clients | connect | settle | p50 | p99 | max | RSS before | RSS after | KiB/conn | lost | refused |\n\
         |--------:|--------:|-------:|----:|----:|----:|-----------:|----------:|---------:|-----:|--------:|\n",
    );
    for o in outcomes {
        let _ = writeln!(
            out,
            "| {} | {:.1} s | {:.1} s | {} | {} | {} | {:.1} MiB | {:.1} MiB | {:.1} | {} | {} |",
            o.clients,
            o.connect.as_secs_f64(),
            o.settle.as_secs_f64(),
            ms(o.delays.p50),
            ms(o.delays.p99),
            ms(o.delays.max),
            o.rss_before_kib as f64 / 1024.0,
            o.rss_after_kib as f64 / 1024.0,
            o.kib_per_connection(),
            o.lost,
            o.refused,
        );
    }
    out
}

/// The presence run's two tables: messages, then timing and memory.
pub fn presence_tables(outcomes: &[PresenceOutcome]) -> String {
    let mut out = String::from(
        "| users | per join, to each member | per join, to the newcomer | hub connection events | heard of twice | incomplete lists | per state change, to all |\n\
         |------:|-------------------------:|--------------------------:|----------------------:|---------------:|-----------------:|-------------------------:|\n",
    );
    for o in outcomes {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {:.1} |",
            o.users,
            spread(o.member_frames),
            spread(o.newcomer_frames),
            o.connection_news,
            o.overlap,
            o.incomplete,
            o.change_frames,
        );
    }
    out.push_str(
        "\n| users | sign-up | connect | settle | join p50 | join p99 | change p50 | change p99 | change max | RSS before | RSS after | KiB/user | lost | refused |\n\
         |------:|--------:|--------:|-------:|---------:|---------:|-----------:|-----------:|-----------:|-----------:|----------:|---------:|-----:|--------:|\n",
    );
    for o in outcomes {
        let _ = writeln!(
            out,
            "| {} | {:.1} s | {:.1} s | {:.1} s | {} | {} | {} | {} | {} | {:.1} MiB | {:.1} MiB | {:.1} | {} | {} |",
            o.users,
            o.sign_up.as_secs_f64(),
            o.connect.as_secs_f64(),
            o.settle.as_secs_f64(),
            ms(o.joins.p50),
            ms(o.joins.p99),
            ms(o.changes.p50),
            ms(o.changes.p99),
            ms(o.changes.max),
            o.rss_before_kib as f64 / 1024.0,
            o.rss_after_kib as f64 / 1024.0,
            o.kib_per_user(),
            o.lost,
            o.refused,
        );
    }
    out
}

/// `n` when the fewest and the most agree, else `low–high`.
fn spread((low, high): (u64, u64)) -> String {
    if low == high {
        low.to_string()
    } else {
        format!("{low}–{high}")
    }
}

fn ms(delay: Duration) -> String {
    format!("{:.1} ms", delay.as_secs_f64() * 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Summary;

    #[test]
    fn a_row_shows_latency_in_ms_and_memory_per_connection() {
        let outcome = Outcome {
            clients: 1000,
            connect: Duration::from_millis(1500),
            settle: Duration::from_millis(200),
            delays: Summary {
                count: 20_000,
                p50: Duration::from_micros(4200),
                p99: Duration::from_millis(12),
                max: Duration::from_millis(30),
            },
            rss_before_kib: 10_240,
            rss_after_kib: 30_240,
            lost: 0,
            refused: 0,
        };
        let table = table(&[outcome]);
        let row = table.lines().nth(2).expect("a data row");
        assert_eq!(
            row,
            "| 1000 | 1.5 s | 0.2 s | 4.2 ms | 12.0 ms | 30.0 ms | 10.0 MiB | 29.5 MiB | 20.0 | 0 | 0 |"
        );
    }

    #[test]
    fn presence_rows_show_message_counts_then_timing() {
        let summary = |ms: u64| Summary {
            count: 10,
            p50: Duration::from_millis(ms),
            p99: Duration::from_millis(ms * 2),
            max: Duration::from_millis(ms * 3),
        };
        let outcome = PresenceOutcome {
            users: 1000,
            sign_up: Duration::from_millis(2500),
            connect: Duration::from_secs(3),
            settle: Duration::from_millis(400),
            member_frames: (1, 1),
            newcomer_frames: (10, 11),
            connection_news: 0,
            overlap: 7,
            incomplete: 0,
            change_frames: 1002.0,
            joins: summary(5),
            changes: summary(10),
            rss_before_kib: 10_240,
            rss_after_kib: 30_720,
            lost: 0,
            refused: 0,
        };
        let tables = presence_tables(&[outcome]);
        let rows: Vec<&str> = tables
            .lines()
            .filter(|l| l.starts_with("| 1000 "))
            .collect();
        assert_eq!(
            rows,
            [
                "| 1000 | 1 | 10–11 | 0 | 7 | 0 | 1002.0 |",
                "| 1000 | 2.5 s | 3.0 s | 0.4 s | 5.0 ms | 10.0 ms | 10.0 ms | 20.0 ms | 30.0 ms | 10.0 MiB | 30.0 MiB | 20.5 | 0 | 0 |",
            ]
        );
    }
}
