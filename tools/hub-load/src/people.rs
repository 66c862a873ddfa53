//! The presence page's HTTP calls, made the way the page makes them:
//! `GET /presence` (asking for JSON) for the presence session, `POST
//! /users {name}` for a hub token and the identity cookie, `POST /chats
//! {invitee}` to invite, and the page's `cancel_invitation` server function
//! to withdraw. The server function's path carries a build hash; it is
//! looked up among the server functions linked into this tool from the same
//! `app` crate the server is built from.

use app::presence::{InvitationId, LocalUser, UserId};
use futures::{StreamExt, TryStreamExt};
use reqwest::header::{ACCEPT, COOKIE, SET_COOKIE};
use reqwest::{RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::json;
use server::presence::identity::COOKIE_NAME;
use url::Url;

use crate::error::LoadError;

/// The page's server function that withdraws an invitation.
const CANCEL_FUNCTION: &str = "/api/cancel_invitation";

/// Someone signed up through `POST /users`. `Debug` hides the token and
/// the cookie.
#[derive(Clone)]
pub struct Person {
    /// Their user id.
    pub id: UserId,
    token: String,
    cookie: String,
}

impl std::fmt::Debug for Person {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Person")
            .field("id", &self.id)
            .field("token", &"<redacted>")
            .field("cookie", &"<redacted>")
            .finish()
    }
}

impl Person {
    /// Their token for the presence session.
    pub fn token(&self) -> &str {
        &self.token
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PresenceInfo {
    session_id: String,
}

#[derive(Deserialize)]
struct Joined {
    token: String,
    user: LocalUser,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ChatCreated {
    invitation_id: InvitationId,
}

/// The presence endpoints of one server.
#[derive(Debug, Clone)]
pub struct PresenceApi {
    http: reqwest::Client,
    base: Url,
    cancel: Url,
}

impl PresenceApi {
    /// The endpoints of the server at `base`.
    pub fn new(base: Url) -> Result<Self, LoadError> {
        let path = cancel_path(server_fn::axum::server_fn_paths().map(|(path, _)| path))
            .ok_or_else(|| {
                LoadError::Presence(format!("no {CANCEL_FUNCTION}… server function is linked"))
            })?;
        let cancel = base
            .join(path)
            .map_err(|err| LoadError::Presence(format!("{path}: {err}")))?;
        Ok(PresenceApi {
            http: reqwest::Client::new(),
            base,
            cancel,
        })
    }

    /// The presence session's id.
    pub async fn session(&self) -> Result<String, LoadError> {
        let request = self
            .http
            .get(self.url("presence"))
            .header(ACCEPT, "application/json");
        let info: PresenceInfo = json_of(send(request, "GET /presence").await?).await?;
        Ok(info.session_id)
    }

    /// Signs up someone new named `name`.
    pub async fn sign_up(&self, name: &str) -> Result<Person, LoadError> {
        let request = self
            .http
            .post(self.url("users"))
            .json(&json!({ "name": name }));
        let response = send(request, "POST /users").await?;
        let cookie = identity_cookie(&response)
            .ok_or_else(|| LoadError::Presence("POST /users set no identity cookie".into()))?;
        let joined: Joined = json_of(response).await?;
        Ok(Person {
            id: joined.user.id,
            token: joined.token,
            cookie,
        })
    }

    /// Signs up `count` people (`Load 00000`, …), `concurrency` at a time, in order.
    pub async fn sign_up_many(
        &self,
        count: usize,
        concurrency: usize,
    ) -> Result<Vec<Person>, LoadError> {
        futures::stream::iter(0..count)
            .map(|index| async move { self.sign_up(&format!("Load {index:05}")).await })
            .buffered(concurrency.max(1))
            .try_collect()
            .await
    }

    /// `from` invites `to` (`POST /chats`); the invitation's id.
    pub async fn invite(&self, from: &Person, to: &Person) -> Result<InvitationId, LoadError> {
        let request = self
            .http
            .post(self.url("chats"))
            .header(COOKIE, &from.cookie)
            .json(&json!({ "invitee": to.id }));
        let created: ChatCreated = json_of(send(request, "POST /chats").await?).await?;
        Ok(created.invitation_id)
    }

    /// `from` withdraws `invitation` (the page's server function).
    pub async fn cancel(&self, from: &Person, invitation: InvitationId) -> Result<(), LoadError> {
        let request = self
            .http
            .post(self.cancel.clone())
            .header(COOKIE, &from.cookie)
            .header(ACCEPT, "application/json")
            .json(&json!({ "invitation": invitation }));
        send(request, "cancel_invitation").await.map(drop)
    }

    fn url(&self, path: &str) -> Url {
        self.base
            .join(path)
            .expect("fixed relative paths join any base URL")
    }
}

/// The server function path of [`CANCEL_FUNCTION`] among `paths`: its name
/// followed by the build hash (digits).
fn cancel_path<'a>(paths: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    paths.into_iter().find(|path| {
        path.strip_prefix(CANCEL_FUNCTION)
            .is_some_and(|hash| hash.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// Sends `request`; a failure or a non-2xx answer is an error naming `what`.
async fn send(request: RequestBuilder, what: &str) -> Result<Response, LoadError> {
    let response = request
        .send()
        .await
        .map_err(|err| LoadError::Presence(format!("{what}: {err}")))?;
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let body = response.text().await.unwrap_or_default();
    Err(LoadError::Presence(format!("{what}: {status} {body}")))
}

async fn json_of<T: DeserializeOwned>(response: Response) -> Result<T, LoadError> {
    let url = response.url().path().to_owned();
    response
        .json()
        .await
        .map_err(|err| LoadError::Presence(format!("{url}: unexpected answer: {err}")))
}

/// The `name=value` of the identity cookie among the response's cookies.
fn identity_cookie(response: &Response) -> Option<String> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(cookie_pair)
}

/// `name=value` of a `Set-Cookie` value, if it sets the identity cookie.
fn cookie_pair(set_cookie: &str) -> Option<String> {
    let pair = set_cookie.split(';').next()?.trim();
    let (name, value) = pair.split_once('=')?;
    (name == COOKIE_NAME && !value.is_empty()).then(|| pair.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cancel_function_is_found_by_name_and_hash() {
        let paths = [
            "/api/cancel_invitation_later1",
            "/api/invite42",
            "/api/cancel_invitation1657",
        ];
        assert_eq!(cancel_path(paths), Some("/api/cancel_invitation1657"));
        assert_eq!(cancel_path(["/api/invite42"]), None);
        let linked = cancel_path(server_fn::axum::server_fn_paths().map(|(path, _)| path));
        assert!(linked.is_some(), "the page's server function is linked in");
    }

    #[test]
    fn only_the_identity_cookie_is_kept() {
        let set = format!("{COOKIE_NAME}=abc.def; HttpOnly; SameSite=Lax; Path=/");
        assert_eq!(cookie_pair(&set), Some(format!("{COOKIE_NAME}=abc.def")));
        assert_eq!(cookie_pair("other=1; Path=/"), None);
        assert_eq!(cookie_pair(&format!("{COOKIE_NAME}=; Max-Age=0")), None);
    }

    #[test]
    fn debug_output_hides_the_token_and_cookie() {
        let person = Person {
            id: UserId(uuid::Uuid::new_v4()),
            token: "T1==secret-token".into(),
            cookie: format!("{COOKIE_NAME}=secret-cookie"),
        };
        let shown = format!("{person:?}");
        assert!(!shown.contains("secret"), "{shown}");
        assert!(shown.contains(&person.id.to_string()), "{shown}");
    }
}
