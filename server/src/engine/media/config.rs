//! Where the media router listens: the UDP port range its peer connections
//! bind in, the address they bind to, and the addresses it announces to
//! browsers as its ICE candidates.

use std::net::{IpAddr, Ipv4Addr};
use std::ops::RangeInclusive;

/// The media router's network settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaConfig {
    /// The address UDP sockets bind to (`0.0.0.0`: every interface).
    pub bind_ip: IpAddr,
    /// The UDP ports peer connections may use, one port each.
    pub ports: RangeInclusive<u16>,
    /// The addresses announced as host candidates, in order of preference
    /// (loopback first for same-machine browsers, then the LAN or public one).
    pub announced: Vec<IpAddr>,
}

impl Default for MediaConfig {
    fn default() -> Self {
        MediaConfig {
            bind_ip: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            ports: 40000..=40999,
            announced: vec![IpAddr::V4(Ipv4Addr::LOCALHOST)],
        }
    }
}
