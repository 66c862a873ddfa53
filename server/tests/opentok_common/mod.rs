//! Shared helpers of the REST-client tests: the test accounts, fixture
//! loading (with the SDK suites' placeholders replaced by real values), a
//! wiremock matcher that accepts only correctly authenticated requests, and
//! mocks built on it that must be hit exactly once.

#![allow(dead_code)] // each test binary uses a different subset

use server::opentok::client::Client;
use server::opentok::credentials::{ApiKey, ApiSecret, Credentials, VonageApplication};
use server::opentok::rest_auth::RestAuthVerifier;
use server::opentok::session_id::SessionId;
use url::Url;
use uuid::Uuid;
use wiremock::matchers::{method, path};
use wiremock::{Match, Mock, MockBuilder, MockServer, Request, ResponseTemplate};

pub const SESSION: &str = "1_MX4xMjM0NTZ-flNhdCBNYXIgMTUgMTQ6NDI6MjMgUERUIDIwMTR-MC40OTAxMzAyNX4";
pub const SECRET: &str = "1234567890abcdef1234567890abcdef1234567890";
pub const ARCHIVE_ID: &str = "30b3ebf1-ba36-4f5b-8def-6f70d9986fe9";
pub const CONNECTION_ID: &str = "833a7182-61a5-49d4-baae-c324b09953af";
pub const APP_ID: &str = "29f760f8-7ce1-46c9-ade3-f2dedee4ed5f";

/// A fixture file with the SDK suites' placeholders replaced by real values.
pub fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/opentok/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .replace("SESSIONID", SESSION)
        .replace("\"1234356-0a06-", "\"01234356-0a06-")
}

pub fn project() -> Credentials {
    Credentials::Project {
        api_key: ApiKey::parse("123456").unwrap(),
        api_secret: ApiSecret::parse(SECRET).unwrap(),
    }
}

pub fn vonage() -> Credentials {
    let pem = include_str!("../fixtures/opentok/vonage_private_key.pem");
    Credentials::Vonage(VonageApplication::from_pem(Uuid::parse_str(APP_ID).unwrap(), pem).unwrap())
}

pub fn session() -> SessionId {
    SessionId::parse(SESSION).unwrap()
}

/// Matches requests whose REST authentication verifies for `project`.
pub struct Authenticated {
    verifier: RestAuthVerifier,
    project: String,
}

impl Authenticated {
    pub fn for_account(credentials: &Credentials) -> Self {
        Authenticated {
            verifier: RestAuthVerifier::new(credentials),
            project: credentials.owner_id(),
        }
    }
}

impl Match for Authenticated {
    fn matches(&self, request: &Request) -> bool {
        self.verifier
            .verify(&request.headers, &self.project)
            .is_ok()
    }
}

/// A mock for `verb` requests to `route` that authenticate as `credentials`;
/// add matchers with `.and(…)` and mount it with [`mount_once`].
pub fn authenticated(
    verb: &str,
    route: impl Into<String>,
    credentials: &Credentials,
) -> MockBuilder {
    Mock::given(method(verb))
        .and(path(route))
        .and(Authenticated::for_account(credentials))
}

/// Mounts `mock` on `server` answering `response`; the server checks when it
/// is dropped that exactly one request matched.
pub async fn mount_once(server: &MockServer, mock: MockBuilder, response: ResponseTemplate) {
    mock.respond_with(response).expect(1).mount(server).await;
}

pub fn json(body: String) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body, "application/json")
}

pub async fn client_for(server: &MockServer, credentials: Credentials) -> Client {
    Client::new(credentials, Url::parse(&server.uri()).unwrap())
}
