"""Callback targets: every notation of a non-public address is recognised; allow-lists open it."""

from __future__ import annotations

import ipaddress

import pytest

from voltroute.webhooks.targets import (
    AllowList,
    RefusedTargetError,
    UnresolvableTargetError,
    address_problem,
    callback_target_problem,
    host_problem,
    literal_address,
    pin_target,
)

NOBODY = AllowList()


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),  # one decimal integer
        ("0x7f000001", "127.0.0.1"),  # one hex integer
        ("0x7f.0.0.1", "127.0.0.1"),  # hex part
        ("0177.0.0.1", "127.0.0.1"),  # octal part
        ("127.1", "127.0.0.1"),  # the last part fills the remaining bytes
        ("127.0.1", "127.0.0.1"),
        ("169.254.43518", "169.254.169.254"),
        ("0", "0.0.0.0"),
        ("127.0.0.1.", "127.0.0.1"),  # a trailing dot, as resolvers accept
        ("[::1]", "::1"),
        ("::ffff:127.0.0.1", "::ffff:7f00:1"),
    ],
)
def test_every_notation_a_resolver_accepts_is_read_as_the_address(host: str, address: str) -> None:
    assert literal_address(host) == ipaddress.ip_address(address)


@pytest.mark.parametrize("host", ["hooks.example.com", "0x.example", "1.2.3.4.5", "127.0.0.one"])
def test_names_are_not_addresses(host: str) -> None:
    assert literal_address(host) is None


@pytest.mark.parametrize("host", ["256.0.0.1", "4294967296", "1.2.65536", "0x100.0.0.1"])
def test_a_numeric_host_that_is_no_valid_address_is_refused_rather_than_taken_for_a_name(
    host: str,
) -> None:
    with pytest.raises(ValueError, match="not a valid IPv4 address"):
        literal_address(host)
    assert host_problem(host, NOBODY) is not None


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("127.0.0.53", "loopback"),
        ("::1", "loopback"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.251", "multicast"),
        ("ff02::1", "multicast"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fc00::1", "private"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("100.64.0.1", "not a globally routable"),
        ("192.0.2.1", "private"),  # documentation range
        ("::ffff:10.0.0.1", "private address (10.0.0.1, carried in IPv6)"),
        ("64:ff9b::7f00:1", "loopback address (127.0.0.1, carried in IPv6)"),  # NAT64
        ("2002:a9fe:a9fe::1", "link-local address (169.254.169.254, carried in IPv6)"),  # 6to4
    ],
)
def test_non_public_addresses_are_named_by_kind(address: str, kind: str) -> None:
    problem = address_problem(ipaddress.ip_address(address))
    assert problem is not None
    assert kind in problem


@pytest.mark.parametrize("address", ["8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_have_no_problem(address: str) -> None:
    assert address_problem(ipaddress.ip_address(address)) is None


def test_an_allow_list_opens_names_addresses_and_networks_and_nothing_else() -> None:
    allowed = AllowList.parse(["hooks.internal", "127.0.0.1", "10.0.0.0/8", "fd00::/8"])
    assert host_problem("HOOKS.internal.", allowed) is None
    assert host_problem("127.0.0.1", allowed) is None
    assert host_problem("2130706433", allowed) is None  # the same address, spelled otherwise
    assert host_problem("::ffff:10.9.8.7", allowed) is None  # IPv4-mapped form of an allowed one
    assert host_problem("fd12::1", allowed) is None
    assert host_problem("127.0.0.2", allowed) is not None
    assert host_problem("192.168.0.1", allowed) is not None
    assert host_problem("other.internal", allowed) is None  # a name: checked at delivery


def test_loopback_names_are_refused_without_resolving() -> None:
    for host in ("localhost", "LOCALHOST.", "api.localhost"):
        problem = host_problem(host, NOBODY)
        assert problem is not None
        assert "loopback name" in problem
    assert host_problem("localhost", AllowList.parse(["localhost"])) is None


def test_a_url_the_http_client_cannot_read_is_a_problem() -> None:
    problem = callback_target_problem("http://999.0.0.1/hook", NOBODY)
    assert problem is not None
    assert "not a valid URL" in problem


def test_at_delivery_a_name_resolving_to_loopback_is_refused_after_resolution() -> None:
    with pytest.raises(RefusedTargetError, match=r"localhost resolves to .*loopback"):
        pin_target("http://localhost:8080/hook", NOBODY)


def test_at_delivery_an_allowed_target_is_pinned_to_the_checked_address() -> None:
    pinned = pin_target("http://localhost:8080/hook?x=1", AllowList.parse(["127.0.0.1", "::1"]))
    assert pinned.url.host in ("127.0.0.1", "::1")
    assert (pinned.url.port, pinned.url.path, pinned.url.query) == (8080, "/hook", b"x=1")
    assert pinned.host_header == "localhost:8080"
    assert pinned.tls_name is None


def test_an_https_target_keeps_its_name_for_tls() -> None:
    pinned = pin_target("https://localhost/hook", AllowList.parse(["localhost"]))
    assert pinned.host_header == "localhost"
    assert pinned.tls_name == "localhost"


def test_a_literal_target_is_checked_without_resolving() -> None:
    with pytest.raises(RefusedTargetError, match=r"169\.254\.169\.254 is a link-local address"):
        pin_target("http://169.254.169.254/latest/meta-data/", NOBODY)


def test_a_name_that_does_not_resolve_is_a_retryable_failure() -> None:
    with pytest.raises(UnresolvableTargetError, match="does not resolve"):
        pin_target("https://no-such-host.invalid/hook", NOBODY)  # RFC 6761: never resolves
