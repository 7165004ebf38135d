"""Who is calling: the client address behind trusted proxies, rate-limit keys, fingerprints."""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Iterable, Sequence
from functools import lru_cache

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
UNKNOWN = "unknown"


@lru_cache(maxsize=32)
def parse_networks(values: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(v, strict=False) for v in values)


def _address(value: str) -> Address | None:
    text = value.strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 203.0.113.7:51000
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: Address, networks: Sequence[Network]) -> bool:
    return any(address in network for network in networks)


def client_address(
    peer: str | None, forwarded_for: Iterable[str], trusted: Sequence[Network]
) -> str:
    """The peer, unless the peer is a trusted proxy: then the right-most untrusted hop of
    X-Forwarded-For (every header line, in order). Entries left of it are whatever the client
    wrote and are never believed; an unreadable hop ends the walk at the last trusted one."""
    if peer is None:
        return UNKNOWN
    current = _address(peer)
    if current is None:
        return peer
    if not trusted or not _trusted(current, trusted):
        return str(current)
    hops = [hop for line in forwarded_for for hop in line.split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return str(current)
        current = address
        if not _trusted(current, trusted):
            return str(current)
    return str(current)


def limit_key(address: str) -> str:
    """IPv6 clients are limited per /64: one host usually holds the whole prefix."""
    parsed = _address(address)
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed) if parsed is not None else address


def fingerprint(address: str, user_agent: str | None) -> str:
    """A stable digest of where a request came from, to recognise the same client again."""
    raw = f"{address}\n{user_agent or ''}".encode("utf-8", "surrogatepass")
    return hashlib.sha256(raw).hexdigest()
