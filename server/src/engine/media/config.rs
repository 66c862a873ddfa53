//! Where the media router listens: the UDP port range its peer connections
//! bind in, the address they bind to, and the addresses it announces to
//! browsers as its ICE candidates. The command line parses its flags into
//! these types ([`PortRange`], [`parse_announced`]); bad input is refused
//! there, with a message, before the server starts.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, UdpSocket};
use std::str::FromStr;

/// A refused media setting.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// Not `FIRST-LAST` with `1 <= FIRST <= LAST <= 65535`.
    #[error("expected a UDP port range FIRST-LAST (1-65535, FIRST <= LAST), got {0:?}")]
    PortRange(String),
    /// One of the listed addresses is not an IP address.
    #[error("expected a comma-separated list of IP addresses, got {0:?}")]
    Address(String),
    /// The address can never be a host candidate (unspecified, multicast…).
    #[error("{0} cannot be announced as an ICE candidate")]
    Unannounceable(IpAddr),
}

/// An inclusive range of UDP ports, never empty and never including 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortRange {
    first: u16,
    last: u16,
}

impl PortRange {
    /// `first..=last`, if that is a non-empty range of real ports.
    pub fn new(first: u16, last: u16) -> Result<Self, ConfigError> {
        if first == 0 || first > last {
            return Err(ConfigError::PortRange(format!("{first}-{last}")));
        }
        Ok(PortRange { first, last })
    }

    /// The lowest port.
    pub fn first(&self) -> u16 {
        self.first
    }

    /// The highest port.
    pub fn last(&self) -> u16 {
        self.last
    }

    /// How many ports it holds.
    pub fn len(&self) -> usize {
        usize::from(self.last - self.first) + 1
    }

    /// Always `false`: a range holds at least one port.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The port `offset` places after `first`, wrapping around.
    pub fn nth_wrapping(&self, offset: usize) -> u16 {
        let index = offset % self.len();
        // `index < len <= 65535`, so both conversions hold.
        self.first + u16::try_from(index).expect("an index inside the range fits in u16")
    }
}

impl FromStr for PortRange {
    type Err = ConfigError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        let bad = || ConfigError::PortRange(value.to_owned());
        let (first, last) = value.trim().split_once('-').ok_or_else(bad)?;
        let first = first.trim().parse::<u16>().map_err(|_| bad())?;
        let last = last.trim().parse::<u16>().map_err(|_| bad())?;
        PortRange::new(first, last).map_err(|_| bad())
    }
}

impl fmt::Display for PortRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.first, self.last)
    }
}

/// The media router's network settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaConfig {
    /// The address UDP sockets bind to (`0.0.0.0`: every interface).
    pub bind_ip: IpAddr,
    /// The UDP ports peer connections may use, one port each.
    pub ports: PortRange,
    /// The addresses announced as host candidates, in order of preference
    /// (loopback first for same-machine browsers, then the LAN or public one).
    pub announced: Vec<IpAddr>,
}

impl Default for MediaConfig {
    fn default() -> Self {
        MediaConfig {
            bind_ip: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            ports: PortRange {
                first: 40000,
                last: 40999,
            },
            announced: vec![IpAddr::V4(Ipv4Addr::LOCALHOST)],
        }
    }
}

/// The parsed `RTC_ANNOUNCED_IPS`: a non-empty list of distinct addresses
/// browsers can reach this server at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnouncedIps(pub Vec<IpAddr>);

impl FromStr for AnnouncedIps {
    type Err = ConfigError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        parse_announced(value).map(AnnouncedIps)
    }
}

/// Parses a comma-separated, non-empty list of addresses a browser can
/// reach this server at (duplicates dropped).
pub fn parse_announced(value: &str) -> Result<Vec<IpAddr>, ConfigError> {
    let mut list = Vec::new();
    for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let ip: IpAddr = part
            .parse()
            .map_err(|_| ConfigError::Address(value.to_owned()))?;
        if ip.is_unspecified() || ip.is_multicast() {
            return Err(ConfigError::Unannounceable(ip));
        }
        if !list.contains(&ip) {
            list.push(ip);
        }
    }
    if list.is_empty() {
        return Err(ConfigError::Address(value.to_owned()));
    }
    Ok(list)
}

/// The default announced addresses: loopback, plus this machine's IPv4
/// address on its default route when it has one (so a browser on another
/// machine of the LAN can connect too).
pub fn default_announced() -> Vec<IpAddr> {
    let mut list = vec![IpAddr::V4(Ipv4Addr::LOCALHOST)];
    if let Some(ip) = default_route_ipv4() {
        list.push(ip);
    }
    list
}

/// The local IPv4 address the kernel would send from to reach the
/// internet. Connecting a UDP socket only picks a route; nothing is sent.
fn default_route_ipv4() -> Option<IpAddr> {
    let socket = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)).ok()?;
    // TEST-NET-1 (RFC 5737): never a real host.
    socket.connect((Ipv4Addr::new(192, 0, 2, 1), 9)).ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_ranges_are_parsed_and_checked() {
        let range: PortRange = "40000-40999".parse().expect("a valid range");
        assert_eq!(
            (range.first(), range.last(), range.len()),
            (40000, 40999, 1000)
        );
        assert_eq!(range.to_string(), "40000-40999");
        assert_eq!(" 5 - 5 ".parse::<PortRange>().map(|r| r.len()), Ok(1));
        for bad in ["", "40000", "0-10", "10-9", "1-65536", "a-b", "1-2-3", "-5"] {
            assert_eq!(
                bad.parse::<PortRange>(),
                Err(ConfigError::PortRange(bad.to_owned())),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_nth_port_wraps_around_the_range() {
        let range = PortRange::new(100, 102).expect("a valid range");
        let ports: Vec<u16> = (0..5).map(|i| range.nth_wrapping(i)).collect();
        assert_eq!(ports, [100, 101, 102, 100, 101]);
        let whole = PortRange::new(1, u16::MAX).expect("every port");
        assert_eq!(whole.nth_wrapping(usize::from(u16::MAX) - 1), u16::MAX);
    }

    #[test]
    fn announced_addresses_are_a_deduplicated_non_empty_list() {
        let list = parse_announced("127.0.0.1, 203.0.113.7,127.0.0.1").expect("valid");
        let expected: Vec<IpAddr> = vec![
            "127.0.0.1".parse().expect("ip"),
            "203.0.113.7".parse().expect("ip"),
        ];
        assert_eq!(list, expected);
        assert!(matches!(
            parse_announced(" , "),
            Err(ConfigError::Address(_))
        ));
        assert!(matches!(
            parse_announced("10.0.0.x"),
            Err(ConfigError::Address(_))
        ));
        assert!(matches!(
            parse_announced("0.0.0.0"),
            Err(ConfigError::Unannounceable(_))
        ));
    }

    #[test]
    fn the_default_announces_loopback_first() {
        let list = default_announced();
        assert_eq!(list[0], IpAddr::V4(Ipv4Addr::LOCALHOST));
        assert!(list[1..].iter().all(|ip| !ip.is_loopback()));
    }
}
