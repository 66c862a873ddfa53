//! Stream information (§5.6): all streams of a session, or one.

use reqwest::Method;
use uuid::Uuid;

use super::{Client, ClientError};
use crate::opentok::model::{Stream, StreamList};
use crate::opentok::session_id::SessionId;

impl Client {
    /// Lists the streams published in a session.
    pub async fn list_streams(&self, session_id: &SessionId) -> Result<StreamList, ClientError> {
        let url = self.project_url(&["session", session_id.as_str(), "stream"])?;
        Self::send_json(self.request(Method::GET, url)).await
    }

    /// Reads one stream.
    pub async fn get_stream(
        &self,
        session_id: &SessionId,
        stream_id: Uuid,
    ) -> Result<Stream, ClientError> {
        let id = stream_id.to_string();
        let url = self.project_url(&["session", session_id.as_str(), "stream", &id])?;
        Self::send_json(self.request(Method::GET, url)).await
    }
}
