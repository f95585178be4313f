"""Who the client is: the socket peer, unless a trusted proxy forwarded the request.

`X-Forwarded-For` is a header any client can send, so it names the client only when the peer
that sent it is one of `VOLTROUTE_TRUSTED_PROXIES`. Then the list is read from the right (each
proxy appends the address it saw) and the first address that is not itself a trusted proxy is
the client; whatever a client wrote further left is never reached. The middleware rewrites the
ASGI scope's `client` (and `scheme` from `X-Forwarded-Proto`) once, so the rate limit, the
audit log and the routes all see the same address.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from starlette.types import ASGIApp, Receive, Scope, Send

from voltroute.api.http_middleware import HttpMiddleware

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

FORWARDED_SCHEMES = frozenset({"http", "https"})


def parse_address(text: str) -> IPAddress | None:
    """An address as a peer or a proxy header writes it (`203.0.113.7`, `203.0.113.7:4711`,
    `2001:db8::1`, `[2001:db8::1]:4711`); None when it is none."""
    entry = text.strip()
    if entry.startswith("["):  # [v6] or [v6]:port
        entry = entry[1:].partition("]")[0]
    elif entry.count(":") == 1:  # v4:port (a bare v6 address holds at least two colons)
        entry = entry.partition(":")[0]
    try:
        return ipaddress.ip_address(entry)
    except ValueError:
        return None


def is_trusted(address: IPAddress | None, proxies: Sequence[IPNetwork]) -> bool:
    """True when address lies in one of the trusted proxy networks."""
    if address is None:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:10.0.0.1 is the IPv4 proxy 10.0.0.1
    return any(address in network for network in proxies)


def client_address(peer: str | None, forwarded_for: str, proxies: Sequence[IPNetwork]) -> str:
    """The client's address: the peer, or, from a trusted peer, the nearest untrusted hop.

    forwarded_for is the `X-Forwarded-For` value (several headers joined with commas). When
    every hop is a trusted proxy, the leftmost one is the client; an entry that is no address
    ends the walk at the last address read (a trusted proxy would not have written it).
    """
    if peer is None:
        return "unknown"
    peer_address = parse_address(peer)
    if not is_trusted(peer_address, proxies) or not forwarded_for.strip():
        return peer
    client = str(peer_address)
    for entry in reversed(forwarded_for.split(",")):
        hop = parse_address(entry)
        if hop is None:
            break
        client = str(hop)
        if not is_trusted(hop, proxies):
            break
    return client


class TrustedProxyMiddleware(HttpMiddleware):
    """Puts the real client into the scope: before anything else reads `client`."""

    def __init__(self, app: ASGIApp, proxies: Sequence[IPNetwork]) -> None:
        super().__init__(app)
        self.proxies = tuple(proxies)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Take client and scheme from a trusted proxy's forwarding headers; pass it on."""
        if self.proxies:
            peer = scope.get("client")
            if peer and is_trusted(parse_address(str(peer[0])), self.proxies):
                headers = _header_values(scope, b"x-forwarded-for")
                if headers:
                    address = client_address(str(peer[0]), ",".join(headers), self.proxies)
                    scope["client"] = (address, 0)  # the client's port is not forwarded
                proto = _header_values(scope, b"x-forwarded-proto")
                scheme = proto[-1].split(",")[-1].strip().lower() if proto else ""
                if scheme in FORWARDED_SCHEMES:
                    scope["scheme"] = scheme
        await self.app(scope, receive, send)


def _header_values(scope: Scope, name: bytes) -> list[str]:
    return [value.decode("latin-1") for key, value in scope["headers"] if key.lower() == name]
