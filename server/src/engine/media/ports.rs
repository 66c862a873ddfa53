//! The UDP port pool: every peer connection gets its own socket, bound on
//! the next free port of the configured range (a wrap-around cursor, so a
//! port just released is the last to be reused). The operating system is
//! the pool's ledger: a port is taken while its socket is open and free
//! again when the socket is dropped, whoever else shares the range.

use std::io;
use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::config::PortRange;

/// No port could be bound.
#[derive(Debug, thiserror::Error)]
pub enum PortsError {
    /// Every port of the range is in use.
    #[error("every UDP port in {0} is in use")]
    Exhausted(PortRange),
    /// Binding failed for another reason (e.g. the address is not local).
    #[error("binding a UDP port on {ip}: {source}")]
    Bind {
        /// The bind address.
        ip: IpAddr,
        /// Why.
        source: io::Error,
    },
}

/// Hands out UDP sockets bound on ports of one range.
#[derive(Debug)]
pub struct PortPool {
    ip: IpAddr,
    range: PortRange,
    cursor: AtomicUsize,
}

impl PortPool {
    /// A pool binding on `ip`, in `range`.
    pub fn new(ip: IpAddr, range: PortRange) -> Self {
        PortPool {
            ip,
            range,
            cursor: AtomicUsize::new(0),
        }
    }

    /// A non-blocking socket on the next free port; the port is free again
    /// once the socket is dropped.
    pub fn bind(&self) -> Result<UdpSocket, PortsError> {
        for _ in 0..self.range.len() {
            let offset = self.cursor.fetch_add(1, Ordering::Relaxed);
            let port = self.range.nth_wrapping(offset);
            match UdpSocket::bind(SocketAddr::new(self.ip, port)) {
                Ok(socket) => {
                    socket
                        .set_nonblocking(true)
                        .map_err(|source| PortsError::Bind {
                            ip: self.ip,
                            source,
                        })?;
                    return Ok(socket);
                }
                Err(err) if err.kind() == io::ErrorKind::AddrInUse => continue,
                Err(source) => {
                    return Err(PortsError::Bind {
                        ip: self.ip,
                        source,
                    })
                }
            }
        }
        Err(PortsError::Exhausted(self.range))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    /// A range of `len` ports nobody else in this test binary uses.
    fn range(first: u16, len: u16) -> PortRange {
        PortRange::new(first, first + len - 1).expect("a valid range")
    }

    #[test]
    fn sockets_take_distinct_ports_until_the_range_is_exhausted() {
        let ports = range(47_310, 3);
        let pool = PortPool::new(IpAddr::V4(Ipv4Addr::LOCALHOST), ports);
        let sockets: Vec<UdpSocket> = (0..3).map(|_| pool.bind().expect("a free port")).collect();
        let mut bound: Vec<u16> = sockets
            .iter()
            .map(|s| s.local_addr().expect("bound").port())
            .collect();
        bound.sort_unstable();
        assert_eq!(bound, [47_310, 47_311, 47_312]);
        assert!(matches!(pool.bind(), Err(PortsError::Exhausted(r)) if r == ports));
    }

    #[test]
    fn a_dropped_socket_gives_its_port_back() {
        let pool = PortPool::new(IpAddr::V4(Ipv4Addr::LOCALHOST), range(47_320, 2));
        let first = pool.bind().expect("a free port");
        let second = pool.bind().expect("a free port");
        let freed = first.local_addr().expect("bound").port();
        drop(first);
        let again = pool.bind().expect("the freed port");
        assert_eq!(again.local_addr().expect("bound").port(), freed);
        drop(second);
    }

    #[test]
    fn ports_taken_by_others_are_skipped() {
        let squatter = UdpSocket::bind((Ipv4Addr::LOCALHOST, 47_330)).expect("bind");
        let pool = PortPool::new(IpAddr::V4(Ipv4Addr::LOCALHOST), range(47_330, 2));
        let socket = pool.bind().expect("the other port");
        assert_eq!(socket.local_addr().expect("bound").port(), 47_331);
        drop(squatter);
    }

    #[test]
    fn a_foreign_address_is_a_bind_error() {
        // TEST-NET-3: not an address of this machine.
        let pool = PortPool::new("203.0.113.9".parse().expect("ip"), range(47_340, 1));
        assert!(matches!(pool.bind(), Err(PortsError::Bind { .. })));
    }
}
