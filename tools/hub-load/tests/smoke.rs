//! End to end: `hub-load` starts the (debug) server binary twice, joins a
//! handful of clients each time and prints one table row per run. The tool
//! waits for every broadcast to reach every client, so a successful exit
//! with `lost` and `refused` at 0 means every receipt arrived. The presence
//! run checks what a join and a state change cost in frames.

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

/// Runs `hub-load` against the debug server with `args`; its standard output.
fn run(args: &[&str]) -> String {
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
        .args(args)
        .args(["--patience-secs", "60"])
        .output()
        .expect("hub-load runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "hub-load failed:\n{stderr}");
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

#[test]
fn a_small_run_prints_one_complete_row_per_client_count() {
    let table = run(&["--clients", "3,8", "--rounds", "3", "--interval-ms", "10"]);
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

#[test]
fn a_presence_join_costs_one_frame_per_member_and_a_change_one_per_person() {
    let tables = run(&[
        "--scenario",
        "presence",
        "--clients",
        "12",
        "--rounds",
        "4",
        "--interval-ms",
        "50",
        "--probes",
        "3",
    ]);
    let rows: Vec<Vec<String>> = tables
        .lines()
        .map(|line| line.split('|').map(|c| c.trim().to_owned()).collect())
        .filter(|cells: &Vec<String>| cells.get(1).is_some_and(|c| c == "12"))
        .collect();
    assert_eq!(rows.len(), 2, "a messages row and a timing row:\n{tables}");
    // | users | to each member | to the newcomer | connection events | twice | incomplete | per change |
    let messages = &rows[0];
    assert_eq!(messages[2], "1", "one userJoined per member: {messages:?}");
    assert_eq!(
        messages[3], "2",
        "connected and one list chunk: {messages:?}"
    );
    assert_eq!(messages[4], "0", "no hub connection events: {messages:?}");
    assert_eq!(messages[6], "0", "everyone knows everyone: {messages:?}");
    // Everyone hears the change; the two parties also get their invitation news.
    assert_eq!(messages[7], "14.0", "{messages:?}");
    let timing = &rows[1];
    assert_eq!(timing.len(), 16, "{timing:?}");
    assert!(timing[9].ends_with(" ms"), "{timing:?}");
    assert_eq!(
        (timing[13].as_str(), timing[14].as_str()),
        ("0", "0"),
        "{timing:?}"
    );
}
