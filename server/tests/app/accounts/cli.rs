//! `server accounts add|list|passwd|remove` of the real binary, with the
//! password piped on standard input, against the data directory of a
//! server that is running meanwhile (SQLite in WAL mode): what the commands
//! do is what the server sees at once.

use std::path::Path;
use std::process::{Output, Stdio};

use reqwest::StatusCode;
use serde_json::json;
use tokio::io::AsyncWriteExt;
use tokio::process::Command;

use crate::helpers::{spawn_with, test_config, TestApp};
use crate::real_server::BIN;

/// Runs `server <args>` on `data_dir` with `stdin` piped in.
async fn server(data_dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .env("DATA_DIR", data_dir)
        .env("NO_COLOR", "1")
        .current_dir(data_dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("run the server binary");
    let mut input = child.stdin.take().expect("piped stdin");
    input
        .write_all(stdin.as_bytes())
        .await
        .expect("write stdin");
    drop(input);
    child.wait_with_output().await.expect("the command ends")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

async fn sign_in_status(app: &TestApp, username: &str, password: &str) -> StatusCode {
    app.post_json(
        "/api-token-auth/",
        &json!({"username": username, "password": password}),
    )
    .await
    .status()
}

#[tokio::test]
async fn commands_manage_the_accounts_of_a_running_server() {
    let (config, temp) = test_config();
    let dir = config.data_dir.clone();
    let app = spawn_with(config, Some(temp)).await;

    let added = server(&dir, &["accounts", "add", "Ann"], "battery staple\n").await;
    assert!(added.status.success(), "{}", text(&added.stderr));
    assert_eq!(text(&added.stdout), "Created rep account ann (id 1).\n");
    assert_eq!(
        sign_in_status(&app, "ann", "battery staple").await,
        StatusCode::OK
    );

    let admin = server(
        &dir,
        &["accounts", "add", "root", "--admin"],
        "correct horse",
    )
    .await;
    assert!(admin.status.success(), "{}", text(&admin.stderr));
    let list = server(&dir, &["accounts", "list"], "").await;
    assert!(list.status.success());
    let listed = text(&list.stdout);
    let rows: Vec<Vec<&str>> = listed
        .lines()
        .skip(1)
        .map(|line| line.split_whitespace().take(3).collect())
        .collect();
    assert_eq!(
        rows,
        vec![vec!["1", "ann", "rep"], vec!["2", "root", "admin"]],
        "{listed}"
    );

    let token: serde_json::Value = app
        .post_json(
            "/api-token-auth/",
            &json!({"username": "ann", "password": "battery staple"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let token = token["token"].as_str().unwrap().to_owned();
    let changed = server(
        &dir,
        &["accounts", "passwd", "ann"],
        "a new pass phrase\r\n",
    )
    .await;
    assert!(changed.status.success(), "{}", text(&changed.stderr));
    let me = app
        .client
        .get(app.url("/api/accounts/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        me.status(),
        StatusCode::UNAUTHORIZED,
        "the old session ended"
    );
    assert_eq!(
        sign_in_status(&app, "ann", "battery staple").await,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        sign_in_status(&app, "ann", "a new pass phrase").await,
        StatusCode::OK
    );

    let removed = server(&dir, &["accounts", "remove", "ann"], "").await;
    assert!(removed.status.success(), "{}", text(&removed.stderr));
    assert_eq!(
        sign_in_status(&app, "ann", "a new pass phrase").await,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn refusals_are_explained_with_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let first = server(dir, &["accounts", "add", "ann"], "battery staple\n").await;
    assert!(first.status.success(), "{}", text(&first.stderr));

    for (args, stdin, message) in [
        (
            vec!["accounts", "add", "ann"],
            "battery staple\n",
            "error: The username ann is taken.",
        ),
        (
            vec!["accounts", "add", "bob"],
            "short\n",
            "error: A password has at least 8 characters.",
        ),
        (
            vec!["accounts", "add", "bob"],
            "",
            "error: No password on standard input.",
        ),
        (
            vec!["accounts", "add", "b o b"],
            "",
            "error: A username may only contain",
        ),
        (
            vec!["accounts", "passwd", "cy"],
            "battery staple\n",
            "error: There is no account cy.",
        ),
        (
            vec!["accounts", "remove", "cy"],
            "",
            "error: There is no account cy.",
        ),
    ] {
        let output = server(dir, &args, stdin).await;
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let stderr = text(&output.stderr);
        assert!(stderr.starts_with(message), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }

    let usage = server(dir, &["accounts"], "").await;
    assert_eq!(usage.status.code(), Some(2), "clap's usage error");
    let help = server(dir, &["accounts", "--help"], "").await;
    let help = text(&help.stdout);
    for command in ["add", "list", "passwd", "remove"] {
        assert!(help.contains(command), "{help}");
    }
}

#[tokio::test]
async fn help_documents_the_first_admin_without_showing_its_password() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(BIN)
        .arg("--help")
        .env("ADMIN_USERNAME", "root")
        .env("ADMIN_PASSWORD", "a-secret-to-hide")
        .current_dir(dir.path())
        .output()
        .await
        .unwrap();
    let help = text(&output.stdout);
    for needle in ["ADMIN_USERNAME", "ADMIN_PASSWORD", "accounts"] {
        assert!(help.contains(needle), "{needle}: {help}");
    }
    assert!(!help.contains("a-secret-to-hide"), "{help}");
}
