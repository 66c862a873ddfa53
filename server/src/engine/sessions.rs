//! Engine operations on sessions: creating and finding them, signalling and
//! disconnecting their connections, and listing their streams (§5.1,
//! §5.4–5.6).
//!
//! Streams are the ones clients publish through the realtime hub.

use uuid::Uuid;

use super::connections::{ConnectionInfo, DeliveryError, EngineEvent};
use super::{Engine, EngineError};
use crate::opentok::model::{SessionOptions, Signal, Stream, StreamList};
use crate::opentok::session_id::SessionId;
use crate::store::SessionRecord;

impl Engine {
    /// Creates and persists a session owned by this project.
    pub async fn create_session(&self, options: SessionOptions) -> Result<SessionId, EngineError> {
        Ok(self.create_session_record(options).await?.id)
    }

    /// [`create_session`](Self::create_session), returning the whole record
    /// (the REST API reports the creation time).
    pub async fn create_session_record(
        &self,
        options: SessionOptions,
    ) -> Result<SessionRecord, EngineError> {
        options.validate().map_err(EngineError::invalid)?;
        let record = SessionRecord::new(self.api_key(), options);
        self.store().insert_session(&record).await?;
        tracing::debug!(session = %record.id, "session created");
        Ok(record)
    }

    /// The session `id`, if this engine created it.
    pub async fn session(&self, id: &SessionId) -> Result<Option<SessionRecord>, EngineError> {
        if !id.belongs_to(self.api_key()) {
            return Ok(None);
        }
        Ok(self.store().session(id).await?)
    }

    /// The session `id`, or 404.
    pub(super) async fn existing_session(
        &self,
        id: &SessionId,
    ) -> Result<SessionRecord, EngineError> {
        self.session(id).await?.ok_or(EngineError::SessionNotFound)
    }

    /// Sends `signal` to one connection of the session, or to all of them.
    pub async fn signal(
        &self,
        session_id: &SessionId,
        connection: Option<Uuid>,
        signal: Signal,
    ) -> Result<(), EngineError> {
        self.existing_session(session_id).await?;
        let event = EngineEvent::Signal(signal);
        let delivered = match connection {
            Some(id) => self.connections().send(session_id, id, event),
            None => self.connections().broadcast(session_id, &event).map(|_| ()),
        };
        delivered.map_err(delivery_error)
    }

    /// Forcibly disconnects one connection of the session.
    pub async fn force_disconnect(
        &self,
        session_id: &SessionId,
        connection: Uuid,
    ) -> Result<(), EngineError> {
        self.existing_session(session_id).await?;
        self.connections()
            .disconnect(session_id, connection)
            .map_err(delivery_error)
    }

    /// The live connections of the session, oldest first.
    pub async fn list_connections(
        &self,
        session_id: &SessionId,
    ) -> Result<Vec<ConnectionInfo>, EngineError> {
        self.existing_session(session_id).await?;
        Ok(self.connections().list(session_id))
    }

    /// The streams published in the session.
    pub async fn list_streams(&self, session_id: &SessionId) -> Result<StreamList, EngineError> {
        self.existing_session(session_id).await?;
        let items = self.published_streams(session_id);
        Ok(StreamList {
            count: items.len() as u64,
            items,
        })
    }

    /// One stream published in the session.
    pub async fn get_stream(
        &self,
        session_id: &SessionId,
        stream_id: Uuid,
    ) -> Result<Stream, EngineError> {
        self.existing_session(session_id).await?;
        self.published_streams(session_id)
            .into_iter()
            .find(|stream| stream.id == stream_id)
            .ok_or(EngineError::StreamNotFound)
    }

    /// What the connected clients publish through the realtime hub.
    pub(super) fn published_streams(&self, session_id: &SessionId) -> Vec<Stream> {
        self.hub().streams(session_id)
    }
}

fn delivery_error(err: DeliveryError) -> EngineError {
    match err {
        DeliveryError::NotConnected(_) | DeliveryError::NoConnections => EngineError::NotConnected,
        DeliveryError::Congested(_) => EngineError::Congested,
    }
}
