//! The results table, as Markdown so it can go straight into `BENCHMARKS.md`.

use std::fmt::Write;
use std::time::Duration;

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
}
