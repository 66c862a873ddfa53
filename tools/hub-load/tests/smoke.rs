//! End to end: `hub-load` starts the (debug) server binary twice, joins a
//! handful of clients each time and prints one table row per run. The tool
//! waits for every broadcast to reach every client, so a successful exit
//! with `lost` and `refused` at 0 means every receipt arrived.

use std::path::Path;
use std::process::Command;

/// The cells of the table row for `clients`, trimmed.
fn row(table: &str, clients: &str) -> Vec<String> {
    table
        .lines()
        .map(|line| {
            line.split('|')
                .map(|cell| cell.trim().to_owned())
                .collect::<Vec<_>>()
        })
        .find(|cells| cells.get(1).is_some_and(|cell| cell == clients))
        .unwrap_or_else(|| panic!("no row for {clients} clients in:\n{table}"))
}

#[test]
fn a_small_run_prints_one_complete_row_per_client_count() {
    let tool = Path::new(env!("CARGO_BIN_EXE_hub-load"));
    let server = tool.with_file_name("server");
    assert!(
        server.is_file(),
        "{} is missing: run `cargo build -p server` first",
        server.display()
    );
    let output = Command::new(tool)
        .arg("--server")
        .arg(&server)
        .args(["--clients", "3,8", "--rounds", "3", "--interval-ms", "10"])
        .args(["--patience-secs", "60"])
        .output()
        .expect("hub-load runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "hub-load failed:\n{stderr}");
    let table = String::from_utf8(output.stdout).expect("UTF-8 output");
    for clients in ["3", "8"] {
        let cells = row(&table, clients);
        // | clients | connect | settle | p50 | p99 | max | RSS before | RSS after | KiB/conn | lost | refused |
        assert_eq!(cells.len(), 13, "{cells:?}");
        assert!(
            cells[4].ends_with(" ms") && cells[6].ends_with(" ms"),
            "{cells:?}"
        );
        assert!(cells[8].ends_with(" MiB"), "{cells:?}");
        assert_eq!(
            (cells[10].as_str(), cells[11].as_str()),
            ("0", "0"),
            "{cells:?}"
        );
    }
}
