//! The accounts' HTTP routes. Bodies are JSON or form-encoded (by
//! `Content-Type`); every failure is JSON with an `error` message.
//!
//! - `POST /api-token-auth/` `{username, password}` → `{token, user}` (seed
//!   003's Django REST framework JWT convention; the token goes in
//!   `Authorization: Bearer`). Wrong credentials: 400 `{error,
//!   non_field_errors: ["Unable to log in with provided credentials."]}`;
//!   a missing field: 400 `{error, <field>: ["This field is required."]}`.
//! - `POST /api/accounts` (administrators) `{username, password, role?}` →
//!   201 `{user}`; 400 bad input, 401, 403, 409 username taken.
//! - `GET /api/accounts/me` → `{user}`, or 401.

use app::accounts::backend::{AccountsBackend, AuthError};
use app::accounts::{Account, Role, Username};
use app::server_errors::Refusal;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::directory::AccountsError;
use super::password::Password;
use super::service::AccountsService;

/// DRF's message for wrong credentials, kept for seed 003's clients.
const BAD_CREDENTIALS: &str = "Unable to log in with provided credentials.";

/// Why an accounts route refused.
#[derive(Debug, thiserror::Error)]
pub enum RouteError {
    /// The body is not JSON / a form of the expected shape (400).
    #[error("{0}")]
    BadRequest(String),
    /// Required fields are missing (400, DRF-style per-field messages).
    #[error("Enter a username and a password.")]
    MissingFields(Vec<&'static str>),
    /// Authentication or authorisation refused (its own status).
    #[error(transparent)]
    Auth(#[from] AuthError),
    /// An account operation refused (400 / 409 / 503).
    #[error(transparent)]
    Accounts(#[from] AccountsError),
}

impl RouteError {
    fn status(&self) -> StatusCode {
        let code = match self {
            RouteError::BadRequest(_) | RouteError::MissingFields(_) => 400,
            RouteError::Auth(err) => err.status(),
            RouteError::Accounts(AccountsError::Taken(_)) => 409,
            RouteError::Accounts(AccountsError::Password(_)) => 400,
            RouteError::Accounts(_) => 503,
        };
        StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

impl IntoResponse for RouteError {
    fn into_response(self) -> Response {
        let mut body = Map::new();
        body.insert("error".into(), self.to_string().into());
        match &self {
            RouteError::Auth(AuthError::BadCredentials) => {
                body.insert("non_field_errors".into(), json!([BAD_CREDENTIALS]));
            }
            RouteError::MissingFields(fields) => {
                for field in fields {
                    body.insert((*field).into(), json!(["This field is required."]));
                }
            }
            _ => {}
        }
        (self.status(), Json(Value::Object(body))).into_response()
    }
}

/// `/api-token-auth/`, `/api/accounts` and `/api/accounts/me`.
pub fn router(service: AccountsService) -> Router {
    Router::new()
        .route("/api-token-auth/", post(token_auth))
        .route("/api/accounts", post(create_account))
        .route("/api/accounts/me", get(me))
        .with_state(service)
}

#[derive(Deserialize)]
struct Credentials {
    username: Option<String>,
    password: Option<String>,
}

#[derive(Serialize)]
struct TokenIssued {
    token: String,
    user: Account,
}

#[derive(Serialize)]
struct User {
    user: Account,
}

async fn token_auth(
    State(service): State<AccountsService>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<TokenIssued>, RouteError> {
    let credentials: Credentials = parse_body(&headers, &body)?;
    let (username, password) = required(credentials.username, credentials.password)?;
    let signed_in = service.sign_in(&username, &password).await?;
    Ok(Json(TokenIssued {
        token: signed_in.token,
        user: signed_in.account,
    }))
}

#[derive(Deserialize)]
struct NewAccount {
    username: Option<String>,
    password: Option<String>,
    #[serde(default, alias = "user_type")]
    role: Option<Role>,
}

async fn create_account(
    State(service): State<AccountsService>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, RouteError> {
    service.authenticate_admin(&headers).await?;
    let request: NewAccount = parse_body(&headers, &body)?;
    let (username, password) = required(request.username, request.password)?;
    let username =
        Username::parse(&username).map_err(|err| RouteError::BadRequest(err.to_string()))?;
    let password = Password::parse(&password).map_err(AccountsError::from)?;
    let role = request.role.unwrap_or(Role::Rep);
    let user = service
        .directory()
        .create(&username, password, role)
        .await?;
    tracing::info!(username = %user.username, role = role.as_str(), "account created");
    Ok((StatusCode::CREATED, Json(User { user })).into_response())
}

async fn me(
    State(service): State<AccountsService>,
    headers: HeaderMap,
) -> Result<Json<User>, RouteError> {
    let user = service.authenticate(&headers).await?;
    Ok(Json(User { user }))
}

/// Both fields, non-empty, or which ones are missing.
fn required(
    username: Option<String>,
    password: Option<String>,
) -> Result<(String, String), RouteError> {
    let present = |field: &Option<String>| field.as_deref().is_some_and(|v| !v.trim().is_empty());
    let mut missing = Vec::new();
    if !present(&username) {
        missing.push("username");
    }
    if !present(&password) {
        missing.push("password");
    }
    match (username, password) {
        (Some(username), Some(password)) if missing.is_empty() => Ok((username, password)),
        _ => Err(RouteError::MissingFields(missing)),
    }
}

/// The body as JSON (`application/json`, or anything starting with `{`)
/// or as a form (`application/x-www-form-urlencoded` and the rest).
fn parse_body<T: DeserializeOwned>(headers: &HeaderMap, body: &[u8]) -> Result<T, RouteError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let looks_json = body
        .iter()
        .find(|byte| !byte.is_ascii_whitespace())
        .is_some_and(|byte| *byte == b'{');
    if content_type.starts_with("application/json") || (content_type.is_empty() && looks_json) {
        serde_json::from_slice(body)
            .map_err(|err| RouteError::BadRequest(format!("expected a JSON object: {err}")))
    } else {
        serde_urlencoded::from_bytes(body)
            .map_err(|err| RouteError::BadRequest(format!("expected a form: {err}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn typed(content_type: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        let value = HeaderValue::from_str(content_type).unwrap();
        headers.insert(header::CONTENT_TYPE, value);
        headers
    }

    #[test]
    fn bodies_are_json_or_forms() {
        let json: Credentials =
            parse_body(&typed("application/json"), br#"{"username":"ann"}"#).unwrap();
        assert_eq!(json.username.as_deref(), Some("ann"));
        let untyped: Credentials = parse_body(&HeaderMap::new(), br#" {"password":"x"}"#).unwrap();
        assert_eq!(untyped.password.as_deref(), Some("x"));
        let form: Credentials = parse_body(
            &typed("application/x-www-form-urlencoded"),
            b"username=ann&password=a+b%26c",
        )
        .unwrap();
        assert_eq!(form.password.as_deref(), Some("a b&c"));
        let bad = parse_body::<Credentials>(&typed("application/json"), b"username=ann");
        assert!(matches!(bad, Err(RouteError::BadRequest(_))));
    }

    #[test]
    fn missing_fields_are_named() {
        let err = required(Some("ann".into()), Some(" ".into())).unwrap_err();
        assert!(matches!(&err, RouteError::MissingFields(f) if f == &["password"]));
        let err = required(None, None).unwrap_err();
        assert!(matches!(&err, RouteError::MissingFields(f) if f.len() == 2));
        assert!(required(Some("ann".into()), Some("pw".into())).is_ok());
    }

    #[test]
    fn refusals_have_their_status() {
        let status = |err: RouteError| err.into_response().status().as_u16();
        assert_eq!(status(AuthError::BadCredentials.into()), 400);
        assert_eq!(status(AuthError::NotSignedIn.into()), 401);
        assert_eq!(status(AuthError::Forbidden.into()), 403);
        let taken = AccountsError::Taken(Username::parse("ann").unwrap());
        assert_eq!(status(taken.into()), 409);
        let short = AccountsError::Password(super::super::PasswordError::TooShort);
        assert_eq!(status(short.into()), 400);
        assert_eq!(status(RouteError::MissingFields(vec!["username"])), 400);
    }
}
