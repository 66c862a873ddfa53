//! The REST client (§5) for Vonage / OpenTok cloud or any compatible server
//! (such as our embedded engine). One shared `reqwest` connection pool, a
//! per-request timeout, and a fresh REST token on every request. The
//! endpoints live in [`sessions`], [`archives`], [`signals`] and [`streams`].

mod archives;
mod sessions;
mod signals;
mod streams;

use std::time::Duration;

use reqwest::header::{HeaderValue, ACCEPT, AUTHORIZATION};
use reqwest::{Method, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use url::Url;

use super::credentials::Credentials;
use super::model::session_info::xml_element;
use super::model::{ArchiveRequestError, SessionOptionsError, SignalError};
use super::rest_auth::{project_jwt, vonage_jwt, OPENTOK_AUTH_HEADER};
use super::session_id::SessionId;
use super::token::TokenBuilder;

/// REST base URL of OpenTok projects.
pub const OPENTOK_API_URL: &str = "https://api.opentok.com";
/// REST base URL of Vonage applications.
pub const VONAGE_API_URL: &str = "https://video.api.vonage.com";
/// Default per-request timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a REST call failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The platform answered with an error status; `message` is its own.
    #[error("platform answered {status}: {message}")]
    Api {
        /// HTTP status.
        status: u16,
        /// The `code` of the error body, if it had one.
        code: Option<i64>,
        /// The `message` of the error body (or the status reason).
        message: String,
    },
    /// The request could not be sent or the response not received.
    #[error("transport error: {0}")]
    Transport(#[from] reqwest::Error),
    /// The response body is not what the endpoint returns.
    #[error("unexpected response: {0}")]
    Decode(String),
    /// The base URL cannot carry a path.
    #[error("base URL {0} cannot be used for REST paths")]
    Url(String),
    /// Session options break the platform's rules (nothing was sent).
    #[error(transparent)]
    Session(#[from] SessionOptionsError),
    /// Archive options break the platform's rules (nothing was sent).
    #[error(transparent)]
    Archive(#[from] ArchiveRequestError),
    /// The signal breaks the platform's limits (nothing was sent).
    #[error(transparent)]
    Signal(#[from] SignalError),
}

/// A REST client for one account.
#[derive(Debug, Clone)]
pub struct Client {
    credentials: Credentials,
    base_url: Url,
    http: reqwest::Client,
    timeout: Duration,
}

impl Client {
    /// A client for `credentials` talking to `base_url`. A base URL that
    /// cannot carry a path (`mailto:…`) makes every call fail with
    /// [`ClientError::Url`].
    pub fn new(credentials: Credentials, base_url: Url) -> Self {
        let user_agent = concat!("Rendezvous-OpenTok-Rust/", env!("CARGO_PKG_VERSION"));
        // The configuration is constant; building fails only if the TLS
        // backend cannot initialise at all, as `reqwest::Client::new` assumes.
        let http = reqwest::Client::builder()
            .user_agent(user_agent)
            .build()
            .expect("the TLS backend initialises");
        Client {
            credentials,
            base_url,
            http,
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// A client for the cloud platform at its default address.
    pub fn for_cloud(credentials: Credentials) -> Self {
        let base_url = Self::default_base_url(&credentials);
        Self::new(credentials, base_url)
    }

    /// `https://api.opentok.com` for projects, `https://video.api.vonage.com` for applications.
    pub fn default_base_url(credentials: &Credentials) -> Url {
        let text = match credentials {
            Credentials::Project { .. } => OPENTOK_API_URL,
            Credentials::Vonage(_) => VONAGE_API_URL,
        };
        Url::parse(text).expect("the default API URLs parse")
    }

    /// Sets the per-request timeout (default 10 s).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The account this client acts for.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// The REST base URL.
    pub fn base_url(&self) -> &Url {
        &self.base_url
    }

    /// A client-token builder for `session_id` with this client's credentials.
    pub fn token<'a>(&'a self, session_id: &'a SessionId) -> TokenBuilder<'a> {
        TokenBuilder::new(&self.credentials, session_id)
    }

    /// `base_url` + `segments` (each one percent-encoded as a path segment).
    fn url(&self, segments: &[&str]) -> Result<Url, ClientError> {
        let mut url = self.base_url.clone();
        url.path_segments_mut()
            .map_err(|()| ClientError::Url(self.base_url.to_string()))?
            .pop_if_empty()
            .extend(segments);
        Ok(url)
    }

    /// `…/v2/project/{owner}/` + `segments`.
    fn project_url(&self, segments: &[&str]) -> Result<Url, ClientError> {
        let owner = self.credentials.owner_id();
        let mut all = vec!["v2", "project", owner.as_str()];
        all.extend_from_slice(segments);
        self.url(&all)
    }

    /// A request with authentication, `Accept: application/json` and the timeout.
    fn request(&self, method: Method, url: Url) -> RequestBuilder {
        let request = self
            .http
            .request(method, url)
            .timeout(self.timeout)
            .header(ACCEPT, HeaderValue::from_static("application/json"));
        match &self.credentials {
            Credentials::Project {
                api_key,
                api_secret,
            } => request.header(OPENTOK_AUTH_HEADER, project_jwt(api_key, api_secret)),
            Credentials::Vonage(app) => {
                request.header(AUTHORIZATION, format!("Bearer {}", vonage_jwt(app)))
            }
        }
    }

    /// Sends `request`, turning error statuses into [`ClientError::Api`].
    async fn send(request: RequestBuilder) -> Result<Response, ClientError> {
        let response = request.send().await?;
        if response.status().is_success() {
            Ok(response)
        } else {
            Err(api_error(response).await)
        }
    }

    /// Sends `request` and decodes its JSON body.
    async fn send_json<T: DeserializeOwned>(request: RequestBuilder) -> Result<T, ClientError> {
        let body = Self::send(request).await?.bytes().await?;
        serde_json::from_slice(&body).map_err(|e| ClientError::Decode(e.to_string()))
    }
}

/// Reads the platform's error body (JSON, or the old XML `errorPayload`).
async fn api_error(response: Response) -> ClientError {
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    let (code, message) = match serde_json::from_str::<LenientError>(&text) {
        Ok(body) => (body.code, body.message),
        Err(_) => (
            xml_element(&text, "code").and_then(|code| code.trim().parse().ok()),
            xml_element(&text, "message"),
        ),
    };
    let message = message
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| status.canonical_reason().unwrap_or("error").to_owned());
    ClientError::Api {
        status: status.as_u16(),
        code,
        message,
    }
}

/// [`ApiErrorBody`](super::model::ApiErrorBody) with every field optional.
#[derive(serde::Deserialize)]
struct LenientError {
    code: Option<i64>,
    message: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opentok::credentials::{ApiKey, ApiSecret};

    fn client(base: &str) -> Client {
        let credentials = Credentials::Project {
            api_key: ApiKey::parse("123456").unwrap(),
            api_secret: ApiSecret::generate(),
        };
        Client::new(credentials, Url::parse(base).unwrap())
    }

    #[test]
    fn urls_keep_base_paths_and_encode_segments() {
        let plain = client("http://127.0.0.1:9000");
        assert_eq!(
            plain.url(&["session", "create"]).unwrap().as_str(),
            "http://127.0.0.1:9000/session/create"
        );
        let nested = client("http://example.com/engine/");
        assert_eq!(
            nested.project_url(&["archive", "a b"]).unwrap().as_str(),
            "http://example.com/engine/v2/project/123456/archive/a%20b"
        );
    }

    #[test]
    fn default_urls_follow_the_credentials() {
        let plain = client("http://127.0.0.1:9000");
        assert_eq!(
            Client::default_base_url(plain.credentials()).as_str(),
            "https://api.opentok.com/"
        );
        let mailto = Client::new(
            plain.credentials().clone(),
            Url::parse("mailto:x@y").unwrap(),
        );
        assert!(matches!(mailto.url(&["session"]), Err(ClientError::Url(_))));
        assert!(!format!("{plain:?}").contains(match plain.credentials() {
            Credentials::Project { api_secret, .. } => api_secret.expose(),
            Credentials::Vonage(_) => unreachable!("project"),
        }));
    }
}
