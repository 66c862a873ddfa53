//! `POST /session/create` (§5.1): a form body, and a response that is a
//! one-element JSON array — or XML from servers that ignore `Accept`.

use reqwest::header::CONTENT_TYPE;
use reqwest::Method;

use super::{Client, ClientError};
use crate::opentok::model::{SessionInfo, SessionOptions};
use crate::opentok::session_id::SessionId;

impl Client {
    /// Creates a session and returns its id.
    pub async fn create_session(&self, options: &SessionOptions) -> Result<SessionId, ClientError> {
        options.validate()?;
        let form =
            serde_urlencoded::to_string(options).expect("session options serialize as a flat form");
        let request = self
            .request(Method::POST, self.url(&["session", "create"])?)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form);
        let response = Self::send(request).await?;
        let is_json = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| {
                value.split(';').next().unwrap_or("").trim() == "application/json"
            });
        let body = response.text().await?;
        if is_json {
            let sessions: Vec<SessionInfo> =
                serde_json::from_str(&body).map_err(|e| ClientError::Decode(e.to_string()))?;
            sessions
                .into_iter()
                .next()
                .map(|info| info.session_id)
                .ok_or_else(|| ClientError::Decode("empty session list".into()))
        } else {
            SessionInfo::from_xml(&body)
                .map(|info| info.session_id)
                .ok_or_else(|| ClientError::Decode("no session id in XML response".into()))
        }
    }
}
