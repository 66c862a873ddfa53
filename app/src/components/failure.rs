//! A server function's failure in words for people: the server's own
//! message when it refused, a plain sentence when it could not be reached.
//! Shared by every page that runs server functions from buttons.

use leptos::prelude::ServerFnError;

/// A server function's failure, for people: the server's own message when
/// it refused.
pub fn failure_text(error: &ServerFnError) -> String {
    match error {
        ServerFnError::ServerError(message) => message.clone(),
        ServerFnError::Request(_) => {
            "The server could not be reached. Check your connection and try again.".into()
        }
        other => format!("Something went wrong: {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_in_words() {
        assert_eq!(
            failure_text(&ServerFnError::new("Ada is not available")),
            "Ada is not available"
        );
        assert!(failure_text(&ServerFnError::Request("offline".into()))
            .contains("could not be reached"));
        assert!(failure_text(&ServerFnError::Deserialization("x".into()))
            .starts_with("Something went wrong"));
    }
}
