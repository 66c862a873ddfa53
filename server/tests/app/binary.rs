//! The real `server` binary: `--help` documents every option, it serves on
//! the configured address, and SIGTERM shuts it down cleanly (exit 0).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_server");

/// Kills the child process if the test ends before it exits.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

#[test]
fn help_documents_every_option() {
    let output = Command::new(BIN)
        .arg("--help")
        .output()
        .expect("run server --help");
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for needle in [
        "LEPTOS_SITE_ADDR",
        "DATA_DIR",
        "PUBLIC_URL",
        "OPENTOK_API_KEY",
        "OPENTOK_API_SECRET",
        "OPENTOK_API_URL",
        "VONAGE_APPLICATION_ID",
        "VONAGE_PRIVATE_KEY",
        "ENGINE_API_KEY",
        "ENGINE_API_SECRET",
    ] {
        assert!(help.contains(needle), "--help lacks {needle}:\n{help}");
    }
    assert!(!help.contains("very-secret-value-42") && !help.contains("another-secret-value-43"));
}

#[test]
fn half_configured_credentials_stop_the_start_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(BIN)
        .env_clear()
        .env("DATA_DIR", dir.path())
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("OPENTOK_API_KEY", "123456")
        .current_dir(dir.path())
        .output()
        .expect("run server");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("OPENTOK_API_SECRET"), "{stderr}");
}

#[tokio::test]
async fn serves_and_stops_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let child = Command::new(BIN)
        .env("DATA_DIR", dir.path())
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("RUST_LOG", "server=info")
        .env("NO_COLOR", "1")
        .env_remove("OPENTOK_API_KEY")
        .env_remove("VONAGE_APPLICATION_ID")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start server");
    // Whatever happens below, never leave the server running.
    let mut child = KillOnDrop(child);
    let stderr = child.0.stderr.take().unwrap();
    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("listening on ").nth(1) {
                let _ = addr_tx.send(rest.trim().to_owned());
            }
        }
    });
    let base = addr_rx
        .recv_timeout(Duration::from_secs(30))
        .expect("server announced its address");
    let health = reqwest::get(format!("{base}/healthz")).await.unwrap();
    assert_eq!(health.text().await.unwrap(), "ok");
    assert!(dir.path().join("engine-credentials.json").exists());
    assert!(dir.path().join("rendezvous.db").exists());

    let killed = Command::new("kill")
        .args(["-TERM", &child.0.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.0.wait().expect("server exits");
    assert!(status.success(), "exit status after SIGTERM: {status:?}");
}
