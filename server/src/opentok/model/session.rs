//! Session creation options (§5.1), whose serde form is the form-urlencoded
//! body of `POST /session/create`; the response is in
//! [`session_info`](super::session_info).

use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

use super::Resolution;

/// Why session options are refused (the engine answers 400).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SessionOptionsError {
    /// Automatic archiving needs the media router.
    #[error("archiveMode \"always\" requires a routed session (p2p.preference=disabled)")]
    AlwaysNeedsRouted,
    /// End-to-end encryption needs the media router.
    #[error("e2ee requires a routed session (p2p.preference=disabled)")]
    E2eeNeedsRouted,
    /// End-to-end encrypted sessions cannot be archived automatically.
    #[error("e2ee cannot be combined with archiveMode \"always\"")]
    E2eeWithAlways,
    /// `archiveName` / `archiveResolution` only make sense when archiving always.
    #[error("{0} is only allowed with archiveMode \"always\"")]
    OnlyWithAlways(&'static str),
    /// `archiveName` must be 1 to 80 characters.
    #[error("archiveName must be 1 to 80 characters")]
    ArchiveNameLength,
    /// A form field has a value outside its allowed set.
    #[error("invalid value {value:?} for {field}")]
    InvalidValue {
        /// The form field.
        field: &'static str,
        /// What was sent.
        value: String,
    },
}

/// How media flows: directly between clients, or through the media router.
/// Serialized as the `p2p.preference` form value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MediaMode {
    /// Peer to peer (`enabled`); the SDKs' default. No archiving.
    #[default]
    #[serde(rename = "enabled")]
    Relayed,
    /// Through the media router (`disabled`); needed for archiving.
    #[serde(rename = "disabled")]
    Routed,
}

impl MediaMode {
    /// The `p2p.preference` form value.
    pub fn as_p2p_preference(self) -> &'static str {
        match self {
            MediaMode::Relayed => "enabled",
            MediaMode::Routed => "disabled",
        }
    }
}

/// Whether sessions are archived automatically.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ArchiveMode {
    /// Archives are started through the REST API.
    #[default]
    Manual,
    /// An archive starts when the first client publishes.
    Always,
}

impl ArchiveMode {
    /// The `archiveMode` form value.
    pub fn as_str(self) -> &'static str {
        match self {
            ArchiveMode::Manual => "manual",
            ArchiveMode::Always => "always",
        }
    }
}

/// Options for `POST /session/create`. The serde form is the form body;
/// deserializing applies the server's defaults (routed when
/// `p2p.preference` is absent) and the §5.1 rules.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "SessionForm", try_from = "SessionForm")]
pub struct SessionOptions {
    /// Relayed (default) or routed.
    pub media_mode: MediaMode,
    /// Manual (default) or always.
    pub archive_mode: ArchiveMode,
    /// A location hint for picking the media server.
    pub location: Option<Ipv4Addr>,
    /// End-to-end encryption (routed only).
    pub e2ee: bool,
    /// Name of automatic archives (`always` only).
    pub archive_name: Option<String>,
    /// Resolution of automatic archives (`always` only).
    pub archive_resolution: Option<Resolution>,
}

impl SessionOptions {
    /// Checks the §5.1 combination rules.
    pub fn validate(&self) -> Result<(), SessionOptionsError> {
        let routed = self.media_mode == MediaMode::Routed;
        let always = self.archive_mode == ArchiveMode::Always;
        if always && !routed {
            return Err(SessionOptionsError::AlwaysNeedsRouted);
        }
        if self.e2ee && !routed {
            return Err(SessionOptionsError::E2eeNeedsRouted);
        }
        if self.e2ee && always {
            return Err(SessionOptionsError::E2eeWithAlways);
        }
        if let Some(name) = &self.archive_name {
            if !always {
                return Err(SessionOptionsError::OnlyWithAlways("archiveName"));
            }
            if name.is_empty() || name.chars().count() > 80 {
                return Err(SessionOptionsError::ArchiveNameLength);
            }
        }
        if self.archive_resolution.is_some() && !always {
            return Err(SessionOptionsError::OnlyWithAlways("archiveResolution"));
        }
        Ok(())
    }
}

/// The raw form, as strings, so odd values get precise errors.
#[derive(Debug, Default, Serialize, Deserialize)]
struct SessionForm {
    #[serde(rename = "p2p.preference", skip_serializing_if = "Option::is_none")]
    p2p_preference: Option<String>,
    #[serde(rename = "archiveMode", skip_serializing_if = "Option::is_none")]
    archive_mode: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    e2ee: Option<String>,
    #[serde(rename = "archiveName", skip_serializing_if = "Option::is_none")]
    archive_name: Option<String>,
    #[serde(rename = "archiveResolution", skip_serializing_if = "Option::is_none")]
    archive_resolution: Option<String>,
}

impl From<SessionOptions> for SessionForm {
    fn from(options: SessionOptions) -> Self {
        SessionForm {
            p2p_preference: Some(options.media_mode.as_p2p_preference().to_owned()),
            archive_mode: Some(options.archive_mode.as_str().to_owned()),
            location: options.location.map(|ip| ip.to_string()),
            e2ee: Some(options.e2ee.to_string()),
            archive_name: options.archive_name,
            archive_resolution: options.archive_resolution.map(|r| r.as_str().to_owned()),
        }
    }
}

impl TryFrom<SessionForm> for SessionOptions {
    type Error = SessionOptionsError;
    fn try_from(form: SessionForm) -> Result<Self, Self::Error> {
        let invalid = |field, value: &str| SessionOptionsError::InvalidValue {
            field,
            value: value.to_owned(),
        };
        let media_mode = match form.p2p_preference.as_deref() {
            None | Some("disabled") => MediaMode::Routed,
            Some("enabled") => MediaMode::Relayed,
            Some(other) => return Err(invalid("p2p.preference", other)),
        };
        let archive_mode = match form.archive_mode.as_deref() {
            None | Some("manual") => ArchiveMode::Manual,
            Some("always") => ArchiveMode::Always,
            Some(other) => return Err(invalid("archiveMode", other)),
        };
        let location = match form.location.as_deref() {
            None | Some("") | Some("null") => None,
            Some(text) => Some(text.parse().map_err(|_| invalid("location", text))?),
        };
        let e2ee = match form.e2ee.as_deref() {
            None | Some("false") => false,
            Some("true") => true,
            Some(other) => return Err(invalid("e2ee", other)),
        };
        let archive_resolution = match form.archive_resolution.as_deref() {
            None => None,
            Some(text) => {
                Some(Resolution::parse(text).ok_or_else(|| invalid("archiveResolution", text))?)
            }
        };
        let options = SessionOptions {
            media_mode,
            archive_mode,
            location,
            e2ee,
            archive_name: form.archive_name,
            archive_resolution,
        };
        options.validate()?;
        Ok(options)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(options: &SessionOptions) -> String {
        serde_urlencoded::to_string(options).unwrap()
    }

    fn parse(body: &str) -> Result<SessionOptions, String> {
        serde_urlencoded::from_str(body).map_err(|e| e.to_string())
    }

    #[test]
    fn default_is_relayed_manual_and_serializes_as_a_form() {
        let options = SessionOptions::default();
        assert_eq!(
            (options.media_mode, options.archive_mode),
            (MediaMode::Relayed, ArchiveMode::Manual)
        );
        assert_eq!(
            form(&options),
            "p2p.preference=enabled&archiveMode=manual&e2ee=false"
        );
        let routed = SessionOptions {
            media_mode: MediaMode::Routed,
            archive_mode: ArchiveMode::Always,
            location: Some(Ipv4Addr::new(12, 34, 56, 78)),
            archive_name: Some("foo bar".into()),
            archive_resolution: Some(Resolution::HdPortrait),
            ..SessionOptions::default()
        };
        assert_eq!(
            form(&routed),
            "p2p.preference=disabled&archiveMode=always&location=12.34.56.78&e2ee=false\
             &archiveName=foo+bar&archiveResolution=720x1280"
        );
        assert_eq!(parse(&form(&routed)).unwrap(), routed);
    }

    #[test]
    fn parses_the_bodies_sdks_send() {
        let python =
            parse("p2p.preference=disabled&archiveMode=manual&location=12.34.56.78&e2ee=false")
                .unwrap();
        assert_eq!(python.location, Some(Ipv4Addr::new(12, 34, 56, 78)));
        let vonage = parse("archiveMode=manual&location=null&p2p.preference=disabled").unwrap();
        assert_eq!(
            (vonage.location, vonage.media_mode),
            (None, MediaMode::Routed)
        );
        let php = parse("p2p.preference=enabled&e2ee=false&api_key=123456").unwrap();
        assert_eq!(php.media_mode, MediaMode::Relayed);
        assert_eq!(
            parse("").unwrap().media_mode,
            MediaMode::Routed,
            "server default"
        );
        let ruby = parse(
            "archiveMode=always&archiveName=foo&archiveResolution=720x1280&p2p.preference=disabled",
        );
        assert_eq!(
            ruby.unwrap().archive_resolution,
            Some(Resolution::HdPortrait)
        );
    }

    #[test]
    fn enforces_the_combination_rules() {
        let err = |body: &str| parse(body).unwrap_err();
        assert!(err("p2p.preference=enabled&archiveMode=always").contains("requires a routed"));
        assert!(err("p2p.preference=enabled&e2ee=true").contains("e2ee requires"));
        assert!(err("p2p.preference=disabled&e2ee=true&archiveMode=always")
            .contains("cannot be combined"));
        assert!(
            err("p2p.preference=disabled&archiveName=x").contains("archiveName is only allowed")
        );
        assert!(err("p2p.preference=disabled&archiveResolution=640x480").contains("only allowed"));
        assert!(err("p2p.preference=maybe").contains("p2p.preference"));
        assert!(err("location=999.1.1.1").contains("location"));
        let long = format!(
            "p2p.preference=disabled&archiveMode=always&archiveName={}",
            "a".repeat(81)
        );
        assert!(err(&long).contains("1 to 80"));
    }
}
