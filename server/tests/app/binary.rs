//! The real `server` binary: `--help` documents every option, it serves on
//! the configured address, and SIGTERM shuts it down cleanly (exit 0).

use std::process::Command;

use crate::real_server::{RealServer, BIN};

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
    let mut server = RealServer::start(dir.path());
    let base = server.base.clone();
    let health = reqwest::get(format!("{base}/healthz")).await.unwrap();
    assert_eq!(health.text().await.unwrap(), "ok");
    assert!(dir.path().join("engine-credentials.json").exists());
    assert!(dir.path().join("rendezvous.db").exists());

    let killed = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = server.wait();
    assert!(status.success(), "exit status after SIGTERM: {status:?}");
}
