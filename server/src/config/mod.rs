//! Configuration: every option is a command-line flag with an environment
//! variable behind it (clap `env`), and a `.env` file in the working directory
//! is read first (dotenvy). `server --help` documents each one. The command
//! line ([`cli`]) serves by default and has `accounts` sub-commands
//! ([`accounts_cmd`]) for managing staff accounts.
//!
//! Secrets (API secrets, private keys, the first administrator's password)
//! are hidden from `--help` output and are held as [`SecretString`] so
//! `Debug` never prints them.

pub mod accounts_cmd;
mod admin;
pub mod cli;
mod credentials;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use app::video::IceServer;
use clap::Parser;
use secrecy::SecretString;
use url::Url;

use crate::engine::media::config as media_config;
use crate::engine::media::{AnnouncedIps, MediaConfig, PortRange};

pub use admin::AdminError;
pub use cli::{Cli, Command};
pub use credentials::{engine_credentials, CredentialsError, ProviderSettings};

/// The server's options (the [`Cli`] flattens them into its command line;
/// tests parse them alone).
#[derive(Debug, Clone, Parser)]
#[command(name = "server")]
pub struct Config {
    /// Address the HTTP server listens on.
    #[arg(
        long = "addr",
        env = "LEPTOS_SITE_ADDR",
        default_value = "127.0.0.1:3000"
    )]
    pub addr: SocketAddr,

    /// Directory holding the built site (`pkg/` with the WASM bundle, CSS, assets).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,

    /// Directory for the SQLite database, generated engine credentials and
    /// signing keys.
    #[arg(long, env = "DATA_DIR", default_value = "./data", global = true)]
    pub data_dir: PathBuf,

    /// Public base URL of this server, used in links it hands out (archive
    /// downloads, invitations). Defaults to `http://<addr>`.
    #[arg(long, env = "PUBLIC_URL")]
    pub public_url: Option<Url>,

    /// OpenTok project API key (cloud provider; needs OPENTOK_API_SECRET).
    #[arg(long, env = "OPENTOK_API_KEY")]
    pub opentok_api_key: Option<String>,

    /// OpenTok project API secret.
    #[arg(long, env = "OPENTOK_API_SECRET", hide_env_values = true, value_parser = parse_secret)]
    pub opentok_api_secret: Option<SecretString>,

    /// OpenTok REST base URL (default https://api.opentok.com, or
    /// https://video.api.vonage.com for a Vonage application). Point it at
    /// another Rendezvous instance to use that instance's embedded engine as
    /// the "cloud".
    #[arg(long, env = "OPENTOK_API_URL")]
    pub opentok_api_url: Option<Url>,

    /// Vonage application id (cloud provider; needs VONAGE_PRIVATE_KEY).
    #[arg(long, env = "VONAGE_APPLICATION_ID")]
    pub vonage_application_id: Option<String>,

    /// Vonage application private key: PEM text, or the path of a PEM file.
    #[arg(long, env = "VONAGE_PRIVATE_KEY", hide_env_values = true, value_parser = parse_secret)]
    pub vonage_private_key: Option<SecretString>,

    /// API key of the embedded engine's own project. When absent (with
    /// ENGINE_API_SECRET), one is generated once and kept in the data directory.
    #[arg(long, env = "ENGINE_API_KEY")]
    pub engine_api_key: Option<String>,

    /// API secret of the embedded engine's own project (see ENGINE_API_KEY).
    #[arg(long, env = "ENGINE_API_SECRET", hide_env_values = true, value_parser = parse_secret)]
    pub engine_api_secret: Option<SecretString>,

    /// WebRTC ICE servers handed to browsers on the embedded engine: a JSON
    /// array of RTCIceServer objects, e.g.
    /// `[{"urls":["stun:stun.example.org:3478"]}]`. None are needed when the
    /// browsers reach each other directly (one machine, one LAN).
    #[arg(long, env = "RTC_ICE_SERVERS", hide_env_values = true, default_value = "[]", value_parser = parse_ice_servers)]
    pub ice_servers: IceServers,

    /// UDP ports for the media of routed sessions, FIRST-LAST: each peer
    /// connection (one per published stream, one per subscriber) uses one.
    #[arg(long, env = "RTC_UDP_PORTS", default_value = "40000-40999")]
    pub rtc_udp_ports: PortRange,

    /// Address the media sockets of routed sessions bind to.
    #[arg(long, env = "RTC_BIND_IP", default_value = "0.0.0.0")]
    pub rtc_bind_ip: IpAddr,

    /// Addresses browsers can reach this server's media at, comma-separated
    /// (announced as ICE host candidates; behind NAT, add the public one).
    /// Defaults to 127.0.0.1 plus this machine's IPv4 address on its
    /// default route.
    #[arg(long, env = "RTC_ANNOUNCED_IPS")]
    pub rtc_announced_ips: Option<AnnouncedIps>,

    /// How long an unanswered presence invitation rings, in seconds (1–600).
    #[arg(long, env = "PRESENCE_RING_SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u16).range(1..=600))]
    pub presence_ring_seconds: u16,

    /// Username of the first administrator, created on start when no
    /// account has that name yet (needs ADMIN_PASSWORD). More accounts:
    /// `server accounts add`.
    #[arg(long, env = "ADMIN_USERNAME")]
    pub admin_username: Option<String>,

    /// Password of the first administrator (8–128 characters); used only
    /// when that account is created.
    #[arg(long, env = "ADMIN_PASSWORD", hide_env_values = true, value_parser = parse_secret)]
    pub admin_password: Option<SecretString>,
}

/// The parsed `RTC_ICE_SERVERS` list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IceServers(pub Vec<IceServer>);

fn parse_ice_servers(value: &str) -> Result<IceServers, String> {
    let servers: Vec<IceServer> = serde_json::from_str(value)
        .map_err(|err| format!("expected a JSON array of {{\"urls\": [...]}} objects: {err}"))?;
    let bad_url = servers.iter().flat_map(|s| &s.urls).find(|url| {
        !["stun:", "stuns:", "turn:", "turns:"]
            .iter()
            .any(|scheme| url.starts_with(scheme))
    });
    if let Some(url) = bad_url {
        return Err(format!(
            "{url:?} is not a stun:, stuns:, turn: or turns: URL"
        ));
    }
    Ok(IceServers(servers))
}

fn parse_secret(value: &str) -> Result<SecretString, String> {
    if value.trim().is_empty() {
        return Err("must not be empty".into());
    }
    Ok(SecretString::from(value.to_owned()))
}

impl Config {
    /// A configuration with defaults only (for tests): local provider, the
    /// given data directory, an ephemeral port.
    pub fn for_tests(data_dir: PathBuf) -> Self {
        let mut config = Config::parse_from(["server"]);
        config.addr = SocketAddr::from(([127, 0, 0, 1], 0));
        config.data_dir = data_dir;
        config
    }

    /// The media router's network settings (routed sessions).
    pub fn media(&self) -> MediaConfig {
        MediaConfig {
            bind_ip: self.rtc_bind_ip,
            ports: self.rtc_udp_ports,
            announced: match &self.rtc_announced_ips {
                Some(list) => list.0.clone(),
                None => media_config::default_announced(),
            },
        }
    }

    /// The public base URL, defaulting to `http://<addr>`.
    pub fn public_url(&self, bound: SocketAddr) -> Url {
        self.public_url.clone().unwrap_or_else(|| {
            Url::parse(&format!("http://{bound}")).expect("a socket address forms a valid URL")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_definition_is_consistent() {
        Config::command().debug_assert();
    }

    #[test]
    fn debug_never_shows_secrets() {
        let config = Config::parse_from([
            "server",
            "--opentok-api-key",
            "123456",
            "--opentok-api-secret",
            "topsecretvalue1234",
            "--admin-password",
            "adminsecret5678",
        ]);
        let printed = format!("{config:?}");
        assert!(!printed.contains("topsecretvalue1234"), "{printed}");
        assert!(!printed.contains("adminsecret5678"), "{printed}");
        assert!(printed.contains("123456"));
    }

    #[test]
    fn ice_servers_are_parsed_and_checked() {
        let config = Config::try_parse_from([
            "server",
            "--ice-servers",
            r#"[{"urls":["stun:stun.example.org:3478"]},{"urls":["turn:t.example.org"],"username":"u","credential":"c"}]"#,
        ])
        .unwrap();
        assert_eq!(config.ice_servers.0.len(), 2);
        assert_eq!(config.ice_servers.0[1].username.as_deref(), Some("u"));
        assert!(Config::parse_from(["server"]).ice_servers.0.is_empty());
        for bad in [r#"{"urls":"x"}"#, r#"[{"urls":["http://x"]}]"#, "stun:x"] {
            assert!(
                Config::try_parse_from(["server", "--ice-servers", bad]).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_ring_timeout_is_bounded() {
        assert_eq!(Config::parse_from(["server"]).presence_ring_seconds, 30);
        let short = Config::try_parse_from(["server", "--presence-ring-seconds", "2"]).unwrap();
        assert_eq!(short.presence_ring_seconds, 2);
        for bad in ["0", "601", "x"] {
            assert!(Config::try_parse_from(["server", "--presence-ring-seconds", bad]).is_err());
        }
    }

    #[test]
    fn media_flags_are_parsed_and_bad_ones_refused() {
        let config = Config::parse_from(["server"]);
        let media = config.media();
        assert_eq!(media.ports.to_string(), "40000-40999");
        assert!(media.bind_ip.is_unspecified());
        assert!(media.announced[0].is_loopback());
        let config = Config::try_parse_from([
            "server",
            "--rtc-udp-ports",
            "50000-50010",
            "--rtc-bind-ip",
            "127.0.0.1",
            "--rtc-announced-ips",
            "203.0.113.7,127.0.0.1",
        ])
        .expect("valid media flags");
        let media = config.media();
        assert_eq!((media.ports.first(), media.ports.len()), (50000, 11));
        assert_eq!(media.bind_ip.to_string(), "127.0.0.1");
        assert_eq!(media.announced.len(), 2);
        for (flag, bad) in [
            ("--rtc-udp-ports", "50010-50000"),
            ("--rtc-udp-ports", "40000"),
            ("--rtc-bind-ip", "localhost"),
            ("--rtc-announced-ips", "0.0.0.0"),
            ("--rtc-announced-ips", "example.org"),
        ] {
            let refused = Config::try_parse_from(["server", flag, bad]);
            let err = refused.expect_err(bad);
            assert_eq!(err.kind(), clap::error::ErrorKind::ValueValidation, "{bad}");
        }
    }

    #[test]
    fn empty_secret_is_refused() {
        let result = Config::try_parse_from(["server", "--opentok-api-secret", " "]);
        assert!(result.is_err());
    }
}
