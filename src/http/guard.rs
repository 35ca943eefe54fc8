//! The private-address guard: which IP addresses a fetch may connect to.
//!
//! Article pages and platform answers are attacker-controlled input, so a URL or a redirect must
//! never make the daemon talk to loopback, the LAN or a cloud metadata endpoint. Literal IP hosts
//! are checked before sending ([`check_literal_host`]); names are checked after resolution by
//! [`GuardedResolver`], which hands reqwest only the addresses it checked, so a DNS answer cannot
//! change between check and connect. This module never decides anything about override targets:
//! those are trusted operator config and the client routes them around the guard.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use ip_network::{Ipv4Network, Ipv6Network};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::{Host, Url};

/// True if the guard refuses to connect to `ip`: anything that is not a global unicast address.
pub fn is_refused(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_refused_v4(v4),
        IpAddr::V6(v6) => is_refused_v6(v6),
    }
}

fn is_refused_v4(ip: Ipv4Addr) -> bool {
    // `is_global` covers 0/8, 10/8, 100.64/10, 127/8, 169.254/16, 172.16/12, 192.0.0/24,
    // 192.168/16, the documentation and benchmark ranges, 240/4 and broadcast; it lets
    // multicast through, which no fetch has any business reaching.
    !Ipv4Network::from(ip).is_global() || ip.is_multicast()
}

fn is_refused_v6(ip: Ipv6Addr) -> bool {
    // Addresses that carry an IPv4 address reach that IPv4 host (mapped: through the local
    // stack; NAT64 and 6to4: through a gateway), so they are judged by the embedded address.
    if let Some(v4) = embedded_v4(ip) {
        return is_refused_v4(v4);
    }
    !Ipv6Network::from(ip).is_global() || ip.is_multicast() || is_special_v6(ip)
}

/// Ranges of IANA's special-purpose registry that are not globally reachable, beyond what
/// `is_global` knows:
/// - 100::/64, discard-only (RFC 6666);
/// - 64:ff9b:1::/48, NAT64 for local use (RFC 8215): a translator inside the network reaches
///   whatever IPv4 address it maps, at a prefix length only that network knows;
/// - 2001::/23, IETF protocol assignments: Teredo (2001::/32, which tunnels to an IPv4 host),
///   ORCHID (2001:10::/28, 2001:20::/28) and the rest, none a web host's;
/// - 3fff::/20, documentation (RFC 9637);
/// - 5f00::/16, segment-routing identifiers (RFC 9602).
fn is_special_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    s[..4] == [0x100, 0, 0, 0]
        || s[..3] == [0x64, 0xff9b, 1]
        || (s[0] == 0x2001 && s[1] < 0x200)
        || (s[0] == 0x3fff && s[1] < 0x1000)
        || s[0] == 0x5f00
}

/// The IPv4 address inside an IPv4-mapped (`::ffff:a.b.c.d`), IPv4-translated
/// (`::ffff:0:a.b.c.d`, RFC 2765), IPv4-compatible (`::a.b.c.d`), NAT64 (`64:ff9b::a.b.c.d`)
/// or 6to4 (`2002:aabb:ccdd::`) address.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return Some(v4);
    }
    let s = ip.segments();
    let low = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    if s[..6] == [0, 0, 0, 0, 0, 0] && !ip.is_unspecified() && !ip.is_loopback() {
        return Some(low);
    }
    if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] || s[..6] == [0, 0, 0, 0, 0xffff, 0] {
        return Some(low);
    }
    if s[0] == 0x2002 {
        return Some(Ipv4Addr::new(
            (s[1] >> 8) as u8,
            s[1] as u8,
            (s[2] >> 8) as u8,
            s[2] as u8,
        ));
    }
    None
}

/// The refused address if `url`'s host is a literal IP the guard refuses. Names are left to
/// the resolver: reqwest does not call a resolver for literal IPs, so they are checked here.
pub fn check_literal_host(url: &Url) -> Option<IpAddr> {
    let ip = match url.host()? {
        Host::Ipv4(v4) => IpAddr::V4(v4),
        Host::Ipv6(v6) => IpAddr::V6(v6),
        Host::Domain(_) => return None,
    };
    is_refused(ip).then_some(ip)
}

/// A DNS answer that held no address the guard accepts. Travels through reqwest's error chain
/// and is turned back into [`super::HttpError::RefusedAddress`].
#[derive(Debug)]
pub struct RefusedResolution {
    host: String,
    addresses: Vec<IpAddr>,
}

impl RefusedResolution {
    /// The refused addresses as one string, for the error message.
    pub fn addresses_text(&self) -> String {
        if self.addresses.is_empty() {
            return format!("{} (no address)", self.host);
        }
        let list: Vec<String> = self.addresses.iter().map(IpAddr::to_string).collect();
        format!("{} ({})", list.join(", "), self.host)
    }
}

impl fmt::Display for RefusedResolution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} resolves only to non-public addresses: {}",
            self.host,
            self.addresses_text()
        )
    }
}

impl std::error::Error for RefusedResolution {}

/// A name the system resolver gave no answer for (no such host, no network). Travels through
/// reqwest's error chain and is turned back into [`super::HttpError::Dns`]: the resolver's own
/// error is a plain `io::Error` whose kind says nothing about DNS.
#[derive(Debug)]
pub struct LookupFailed {
    pub(super) host: String,
    source: std::io::Error,
}

impl LookupFailed {
    /// What the resolver said ("failed to lookup address information: Name or service not
    /// known").
    pub fn reason(&self) -> String {
        self.source.to_string()
    }
}

impl fmt::Display for LookupFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot resolve {}: {}", self.host, self.source)
    }
}

impl std::error::Error for LookupFailed {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Resolves with the system resolver; when guarding, drops every address the guard refuses.
/// Used by every client, guarding or not, so that a failed lookup is always a [`LookupFailed`].
#[derive(Debug, Clone, Copy, Default)]
pub struct GuardedResolver {
    /// Whether to drop non-public addresses (off when the operator allows private addresses,
    /// and for override targets).
    pub guard: bool,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        let guard = self.guard;
        Box::pin(async move {
            // Port 0: reqwest substitutes the URL's port (or the scheme default) afterwards.
            let looked_up: std::io::Result<Vec<SocketAddr>> =
                tokio::net::lookup_host((host.as_str(), 0))
                    .await
                    .map(Iterator::collect);
            let answers = match looked_up {
                Ok(answers) => answers,
                Err(source) => return Err(LookupFailed { host, source }.into()),
            };
            if !guard {
                let addrs: Addrs = Box::new(answers.into_iter());
                return Ok(addrs);
            }
            let (allowed, refused): (Vec<SocketAddr>, Vec<SocketAddr>) =
                answers.into_iter().partition(|addr| !is_refused(addr.ip()));
            if allowed.is_empty() {
                let addresses = refused.iter().map(SocketAddr::ip).collect();
                return Err(RefusedResolution { host, addresses }.into());
            }
            let addrs: Addrs = Box::new(allowed.into_iter());
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_every_non_global_range_and_allows_public_addresses() {
        // (address, refused?, range it stands for)
        let cases: &[(&str, bool, &str)] = &[
            ("0.0.0.0", true, "unspecified v4"),
            ("0.1.2.3", true, "this network 0/8"),
            ("10.0.0.1", true, "private 10/8"),
            ("10.255.255.255", true, "private 10/8 top"),
            ("172.16.0.1", true, "private 172.16/12"),
            ("172.31.255.254", true, "private 172.16/12 top"),
            ("172.32.0.1", false, "just past 172.16/12"),
            ("192.168.1.1", true, "private 192.168/16"),
            ("127.0.0.1", true, "loopback"),
            ("127.255.0.9", true, "loopback /8"),
            ("169.254.169.254", true, "link-local (cloud metadata)"),
            ("100.64.0.1", true, "CGNAT 100.64/10"),
            ("100.127.255.254", true, "CGNAT top"),
            ("100.128.0.1", false, "just past CGNAT"),
            ("192.0.0.8", true, "IETF protocol assignments"),
            ("192.0.2.10", true, "documentation TEST-NET-1"),
            ("198.51.100.7", true, "documentation TEST-NET-2"),
            ("203.0.113.9", true, "documentation TEST-NET-3"),
            ("198.18.0.1", true, "benchmarking 198.18/15"),
            ("198.19.255.1", true, "benchmarking top"),
            ("224.0.0.1", true, "multicast"),
            ("239.255.255.250", true, "multicast SSDP"),
            ("240.0.0.1", true, "reserved 240/4"),
            ("255.255.255.255", true, "broadcast"),
            ("8.8.8.8", false, "public v4"),
            ("93.184.216.34", false, "public v4"),
            ("::", true, "unspecified v6"),
            ("::1", true, "loopback v6"),
            ("fe80::1", true, "link-local v6"),
            ("febf::1", true, "link-local v6 top of fe80::/10"),
            ("fc00::1", true, "unique-local fc00::/7"),
            ("fd12:3456::1", true, "unique-local fd"),
            ("ff02::1", true, "multicast v6 link scope"),
            ("ff0e::1", true, "multicast v6 global scope"),
            ("2001:db8::1", true, "documentation v6"),
            ("100::1", true, "discard-only 100::/64"),
            ("::ffff:127.0.0.1", true, "v4-mapped loopback"),
            ("::ffff:10.1.2.3", true, "v4-mapped private"),
            ("::ffff:169.254.169.254", true, "v4-mapped metadata"),
            ("::ffff:8.8.8.8", false, "v4-mapped public"),
            ("::127.0.0.1", true, "v4-compatible loopback"),
            ("64:ff9b::a9fe:a9fe", true, "NAT64 of 169.254.169.254"),
            ("64:ff9b::808:808", false, "NAT64 of 8.8.8.8"),
            (
                "64:ff9b:1::a9fe:a9fe",
                true,
                "local-use NAT64 64:ff9b:1::/48",
            ),
            ("64:ff9b:1:ffff::1", true, "local-use NAT64, any mapping"),
            (
                "::ffff:0:a9fe:a9fe",
                true,
                "IPv4-translated 169.254.169.254",
            ),
            ("::ffff:0:808:808", false, "IPv4-translated 8.8.8.8"),
            ("2001::a9fe:a9fe", true, "Teredo 2001::/32"),
            (
                "2001:0:4136:e378:8000:63bf:3fff:fdd2",
                true,
                "Teredo address",
            ),
            ("2001:10::1", true, "ORCHID 2001:10::/28"),
            ("2001:20::1", true, "ORCHIDv2 2001:20::/28"),
            ("2001:1ff::1", true, "top of 2001::/23"),
            ("2001:200::1", false, "just past 2001::/23 (WIDE)"),
            ("3fff::1", true, "documentation 3fff::/20"),
            ("3fff:fff::1", true, "top of 3fff::/20"),
            ("5f00::1", true, "SRv6 SIDs 5f00::/16"),
            ("2002:7f00:1::", true, "6to4 of 127.0.0.1"),
            ("2002:808:808::", false, "6to4 of 8.8.8.8"),
            ("2606:4700::1111", false, "public v6"),
            ("2a00:1450:4001::200e", false, "public v6"),
        ];
        for (text, refused, what) in cases {
            let ip: IpAddr = text.parse().unwrap();
            assert_eq!(is_refused(ip), *refused, "{text} ({what})");
        }
    }

    #[test]
    fn literal_hosts_are_checked_and_names_are_left_to_the_resolver() {
        let cases: &[(&str, Option<&str>)] = &[
            ("http://127.0.0.1:8080/x", Some("127.0.0.1")),
            (
                "http://169.254.169.254/latest/meta-data/",
                Some("169.254.169.254"),
            ),
            ("http://[::1]/", Some("::1")),
            ("http://[::ffff:7f00:1]/", Some("::ffff:127.0.0.1")),
            // The URL parser normalises these spellings of 127.0.0.1 to a literal v4 host.
            ("http://2130706433/", Some("127.0.0.1")),
            ("http://0x7f.1/", Some("127.0.0.1")),
            ("https://8.8.8.8/", None),
            ("https://localhost/", None),
            ("https://www.instagram.com/p/X/", None),
        ];
        for (url, expected) in cases {
            let url = Url::parse(url).unwrap();
            let expected = expected.map(|ip| ip.parse::<IpAddr>().unwrap());
            assert_eq!(check_literal_host(&url), expected, "{url}");
        }
    }

    #[tokio::test]
    async fn resolver_refuses_names_that_resolve_only_to_loopback() {
        let name: Name = "localhost".parse().unwrap();
        let err = match (GuardedResolver { guard: true }).resolve(name).await {
            Ok(addrs) => panic!("localhost resolved to {:?}", addrs.collect::<Vec<_>>()),
            Err(err) => err,
        };
        let refused = err
            .downcast_ref::<RefusedResolution>()
            .expect("a RefusedResolution");
        assert_eq!(refused.host, "localhost");
        assert!(refused.addresses.iter().all(|ip| ip.is_loopback()));
        // Not guarding, the same name resolves.
        let name: Name = "localhost".parse().unwrap();
        let addrs = GuardedResolver { guard: false }
            .resolve(name)
            .await
            .expect("localhost resolves");
        assert!(addrs.map(|a| a.ip()).all(|ip| ip.is_loopback()));
    }

    #[tokio::test]
    async fn a_name_that_does_not_resolve_is_a_typed_lookup_failure() {
        // `.invalid` never resolves (RFC 6761); the system resolver answers it locally.
        for guard in [true, false] {
            let name: Name = "nowhere.invalid".parse().unwrap();
            let err = match (GuardedResolver { guard }).resolve(name).await {
                Ok(addrs) => panic!("resolved to {:?}", addrs.collect::<Vec<_>>()),
                Err(err) => err,
            };
            let failed = err.downcast_ref::<LookupFailed>().expect("a LookupFailed");
            assert_eq!(failed.host, "nowhere.invalid");
            assert!(!failed.reason().is_empty());
        }
    }
}
