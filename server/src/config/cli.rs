//! The `server` command line: with no sub-command (or `serve`) it serves
//! the app with the [`Config`] options; `server accounts add|list|passwd|
//! remove` manage staff accounts in DATA_DIR's database (see
//! [`accounts_cmd`](super::accounts_cmd)), also while the server runs.

use clap::{Parser, Subcommand};

use super::Config;

/// Rendezvous: live video presence, rooms and customer-service queues.
///
/// With no cloud credentials the embedded OpenTok-compatible engine (provider
/// `local`) serves everything; with OPENTOK_API_KEY + OPENTOK_API_SECRET (or
/// VONAGE_APPLICATION_ID + VONAGE_PRIVATE_KEY) media goes through Vonage / OpenTok.
#[derive(Debug, Parser)]
#[command(name = "server", version, about, long_about = None)]
pub struct Cli {
    /// What to do; serving is the default.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// The server's options (DATA_DIR is also the accounts commands').
    #[command(flatten)]
    pub config: Config,
}

/// The sub-commands.
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum Command {
    /// Serve the app (the default).
    Serve,
    /// Manage staff accounts (representatives and administrators).
    #[command(subcommand)]
    Accounts(AccountsCommand),
}

/// `server accounts …`. Passwords are prompted twice without echo on a
/// terminal, or read as one line from standard input when it is piped
/// (`echo 'pass phrase' | server accounts add ann`).
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum AccountsCommand {
    /// Create an account (a representative unless --admin).
    Add {
        /// The sign-in name (letters, digits, . _ - @; stored in lower case).
        username: String,
        /// Make it an administrator (may create accounts over the API).
        #[arg(long)]
        admin: bool,
    },
    /// List the accounts.
    List,
    /// Set a new password for an account (its open sessions end).
    Passwd {
        /// The account's username.
        username: String,
    },
    /// Remove an account (its open sessions end).
    Remove {
        /// The account's username.
        username: String,
    },
}

impl Cli {
    /// Reads `.env` (if any), then the command line and environment.
    pub fn load() -> Self {
        // A missing .env file is normal; a malformed one is worth a warning.
        if let Err(err) = dotenvy::dotenv() {
            if !err.not_found() {
                eprintln!("warning: ignoring .env: {err}");
            }
        }
        Cli::parse()
    }

    /// The command to run (`serve` when none was given).
    pub fn selected_command(&self) -> Command {
        self.command.clone().unwrap_or(Command::Serve)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("server").chain(args.iter().copied()))
    }

    #[test]
    fn command_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn serving_is_the_default() {
        let cli = parse(&["--data-dir", "/tmp/x"]).unwrap();
        assert_eq!(cli.selected_command(), Command::Serve);
        assert_eq!(cli.config.data_dir, std::path::PathBuf::from("/tmp/x"));
        assert_eq!(
            parse(&["serve"]).unwrap().selected_command(),
            Command::Serve
        );
    }

    #[test]
    fn accounts_commands_parse() {
        let cli = parse(&["accounts", "add", "ann", "--admin", "--data-dir", "/d"]).unwrap();
        assert_eq!(
            cli.selected_command(),
            Command::Accounts(AccountsCommand::Add {
                username: "ann".into(),
                admin: true
            })
        );
        assert_eq!(cli.config.data_dir, std::path::PathBuf::from("/d"));
        for (args, expected) in [
            (vec!["accounts", "list"], AccountsCommand::List),
            (
                vec!["accounts", "passwd", "bob"],
                AccountsCommand::Passwd {
                    username: "bob".into(),
                },
            ),
            (
                vec!["accounts", "remove", "bob"],
                AccountsCommand::Remove {
                    username: "bob".into(),
                },
            ),
        ] {
            assert_eq!(
                parse(&args).unwrap().selected_command(),
                Command::Accounts(expected)
            );
        }
        assert!(parse(&["accounts"]).is_err());
        assert!(
            parse(&["accounts", "add"]).is_err(),
            "a username is required"
        );
        assert!(parse(&["accounts", "add", "ann", "--password", "x"]).is_err());
    }
}
