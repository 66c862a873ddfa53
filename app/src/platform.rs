//! What the page needs to know about the server it talks to: which media
//! provider carries the video and under which API key. The server puts a
//! [`PlatformInfo`] into the request context; [`get_platform_info`] hands it to
//! components on either side of hydration.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::video::{Backend, IceServer};

/// Public facts about this Rendezvous instance (no secrets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformInfo {
    /// `local` (the embedded engine) or `opentok` (Vonage / OpenTok cloud).
    pub provider: String,
    /// The key clients pass to `OT.initSession`.
    pub api_key: String,
    /// This server's public base URL.
    pub public_url: String,
    /// ICE servers for WebRTC on the embedded engine.
    pub ice_servers: Vec<IceServer>,
}

impl PlatformInfo {
    /// A human label for the provider.
    pub fn provider_label(&self) -> &'static str {
        match self.provider.as_str() {
            "opentok" => "Vonage / OpenTok cloud",
            _ => "Embedded engine (offline)",
        }
    }

    /// Whether media runs on our own engine.
    pub fn is_local(&self) -> bool {
        self.provider != "opentok"
    }

    /// The video client backend pages use with this server.
    pub fn backend(&self) -> Backend {
        if self.is_local() {
            Backend::Local {
                ice_servers: self.ice_servers.clone(),
            }
        } else {
            Backend::OpenTok {
                api_key: self.api_key.clone(),
            }
        }
    }
}

/// Reads the [`PlatformInfo`] the server provided for this request.
#[server]
pub async fn get_platform_info() -> Result<PlatformInfo, ServerFnError> {
    use_context::<PlatformInfo>()
        .ok_or_else(|| ServerFnError::new("platform information is not configured"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        let mut info = PlatformInfo {
            provider: "local".into(),
            api_key: "123456".into(),
            public_url: "http://127.0.0.1:3000/".into(),
            ice_servers: Vec::new(),
        };
        assert!(info.is_local());
        assert_eq!(info.provider_label(), "Embedded engine (offline)");
        assert_eq!(
            info.backend(),
            Backend::Local {
                ice_servers: Vec::new()
            }
        );
        info.provider = "opentok".into();
        assert!(!info.is_local());
        assert_eq!(info.provider_label(), "Vonage / OpenTok cloud");
        assert_eq!(
            info.backend(),
            Backend::OpenTok {
                api_key: "123456".into()
            }
        );
    }
}
