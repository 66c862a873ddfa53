//! The session-create response (§5.1): one element of a JSON array, or the
//! XML document PHP and Ruby clients get when they do not ask for JSON.

use serde::{Deserialize, Serialize};
use time::format_description::FormatItem;
use time::macros::format_description;
use time::OffsetDateTime;

use crate::opentok::session_id::SessionId;

/// `create_dt` format: `EEE MMM dd HH:mm:ss zzz yyyy` (always UTC here).
const CREATE_DT: &[FormatItem<'static>] = format_description!(
    "[weekday repr:short] [month repr:short] [day] [hour]:[minute]:[second] UTC [year]"
);

/// One element of the session-create response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// The new session's id.
    pub session_id: SessionId,
    /// The owning project (API key or application id).
    #[serde(default)]
    pub project_id: String,
    /// Same as `project_id` (legacy name).
    #[serde(default)]
    pub partner_id: String,
    /// Creation time, `Mon Mar 17 00:41:31 UTC 2014`.
    #[serde(default)]
    pub create_dt: String,
    /// Media server URL (empty: the platform does not disclose it).
    #[serde(default)]
    pub media_server_url: String,
}

impl SessionInfo {
    /// The response element for `session_id`, created at `created_ms`.
    pub fn new(session_id: SessionId, created_ms: u64) -> Self {
        let owner = session_id.owner().to_owned();
        let create_dt = OffsetDateTime::from_unix_timestamp((created_ms / 1000) as i64)
            .ok()
            .and_then(|at| at.format(CREATE_DT).ok())
            .unwrap_or_default();
        SessionInfo {
            session_id,
            project_id: owner.clone(),
            partner_id: owner,
            create_dt,
            media_server_url: String::new(),
        }
    }

    /// The XML answer for clients that do not accept JSON (PHP, Ruby).
    pub fn to_xml(&self) -> String {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><sessions><Session>\
             <session_id>{}</session_id><partner_id>{}</partner_id><create_dt>{}</create_dt>\
             </Session></sessions>",
            xml_escape(self.session_id.as_str()),
            xml_escape(&self.partner_id),
            xml_escape(&self.create_dt),
        )
    }

    /// Reads the first `<Session>` of an XML answer; `None` if it has no valid session id.
    pub fn from_xml(xml: &str) -> Option<SessionInfo> {
        let session_id = SessionId::parse(&xml_element(xml, "session_id")?).ok()?;
        let partner_id = xml_element(xml, "partner_id").unwrap_or_default();
        Some(SessionInfo {
            session_id,
            project_id: xml_element(xml, "project_id").unwrap_or_else(|| partner_id.clone()),
            partner_id,
            create_dt: xml_element(xml, "create_dt").unwrap_or_default(),
            media_server_url: String::new(),
        })
    }
}

/// The unescaped text of the first `<name>…</name>` element of `xml`.
pub(crate) fn xml_element(xml: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let start = xml.find(&open)? + open.len();
    let end = start + xml[start..].find(&format!("</{name}>"))?;
    Some(
        xml[start..end]
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&"),
    )
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_info_renders_json_and_xml() {
        let id = SessionId::parse(
            "1_MX4xMjM0NTZ-flNhdCBNYXIgMTUgMTQ6NDI6MjMgUERUIDIwMTR-MC40OTAxMzAyNX4",
        )
        .unwrap();
        let info = SessionInfo::new(id.clone(), 1_395_092_491_000);
        assert_eq!(info.create_dt, "Mon Mar 17 21:41:31 UTC 2014");
        assert_eq!(
            (info.project_id.as_str(), info.partner_id.as_str()),
            ("123456", "123456")
        );
        let xml = info.to_xml();
        assert!(xml.starts_with(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><sessions><Session>"
        ));
        assert_eq!(SessionInfo::from_xml(&xml).unwrap(), info);
        assert!(SessionInfo::from_xml("<sessions></sessions>").is_none());
        let json = serde_json::to_value(&info).unwrap();
        assert_eq!(json["session_id"], id.as_str());
    }
}
