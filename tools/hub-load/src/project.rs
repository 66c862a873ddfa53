//! The benchmark's project: fresh engine credentials (handed to the server
//! through its environment when this starts it, via `load_kit::Launch`),
//! the one session every client joins — created through the REST API
//! (`POST /session/create` with a project JWT, by the server crate's own
//! OpenTok client) — and the clients' tokens.

use std::path::Path;

use load_kit::{Launch, ServerProcess};
use server::opentok::client::Client;
use server::opentok::credentials::{ApiKey, ApiSecret, Credentials};
use server::opentok::model::SessionOptions;
use server::opentok::session_id::SessionId;
use server::opentok::token::{Role, TokenBuilder};
use url::Url;

use crate::error::LoadError;

/// The server's log filter unless `RUST_LOG` is set: warnings, but not
/// sqlx's slow-pool-acquire warnings that thousands of joins provoke.
const QUIET_LOG: &str = "warn,sqlx=error";

/// The project the server is started with. `Debug` keeps the secret hidden.
#[derive(Debug, Clone)]
pub struct Project {
    api_key: ApiKey,
    api_secret: ApiSecret,
}

impl Project {
    /// A project with a random key and secret.
    pub fn generate() -> Self {
        Project {
            api_key: ApiKey::generate(),
            api_secret: ApiSecret::generate(),
        }
    }

    /// The API key, for `ENGINE_API_KEY`.
    pub fn api_key(&self) -> &str {
        self.api_key.as_str()
    }

    /// The API secret, for `ENGINE_API_SECRET` only.
    pub fn api_secret(&self) -> &str {
        self.api_secret.expose()
    }

    /// Starts the server `binary` with this project and waits until it is ready.
    pub async fn start_server(&self, binary: &Path) -> Result<ServerProcess, LoadError> {
        let launch = Launch::new(binary, self.api_key(), self.api_secret()).log_filter(QUIET_LOG);
        Ok(launch.start().await?)
    }

    fn credentials(&self) -> Credentials {
        Credentials::Project {
            api_key: self.api_key.clone(),
            api_secret: self.api_secret.clone(),
        }
    }

    /// Creates a session on the server at `base_url` through its REST API.
    pub async fn create_session(&self, base_url: Url) -> Result<SessionId, LoadError> {
        Client::new(self.credentials(), base_url)
            .create_session(&SessionOptions::default())
            .await
            .map_err(|err| LoadError::Project(err.to_string()))
    }

    /// Publisher tokens for `count` clients of `session`, each with its index as data.
    pub fn tokens(&self, session: &SessionId, count: usize) -> Result<Vec<String>, LoadError> {
        let credentials = self.credentials();
        (0..count)
            .map(|index| {
                TokenBuilder::new(&credentials, session)
                    .role(Role::Publisher)
                    .data(format!("c={index}"))
                    .build()
                    .map_err(|err| LoadError::Project(err.to_string()))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use server::opentok::model::MediaMode;

    #[test]
    fn debug_output_hides_the_secret() {
        let project = Project::generate();
        let shown = format!("{project:?}");
        assert!(!shown.contains(project.api_secret()), "{shown}");
        assert!(shown.contains(project.api_key()), "{shown}");
    }

    #[test]
    fn each_client_gets_its_own_token_for_the_session() {
        let project = Project::generate();
        let session = SessionId::generate(project.api_key(), None, MediaMode::Routed);
        let tokens = project.tokens(&session, 3).expect("tokens");
        assert_eq!(tokens.len(), 3);
        assert!(tokens[0] != tokens[1] && tokens[1] != tokens[2]);
    }
}
