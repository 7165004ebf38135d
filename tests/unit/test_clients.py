"""Client addresses behind proxies: only configured proxies are believed."""

from __future__ import annotations

import pytest

from domain.clients import client_address, fingerprint, limit_key, parse_networks
from domain.config import settings_from_env
from domain.errors import InvalidInput

PROXIES = parse_networks(("10.0.0.0/8", "2001:db8:ffff::1"))


def test_without_trusted_proxies_forwarded_for_is_ignored() -> None:
    assert client_address("203.0.113.7", ["198.51.100.1"], ()) == "203.0.113.7"


def test_an_untrusted_peer_cannot_claim_another_address() -> None:
    assert client_address("203.0.113.7", ["198.51.100.1"], PROXIES) == "203.0.113.7"


def test_behind_a_trusted_proxy_the_right_most_untrusted_hop_is_the_client() -> None:
    # The client wrote "1.1.1.1"; the proxy appended what it saw, 198.51.100.9.
    header = ["1.1.1.1, 198.51.100.9"]
    assert client_address("10.1.2.3", header, PROXIES) == "198.51.100.9"


def test_chains_of_trusted_proxies_are_walked_across_header_lines() -> None:
    lines = ["6.6.6.6, 198.51.100.9", "10.9.9.9"]
    assert client_address("10.1.2.3", lines, PROXIES) == "198.51.100.9"


def test_ports_brackets_and_ipv6_proxies_are_understood() -> None:
    assert client_address("[2001:db8:ffff::1]:443", ["203.0.113.5:5123"], PROXIES) == (
        "203.0.113.5"
    )
    assert client_address("10.0.0.1", ["[2001:db8::7]:80"], PROXIES) == "2001:db8::7"


def test_a_trusted_peer_without_header_or_with_garbage_is_the_client() -> None:
    assert client_address("10.1.2.3", [], PROXIES) == "10.1.2.3"
    assert client_address("10.1.2.3", ["not-an-ip"], PROXIES) == "10.1.2.3"
    assert client_address("10.1.2.3", ["10.2.2.2"], PROXIES) == "10.2.2.2"
    assert client_address(None, ["198.51.100.9"], PROXIES) == "unknown"


def test_ipv6_clients_share_a_limit_per_64_prefix() -> None:
    assert limit_key("2001:db8:1:2:aaaa::1") == limit_key("2001:db8:1:2:bbbb::9")
    assert limit_key("2001:db8:1:3::1") != limit_key("2001:db8:1:2::1")
    assert limit_key("203.0.113.7") == "203.0.113.7"
    assert limit_key("::ffff:203.0.113.7") == "203.0.113.7"


def test_fingerprints_differ_by_address_and_user_agent() -> None:
    base = fingerprint("203.0.113.7", "app/1")
    assert base == fingerprint("203.0.113.7", "app/1")
    assert base != fingerprint("203.0.113.8", "app/1")
    assert base != fingerprint("203.0.113.7", "app/2")


def test_trusted_proxies_are_read_and_checked_from_the_environment() -> None:
    env = {"JOBMATCH_TRUSTED_PROXIES": "10.0.0.0/8, 192.168.1.1"}
    assert settings_from_env(env).trusted_proxies == ("10.0.0.0/8", "192.168.1.1")
    assert settings_from_env({}).trusted_proxies == ()
    with pytest.raises(InvalidInput):
        settings_from_env({"JOBMATCH_TRUSTED_PROXIES": "10.0.0.0/8,proxy.local"})
