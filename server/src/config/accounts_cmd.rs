//! Running `server accounts add|list|passwd|remove`: they open the SQLite
//! store in DATA_DIR (WAL, so also while the server runs) and use the same
//! [`AccountDirectory`] as the server. Results go to standard output,
//! errors to standard error as `error: …`. Exit codes: 0 done, 1 refused
//! (bad input, taken username, no such account, passwords that differ),
//! 2 bad command line (clap), 3 the store or the terminal failed.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use app::accounts::{Role, Username, UsernameError};
use time::macros::format_description;
use time::OffsetDateTime;

use super::cli::AccountsCommand;
use crate::accounts::{AccountDirectory, AccountsError, Password};
use crate::store::accounts::StoredAccount;
use crate::store::sqlite::SqliteStore;
use crate::store::StoreError;

/// Why an accounts command failed.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    /// The username breaks the rules.
    #[error("{0}")]
    Username(#[from] UsernameError),
    /// The two passwords typed differ.
    #[error("The passwords do not match.")]
    Mismatch,
    /// Standard input ended before a password line.
    #[error("No password on standard input.")]
    NoPassword,
    /// Reading the password or writing the result failed.
    #[error("input/output failed: {0}")]
    Io(#[from] std::io::Error),
    /// The store could not be opened.
    #[error("cannot open the account store in {path}: {source}")]
    Store {
        /// The data directory.
        path: PathBuf,
        /// Why.
        source: StoreError,
    },
    /// The directory refused or failed.
    #[error(transparent)]
    Accounts(#[from] AccountsError),
}

impl CommandError {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            CommandError::Io(_) | CommandError::Store { .. } => 3,
            CommandError::Accounts(AccountsError::Store(_)) => 3,
            _ => 1,
        }
    }
}

/// Where new passwords come from.
pub trait PasswordSource {
    /// A new password for `username`, as typed.
    fn new_password(&mut self, username: &Username) -> Result<String, CommandError>;
}

/// The terminal (asked twice, without echo) or, when standard input is not
/// a terminal, one line of it.
pub struct Console;

impl PasswordSource for Console {
    fn new_password(&mut self, username: &Username) -> Result<String, CommandError> {
        if std::io::stdin().is_terminal() {
            let first = rpassword::prompt_password(format!("New password for {username}: "))?;
            let second = rpassword::prompt_password("Type it again: ")?;
            if first != second {
                return Err(CommandError::Mismatch);
            }
            Ok(first)
        } else {
            let mut line = String::new();
            if std::io::stdin().lock().read_line(&mut line)? == 0 {
                return Err(CommandError::NoPassword);
            }
            Ok(line.trim_end_matches(['\n', '\r']).to_owned())
        }
    }
}

/// Runs `command` on the terminal; the process's exit code.
pub async fn run_in_terminal(command: AccountsCommand, data_dir: &Path) -> ExitCode {
    match run(command, data_dir, &mut Console, &mut std::io::stdout()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(err.exit_code())
        }
    }
}

/// Runs `command` against the store in `data_dir`.
pub async fn run(
    command: AccountsCommand,
    data_dir: &Path,
    passwords: &mut dyn PasswordSource,
    out: &mut dyn Write,
) -> Result<(), CommandError> {
    // Check the input before touching the store or asking for a password.
    let task = Task::parse(command)?;
    let store = SqliteStore::open(data_dir)
        .await
        .map_err(|source| CommandError::Store {
            path: data_dir.to_owned(),
            source,
        })?;
    let directory = AccountDirectory::new(Arc::new(store.clone()));
    let result = execute(task, &directory, passwords, out).await;
    store.close().await;
    result
}

/// A command with its username parsed.
enum Task {
    List,
    Add(Username, Role),
    Passwd(Username),
    Remove(Username),
}

impl Task {
    fn parse(command: AccountsCommand) -> Result<Task, UsernameError> {
        Ok(match command {
            AccountsCommand::List => Task::List,
            AccountsCommand::Add { username, admin } => {
                let role = if admin { Role::Admin } else { Role::Rep };
                Task::Add(Username::parse(&username)?, role)
            }
            AccountsCommand::Passwd { username } => Task::Passwd(Username::parse(&username)?),
            AccountsCommand::Remove { username } => Task::Remove(Username::parse(&username)?),
        })
    }
}

async fn execute(
    task: Task,
    directory: &AccountDirectory,
    passwords: &mut dyn PasswordSource,
    out: &mut dyn Write,
) -> Result<(), CommandError> {
    let new_password = |passwords: &mut dyn PasswordSource, username: &Username| {
        let typed = passwords.new_password(username)?;
        Password::parse(&typed).map_err(|err| CommandError::Accounts(err.into()))
    };
    match task {
        Task::List => print_list(&directory.list().await?, out)?,
        Task::Add(username, role) => {
            let password = new_password(passwords, &username)?;
            let account = directory.create(&username, password, role).await?;
            writeln!(
                out,
                "Created {} account {} (id {}).",
                role.as_str(),
                account.username,
                account.id
            )?;
        }
        Task::Passwd(username) => {
            let password = new_password(passwords, &username)?;
            directory.set_password(&username, password).await?;
            writeln!(
                out,
                "Changed the password of {username}; its open sessions have ended."
            )?;
        }
        Task::Remove(username) => {
            directory.remove(&username).await?;
            writeln!(out, "Removed {username}; its open sessions have ended.")?;
        }
    }
    Ok(())
}

fn print_list(accounts: &[StoredAccount], out: &mut dyn Write) -> std::io::Result<()> {
    if accounts.is_empty() {
        return writeln!(
            out,
            "No accounts yet. Create one with: server accounts add <username> --admin"
        );
    }
    let width = accounts
        .iter()
        .map(|a| a.account.username.as_str().chars().count())
        .max()
        .unwrap_or(0)
        .max("USERNAME".len());
    writeln!(
        out,
        "{:>4}  {:<width$}  {:<5}  CREATED (UTC)",
        "ID", "USERNAME", "ROLE"
    )?;
    for stored in accounts {
        let account = &stored.account;
        writeln!(
            out,
            "{:>4}  {:<width$}  {:<5}  {}",
            account.id.0,
            account.username.as_str(),
            account.role.as_str(),
            created(stored.created_at)
        )?;
    }
    Ok(())
}

fn created(ms: i64) -> String {
    OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .ok()
        .and_then(|at| {
            at.format(format_description!("[year]-[month]-[day] [hour]:[minute]"))
                .ok()
        })
        .unwrap_or_else(|| "?".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::VecDeque;

    /// Passwords typed in advance.
    struct Typed(VecDeque<Result<String, CommandError>>);

    impl PasswordSource for Typed {
        fn new_password(&mut self, _: &Username) -> Result<String, CommandError> {
            self.0.pop_front().unwrap_or(Err(CommandError::NoPassword))
        }
    }

    async fn run_with(
        dir: &Path,
        command: AccountsCommand,
        typed: Vec<Result<String, CommandError>>,
    ) -> Result<String, CommandError> {
        let mut out = Vec::new();
        run(command, dir, &mut Typed(typed.into()), &mut out).await?;
        Ok(String::from_utf8(out).expect("UTF-8 output"))
    }

    fn add(username: &str, admin: bool) -> AccountsCommand {
        AccountsCommand::Add {
            username: username.into(),
            admin,
        }
    }

    #[tokio::test]
    async fn add_list_passwd_remove() {
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path();
        let typed = |pw: &str| vec![Ok(pw.to_owned())];
        let said = run_with(dir, add("Root", true), typed("correct horse"))
            .await
            .unwrap();
        assert_eq!(said, "Created admin account root (id 1).\n");
        run_with(dir, add("ann", false), typed("battery staple"))
            .await
            .unwrap();
        let list = run_with(dir, AccountsCommand::List, vec![]).await.unwrap();
        let lines: Vec<&str> = list.lines().collect();
        assert_eq!(lines.len(), 3, "{list}");
        assert!(lines[0].starts_with("  ID  USERNAME  ROLE "), "{list}");
        assert!(lines[1].starts_with("   1  root      admin  20"), "{list}");
        assert!(lines[2].starts_with("   2  ann       rep    20"), "{list}");
        let said = run_with(
            dir,
            AccountsCommand::Passwd {
                username: "ANN".into(),
            },
            typed("a new pass phrase"),
        )
        .await
        .unwrap();
        assert!(said.starts_with("Changed the password of ann"), "{said}");
        let said = run_with(
            dir,
            AccountsCommand::Remove {
                username: "ann".into(),
            },
            vec![],
        )
        .await
        .unwrap();
        assert!(said.starts_with("Removed ann"), "{said}");
        let list = run_with(dir, AccountsCommand::List, vec![]).await.unwrap();
        assert_eq!(list.lines().count(), 2, "{list}");
    }

    #[tokio::test]
    async fn refusals_are_exit_code_one() {
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path();
        run_with(dir, add("ann", false), vec![Ok("correct horse".into())])
            .await
            .unwrap();
        let cases = [
            (
                add("ann", false),
                vec![Ok("correct horse".into())],
                "The username ann is taken.",
            ),
            (
                add("bob", false),
                vec![Ok("short".into())],
                "A password has at least 8 characters.",
            ),
            (
                add("bob", false),
                vec![Err(CommandError::Mismatch)],
                "The passwords do not match.",
            ),
            (add("bob", false), vec![], "No password on standard input."),
            (
                add("no spaces", false),
                vec![],
                "A username may only contain",
            ),
            (
                AccountsCommand::Remove {
                    username: "cy".into(),
                },
                vec![],
                "There is no account cy.",
            ),
            (
                AccountsCommand::Passwd {
                    username: "cy".into(),
                },
                vec![Ok("correct horse".into())],
                "There is no account cy.",
            ),
        ];
        for (command, typed, message) in cases {
            let err = run_with(dir, command.clone(), typed).await.unwrap_err();
            assert!(err.to_string().starts_with(message), "{command:?}: {err}");
            assert_eq!(err.exit_code(), 1, "{command:?}");
        }
        let list = run_with(dir, AccountsCommand::List, vec![]).await.unwrap();
        assert_eq!(list.lines().count(), 2, "nothing else was created: {list}");
    }

    #[tokio::test]
    async fn an_empty_store_says_how_to_start_and_a_bad_dir_is_code_three() {
        let dir = tempfile::tempdir().unwrap();
        let list = run_with(dir.path(), AccountsCommand::List, vec![])
            .await
            .unwrap();
        assert!(
            list.contains("server accounts add <username> --admin"),
            "{list}"
        );
        let file = dir.path().join("a-file");
        std::fs::write(&file, "x").unwrap();
        let err = run_with(&file, AccountsCommand::List, vec![])
            .await
            .unwrap_err();
        assert_eq!(err.exit_code(), 3, "{err}");
    }
}
