//! Who the client is: the socket peer, unless the peer is a trusted proxy (`TRUSTED_PROXIES`),
//! in which case the last address in `X-Forwarded-For` that is not itself a trusted proxy.
//! Anyone can write `X-Forwarded-For`; only the entries added by our own proxies are true. It
//! is recorded for everything after this layer: throttling, logs.

use crate::domain::net::IpNet;
use crate::web::request::ClientAddress;
use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use std::net::IpAddr;

/// Records who the client is (`client_address_of`) for everything after: throttling, logs.
pub async fn client_address(
    State(trusted): State<std::sync::Arc<[crate::domain::net::IpNet]>>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip());
    if let Some(peer) = peer {
        let client = client_address_of(peer, request.headers(), &trusted);
        request.extensions_mut().insert(ClientAddress(client));
    }
    next.run(request).await
}

/// The client's address, from the socket peer and, behind trusted proxies, `X-Forwarded-For`.
pub fn client_address_of(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|entry| entry.trim().parse::<IpAddr>())
        .collect::<Result<_, _>>()
        .unwrap_or_default();
    // From the right: each trusted proxy appended the address it saw.
    forwarded
        .into_iter()
        .rev()
        .find(|ip| !is_trusted(*ip))
        .unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", xff.parse().unwrap());
        headers
    }

    #[test]
    fn forwarded_for_counts_only_behind_a_trusted_proxy() {
        let proxy: IpAddr = "127.0.0.1".parse().unwrap();
        let trusted = [IpNet::parse("127.0.0.1").unwrap()];
        // A forged header straight at Quill: the socket address.
        let stranger: IpAddr = "203.0.113.9".parse().unwrap();
        assert_eq!(
            client_address_of(stranger, &headers("1.2.3.4"), &trusted),
            stranger
        );
        // Through the proxy: the last address the proxy did not add itself.
        let got = client_address_of(proxy, &headers("6.6.6.6, 198.51.100.7"), &trusted);
        assert_eq!(got, "198.51.100.7".parse::<IpAddr>().unwrap());
        let got = client_address_of(proxy, &headers("198.51.100.7, 127.0.0.1"), &trusted);
        assert_eq!(got, "198.51.100.7".parse::<IpAddr>().unwrap());
        // Garbage in the header: the proxy itself.
        assert_eq!(client_address_of(proxy, &headers("junk"), &trusted), proxy);
        // Nobody trusted: the header means nothing.
        assert_eq!(client_address_of(proxy, &headers("1.2.3.4"), &[]), proxy);
    }
}
