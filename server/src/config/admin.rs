//! The first administrator from `ADMIN_USERNAME` + `ADMIN_PASSWORD`: both or
//! neither, each checked with the accounts' own rules, so a bad value stops
//! the start with a message naming the variable (never its value).

use app::accounts::Username;
use secrecy::ExposeSecret;

use super::Config;
use crate::accounts::{FirstAdmin, Password};

/// Why the first administrator's settings cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    /// One of the two is set without the other.
    #[error("{0} is set but {1} is missing")]
    Incomplete(&'static str, &'static str),
    /// The username breaks the username rules.
    #[error("ADMIN_USERNAME: {0}")]
    Username(#[from] app::accounts::UsernameError),
    /// The password breaks the password rules.
    #[error("ADMIN_PASSWORD: {0}")]
    Password(#[from] crate::accounts::PasswordError),
}

impl Config {
    /// The first administrator to create, if configured.
    pub fn first_admin(&self) -> Result<Option<FirstAdmin>, AdminError> {
        match (&self.admin_username, &self.admin_password) {
            (None, None) => Ok(None),
            (Some(_), None) => Err(AdminError::Incomplete("ADMIN_USERNAME", "ADMIN_PASSWORD")),
            (None, Some(_)) => Err(AdminError::Incomplete("ADMIN_PASSWORD", "ADMIN_USERNAME")),
            (Some(username), Some(password)) => Ok(Some(FirstAdmin {
                username: Username::parse(username)?,
                password: Password::parse(password.expose_secret())?,
            })),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn config(args: &[&str]) -> Config {
        Config::parse_from(std::iter::once("server").chain(args.iter().copied()))
    }

    #[test]
    fn both_or_neither() {
        assert!(config(&[]).first_admin().unwrap().is_none());
        let admin = config(&[
            "--admin-username",
            "Root",
            "--admin-password",
            "correct horse",
        ])
        .first_admin()
        .unwrap()
        .unwrap();
        assert_eq!(admin.username.as_str(), "root");
        let err = config(&["--admin-username", "root"])
            .first_admin()
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "ADMIN_USERNAME is set but ADMIN_PASSWORD is missing"
        );
        let err = config(&["--admin-password", "correct horse"])
            .first_admin()
            .unwrap_err();
        assert!(matches!(err, AdminError::Incomplete("ADMIN_PASSWORD", _)));
    }

    #[test]
    fn bad_values_name_the_variable_not_the_value() {
        let err = config(&["--admin-username", "root", "--admin-password", "short"])
            .first_admin()
            .unwrap_err();
        let message = err.to_string();
        assert_eq!(
            message,
            "ADMIN_PASSWORD: A password has at least 8 characters."
        );
        let err = config(&[
            "--admin-username",
            "no spaces",
            "--admin-password",
            "correct horse",
        ])
        .first_admin()
        .unwrap_err();
        assert!(err.to_string().starts_with("ADMIN_USERNAME: "), "{err}");
    }
}
