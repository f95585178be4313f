"""Where a webhook may go: public addresses, and the receivers an operator allow-lists.

A callback URL is chosen by the client, so without this check the worker would POST wherever a
client points it: the loopback interface, the cloud metadata service (169.254.169.254), the
private network behind the firewall. Refused are unspecified, loopback, link-local, multicast,
private, reserved and otherwise not globally routable addresses, in every notation a resolver
accepts: dotted, a decimal integer (`2130706433`), hex or octal parts (`0x7f.0.0.1`,
`0177.0.0.1`), shortened (`127.1`), IPv6 including IPv4-mapped, NAT64 and 6to4 forms that
carry an IPv4 address.

Two moments check a target. At submission (`host_problem`) a literal address or a loopback name
is refused without resolving anything (the API does no DNS on a request). At delivery
(`pin_target`) the host is resolved, every address it resolves to is checked, and the POST goes
to the checked address (the URL's host in the Host header and TLS name), so a name that resolves
differently a second time (DNS rebinding) cannot lead the request elsewhere. Redirects are not
followed by the sender, so nothing else leads it elsewhere either.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[..., list[tuple[Any, ...]]]

ALLOW_SETTING = "VOLTROUTE_WEBHOOK_ALLOWED_HOSTS"
_NUMERIC_PART = re.compile(r"^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$")
_NAT64_NETWORKS = (
    ipaddress.IPv6Network("64:ff9b::/96"),  # RFC 6052 well-known prefix
    ipaddress.IPv6Network("64:ff9b:1::/48"),  # RFC 8215 local-use prefix
)
_LOOPBACK_NAMES = ("localhost",)  # RFC 6761: localhost and every name below it
_PUBLIC_ONLY = (
    "webhooks go to public addresses only (an operator may allow an on-premise receiver "
    f"with {ALLOW_SETTING})"
)


class RefusedTargetError(ValueError):
    """The callback target is not a public address and not allow-listed: never retried."""


class UnresolvableTargetError(OSError):
    """The callback host does not resolve now (DNS down, no such name): retried later."""


@dataclass(frozen=True, slots=True)
class AllowList:
    """Receivers allowed although not public: host names, addresses, networks."""

    names: frozenset[str] = frozenset()
    networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def parse(cls, entries: Iterable[str]) -> AllowList:
        """From the setting's entries (a name, an address or a CIDR network each)."""
        names: set[str] = set()
        networks: list[IPNetwork] = []
        for entry in entries:
            try:
                networks.append(ipaddress.ip_network(entry.strip(), strict=False))
            except ValueError:
                names.add(_normal_name(entry))
        return cls(frozenset(names), tuple(networks))

    def allows_name(self, host: str) -> bool:
        """True when host is allow-listed by name."""
        return _normal_name(host) in self.names

    def allows_address(self, address: IPAddress) -> bool:
        """True when address (or the IPv4 address it carries) lies in an allowed network."""
        candidates = {address, _embedded_ipv4(address) or address}
        return any(a.version == n.version and a in n for a in candidates for n in self.networks)


def literal_address(host: str) -> IPAddress | None:
    """host as an address when it is one in any notation a resolver accepts, else None.

    ValueError when host looks numeric (digits, dots, hex) but is no valid address: a resolver
    might still read it as one, so it cannot pass as a name.
    """
    text = host.strip("[]")
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        pass
    parts = text[:-1].split(".") if text.endswith(".") else text.split(".")
    if not 1 <= len(parts) <= 4 or not all(_NUMERIC_PART.match(part) for part in parts):
        return None
    values = [_numeric_part(part) for part in parts]
    *leading, last = values
    # inet_aton: the leading parts are single bytes, the last part fills the remaining bytes.
    if any(value > 255 for value in leading) or last >= 256 ** (5 - len(values)):
        raise ValueError(f"{host!r} is not a valid IPv4 address")
    number = sum(value << (8 * (3 - index)) for index, value in enumerate(leading)) + last
    return ipaddress.IPv4Address(number)


def address_problem(address: IPAddress) -> str | None:
    """What kind of non-public address this is ("a loopback address"), or None when public."""
    inner = _embedded_ipv4(address)
    if inner is not None:
        problem = address_problem(inner)
        return f"{problem} ({inner}, carried in IPv6)" if problem else None
    checks = (
        (address.is_unspecified, "the unspecified address"),
        (address.is_loopback, "a loopback address"),
        (address.is_link_local, "a link-local address"),
        (address.is_multicast, "a multicast address"),
        (address.is_reserved, "a reserved address"),
        (address.is_private, "a private address"),
        (not address.is_global, "not a globally routable address"),
    )
    return next((kind for refused, kind in checks if refused), None)


def host_problem(host: str, allowed: AllowList) -> str | None:
    """Why a callback to host is refused at submission (without resolving it), or None."""
    if allowed.allows_name(host):
        return None
    name = _normal_name(host)
    if any(name == loop or name.endswith(f".{loop}") for loop in _LOOPBACK_NAMES):
        return f"callback host {host} is a loopback name; {_PUBLIC_ONLY}"
    try:
        address = literal_address(host)
    except ValueError as error:
        return f"callback host: {error}"
    if address is None or allowed.allows_address(address):
        return None
    problem = address_problem(address)
    return f"callback host {host} is {problem}; {_PUBLIC_ONLY}" if problem else None


def callback_target_problem(url: str, allowed: AllowList) -> str | None:
    """host_problem for the host of a callback URL (as the sender's HTTP client reads it)."""
    try:
        host = httpx.URL(url).host
    except httpx.InvalidURL as error:
        return f"not a valid URL: {error}"
    return host_problem(host, allowed)


@dataclass(frozen=True, slots=True)
class PinnedTarget:
    """A callback URL with its host replaced by the checked address it resolved to."""

    url: httpx.URL
    host_header: str  # the original host[:port]
    tls_name: str | None  # the original host, for SNI and certificate checks (https)


def pin_target(
    url: str, allowed: AllowList, resolve: Resolver = socket.getaddrinfo
) -> PinnedTarget:
    """Resolve the URL's host and check every address; RefusedTargetError when one is not allowed,
    UnresolvableTargetError when the host does not resolve."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as error:
        raise RefusedTargetError(f"not a valid URL: {error}") from None
    host = parsed.host
    by_name = allowed.allows_name(host)
    try:
        literal = literal_address(host)
    except ValueError as error:
        raise RefusedTargetError(f"callback host: {error}") from None
    if literal is not None:
        addresses = [literal]
    else:
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        try:
            infos = resolve(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as error:
            raise UnresolvableTargetError(
                f"callback host {host} does not resolve: {error}"
            ) from None
        addresses = list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in infos))
        if not addresses:
            raise UnresolvableTargetError(f"callback host {host} resolves to no address")
    if not by_name:
        for address in addresses:
            problem = None if allowed.allows_address(address) else address_problem(address)
            if problem:
                via = "" if literal is not None else f" resolves to {address}, which"
                raise RefusedTargetError(f"callback host {host}{via} is {problem}; {_PUBLIC_ONLY}")
    if literal is not None:
        return PinnedTarget(parsed, parsed.netloc.decode("ascii"), None)
    return PinnedTarget(
        parsed.copy_with(host=str(addresses[0])),
        parsed.netloc.decode("ascii"),
        host if parsed.scheme == "https" else None,
    )


def _normal_name(host: str) -> str:
    return host.strip().strip("[]").lower().rstrip(".")


def _numeric_part(part: str) -> int:
    if part[:2].lower() == "0x":
        return int(part, 16)
    if len(part) > 1 and part.startswith("0"):
        return int(part, 8)
    return int(part)


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, NAT64, 6to4), else None."""
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if any(address in network for network in _NAT64_NETWORKS):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address.sixtofour
