//! A peer connection's UDP socket and the addresses it is announced at.
//! ICE-lite accepts a STUN request only when its destination is one of the
//! host candidates; the socket is bound to `0.0.0.0`, so [`destination`]
//! infers the address a datagram was sent to from where it came from.

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use str0m::{Candidate, Rtc};
use tokio::net::UdpSocket;

/// A peer connection's socket and the addresses it is announced at.
#[derive(Debug)]
pub struct Link {
    /// The socket, bound on a port of the pool.
    pub socket: UdpSocket,
    port: u16,
    announced: Arc<[IpAddr]>,
}

impl Link {
    /// Wraps a bound, non-blocking socket (must run inside the runtime).
    pub fn new(socket: std::net::UdpSocket, announced: Arc<[IpAddr]>) -> io::Result<Self> {
        let port = socket.local_addr()?.port();
        let socket = UdpSocket::from_std(socket)?;
        Ok(Link {
            socket,
            port,
            announced,
        })
    }

    /// Adds a host candidate per announced address to `rtc`.
    pub fn add_candidates(&self, rtc: &mut Rtc) {
        for ip in self.announced.iter() {
            match Candidate::host(SocketAddr::new(*ip, self.port), "udp") {
                Ok(candidate) => {
                    rtc.add_local_candidate(candidate);
                }
                Err(err) => tracing::warn!(%ip, %err, "an announced address was refused"),
            }
        }
    }

    /// The announced address a datagram from `source` was sent to.
    pub fn destination(&self, source: SocketAddr) -> SocketAddr {
        destination(&self.announced, self.port, source)
    }
}

/// The address (one of `announced`, on `port`) a datagram from `source`
/// was sent to: the source's own address when it is announced (a browser
/// on this machine), loopback for loopback, else the first announced
/// address of the source's family that is not loopback.
pub fn destination(announced: &[IpAddr], port: u16, source: SocketAddr) -> SocketAddr {
    let ip = source.ip();
    let same_family = |a: &&IpAddr| a.is_ipv4() == ip.is_ipv4();
    let chosen = announced
        .iter()
        .find(|a| **a == ip)
        .or_else(|| {
            announced
                .iter()
                .filter(same_family)
                .find(|a| a.is_loopback() == ip.is_loopback())
        })
        .or_else(|| announced.iter().find(same_family))
        .copied()
        .unwrap_or(match ip {
            IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::LOCALHOST),
        });
    SocketAddr::new(chosen, port)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an IP address")
    }

    fn from(text: &str) -> SocketAddr {
        SocketAddr::new(ip(text), 50_000)
    }

    #[test]
    fn the_destination_is_the_announced_address_the_browser_used() {
        let announced = [ip("127.0.0.1"), ip("192.168.1.5"), ip("203.0.113.7")];
        let port = 40_001;
        let to = |source| destination(&announced, port, from(source)).ip();
        assert_eq!(to("127.0.0.1"), ip("127.0.0.1"), "same machine, loopback");
        assert_eq!(
            to("192.168.1.5"),
            ip("192.168.1.5"),
            "same machine, LAN address"
        );
        assert_eq!(to("192.168.1.20"), ip("192.168.1.5"), "another machine");
        assert_eq!(to("203.0.113.7"), ip("203.0.113.7"));
        assert_eq!(destination(&announced, port, from("10.0.0.3")).port(), port);
    }

    #[test]
    fn without_a_better_match_the_first_address_of_the_family_is_used() {
        let only_public = [ip("203.0.113.7")];
        assert_eq!(
            destination(&only_public, 9, from("127.0.0.1")).ip(),
            ip("203.0.113.7")
        );
        let only_loopback = [ip("127.0.0.1")];
        assert_eq!(
            destination(&only_loopback, 9, from("10.1.1.1")).ip(),
            ip("127.0.0.1")
        );
        assert_eq!(destination(&only_loopback, 9, from("::1")).ip(), ip("::1"));
        let mixed = [ip("::1"), ip("127.0.0.1")];
        assert_eq!(
            destination(&mixed, 9, from("127.0.0.2")).ip(),
            ip("127.0.0.1")
        );
    }
}
