//! Signaling and moderation (§5.4, §5.5): signals to a whole session or one
//! connection, and forced disconnects.

use reqwest::Method;
use uuid::Uuid;

use super::{Client, ClientError};
use crate::opentok::model::Signal;
use crate::opentok::session_id::SessionId;

impl Client {
    /// Sends `signal` to every connection of the session, or to `connection` only.
    pub async fn signal(
        &self,
        session_id: &SessionId,
        connection: Option<Uuid>,
        signal: &Signal,
    ) -> Result<(), ClientError> {
        let connection = connection.map(|id| id.to_string());
        let url = match &connection {
            Some(id) => {
                self.project_url(&["session", session_id.as_str(), "connection", id, "signal"])?
            }
            None => self.project_url(&["session", session_id.as_str(), "signal"])?,
        };
        Self::send(self.request(Method::POST, url).json(signal)).await?;
        Ok(())
    }

    /// Disconnects a client from the session.
    pub async fn force_disconnect(
        &self,
        session_id: &SessionId,
        connection: Uuid,
    ) -> Result<(), ClientError> {
        let id = connection.to_string();
        let url = self.project_url(&["session", session_id.as_str(), "connection", &id])?;
        Self::send(self.request(Method::DELETE, url)).await?;
        Ok(())
    }
}
