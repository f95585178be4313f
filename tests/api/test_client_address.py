"""Who the client is: X-Forwarded-For counts only from a trusted proxy, read from the right."""

from __future__ import annotations

import asyncio
import ipaddress
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.types import Message, Receive, Scope, Send

from voltroute.api.client_address import (
    IPNetwork,
    TrustedProxyMiddleware,
    client_address,
    parse_address,
)
from voltroute.api.ratelimit import address_key

PROXIES: tuple[IPNetwork, ...] = (
    ipaddress.ip_network("10.0.0.0/8"),
    ipaddress.ip_network("2001:db8:ffff::/48"),
)


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("203.0.113.7", "203.0.113.7"),
        (" 203.0.113.7 ", "203.0.113.7"),
        ("203.0.113.7:4711", "203.0.113.7"),
        ("2001:db8::1", "2001:db8::1"),
        ("[2001:db8::1]:4711", "2001:db8::1"),
        ("[2001:db8::1]", "2001:db8::1"),
    ],
)
def test_addresses_are_read_as_proxies_write_them(text: str, address: str) -> None:
    assert str(parse_address(text)) == address


@pytest.mark.parametrize("text", ["", "unknown", "testclient", "evil.example", "1.2.3", "::g"])
def test_what_is_no_address_is_none(text: str) -> None:
    assert parse_address(text) is None


def test_an_untrusted_peer_is_the_client_whatever_it_forwards() -> None:
    assert client_address("203.0.113.7", "198.51.100.1", PROXIES) == "203.0.113.7"
    assert client_address("127.0.0.1", "198.51.100.1", ()) == "127.0.0.1"


def test_a_trusted_proxy_names_the_client_it_saw() -> None:
    assert client_address("10.0.0.2", "198.51.100.1", PROXIES) == "198.51.100.1"


def test_what_the_client_wrote_left_of_the_proxies_is_never_believed() -> None:
    # The client sent "X-Forwarded-For: 192.0.2.66"; the proxy appended the address it saw.
    assert client_address("10.0.0.2", "192.0.2.66, 198.51.100.1", PROXIES) == "198.51.100.1"


def test_a_chain_of_trusted_proxies_is_walked_to_the_first_untrusted_hop() -> None:
    chain = "192.0.2.66, 198.51.100.1, 10.1.1.1, 2001:db8:ffff::5"
    assert client_address("10.0.0.2", chain, PROXIES) == "198.51.100.1"


def test_when_every_hop_is_a_proxy_the_leftmost_is_the_client() -> None:
    assert client_address("10.0.0.2", "10.9.9.9, 10.1.1.1", PROXIES) == "10.9.9.9"


def test_garbage_ends_the_walk_at_the_last_address_read() -> None:
    assert client_address("10.0.0.2", "not-an-address, 10.1.1.1", PROXIES) == "10.1.1.1"
    assert client_address("10.0.0.2", "junk", PROXIES) == "10.0.0.2"


def test_an_ipv4_mapped_peer_is_its_ipv4_proxy() -> None:
    assert client_address("::ffff:10.0.0.2", "198.51.100.1", PROXIES) == "198.51.100.1"


def test_an_ipv6_client_is_counted_per_64_network() -> None:
    assert address_key("2001:db8:1:2::1") == address_key("2001:db8:1:2:ffff::9")
    assert address_key("2001:db8:1:2::1") != address_key("2001:db8:1:3::1")
    assert address_key("::ffff:203.0.113.7") == address_key("203.0.113.7")
    assert address_key("testclient") == "address:testclient"


hops = st.ip_addresses(v=4).map(str)


@settings(max_examples=200, derandomize=True, deadline=None)
@given(
    spoofed=st.lists(st.one_of(hops, st.text(max_size=20)), max_size=5),
    client=hops.filter(lambda text: ipaddress.ip_address(text) not in PROXIES[0]),
)
def test_nothing_a_client_writes_changes_the_address_the_proxy_saw(
    spoofed: list[str], client: str
) -> None:
    forwarded = ", ".join([*(entry.replace(",", "") for entry in spoofed), client])
    assert client_address("10.0.0.2", forwarded, PROXIES) == client


def scope_seen_by_app(peer: str, headers: dict[str, str]) -> dict[str, Any]:
    """The ASGI scope the app behind TrustedProxyMiddleware gets for one request."""
    seen: dict[str, Any] = {}

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.update(scope)

    async def nothing() -> Message:
        return {"type": "http.disconnect"}

    async def ignore(message: Message) -> None:
        return None

    scope: Scope = {
        "type": "http",
        "scheme": "http",
        "client": (peer, 4711),
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    }
    asyncio.run(TrustedProxyMiddleware(app, PROXIES)(scope, nothing, ignore))
    return seen


def test_the_middleware_rewrites_client_and_scheme_from_a_trusted_proxy_only() -> None:
    forwarded = {"X-Forwarded-For": "192.0.2.66, 198.51.100.1", "X-Forwarded-Proto": "https"}
    trusted = scope_seen_by_app("10.0.0.2", forwarded)
    assert (trusted["client"], trusted["scheme"]) == (("198.51.100.1", 0), "https")
    untrusted = scope_seen_by_app("203.0.113.7", forwarded)
    assert (untrusted["client"], untrusted["scheme"]) == (("203.0.113.7", 4711), "http")
    odd_scheme = scope_seen_by_app("10.0.0.2", {"X-Forwarded-Proto": "gopher"})
    assert (odd_scheme["client"], odd_scheme["scheme"]) == (("10.0.0.2", 4711), "http")
