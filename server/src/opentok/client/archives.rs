//! Archive endpoints (§5.2): start, stop, get, list, delete and layout, all
//! under `/v2/project/{key}/archive`.

use reqwest::Method;
use uuid::Uuid;

use super::{Client, ClientError};
use crate::opentok::model::{Archive, ArchiveLayout, ArchiveList, ArchiveOptions, ArchiveQuery};

impl Client {
    /// Starts recording a session.
    pub async fn start_archive(&self, options: &ArchiveOptions) -> Result<Archive, ClientError> {
        options.validate()?;
        let request = self
            .request(Method::POST, self.project_url(&["archive"])?)
            .json(options);
        Self::send_json(request).await
    }

    /// Stops a recording.
    pub async fn stop_archive(&self, archive_id: Uuid) -> Result<Archive, ClientError> {
        let id = archive_id.to_string();
        let request = self.request(Method::POST, self.project_url(&["archive", &id, "stop"])?);
        Self::send_json(request).await
    }

    /// Reads one archive.
    pub async fn get_archive(&self, archive_id: Uuid) -> Result<Archive, ClientError> {
        let id = archive_id.to_string();
        Self::send_json(self.request(Method::GET, self.project_url(&["archive", &id])?)).await
    }

    /// Lists archives, newest first.
    pub async fn list_archives(&self, query: &ArchiveQuery) -> Result<ArchiveList, ClientError> {
        query.validate()?;
        let request = self
            .request(Method::GET, self.project_url(&["archive"])?)
            .query(query);
        Self::send_json(request).await
    }

    /// Deletes an archive's file.
    pub async fn delete_archive(&self, archive_id: Uuid) -> Result<(), ClientError> {
        let id = archive_id.to_string();
        Self::send(self.request(Method::DELETE, self.project_url(&["archive", &id])?)).await?;
        Ok(())
    }

    /// Changes the layout of a composed archive while it records.
    pub async fn set_archive_layout(
        &self,
        archive_id: Uuid,
        layout: &ArchiveLayout,
    ) -> Result<(), ClientError> {
        layout.validate()?;
        let id = archive_id.to_string();
        let url = self.project_url(&["archive", &id, "layout"])?;
        Self::send(self.request(Method::PUT, url).json(layout)).await?;
        Ok(())
    }
}
