"""SSRF guard: feed and article URLs come from strangers, so none may reach a private address unless allowed.

Checked twice: the URL (literal IP hosts never reach a resolver in aiohttp) and every DNS answer, through
a resolver that aiohttp uses for each connection, including those made after a redirect.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver

from streams.ingest.urls import normalise_host

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class BlockedAddress(OSError):
    """A URL points at an address feeds may not reach; the message says which and how to allow it."""


def _describe(address: IpAddress) -> str:
    for label in ("loopback", "link_local", "private", "multicast", "reserved", "unspecified"):
        if getattr(address, f"is_{label}"):
            return label.replace("_", "-")
    return "non-public"


class AddressPolicy:
    """Public addresses only, except hosts and networks listed in feeds.allowed_private_hosts."""

    def __init__(self, allowed: list[str] | tuple[str, ...] = ()):
        self.allowed_networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        self.allowed_hosts: set[str] = set()
        for entry in allowed:
            try:
                self.allowed_networks.append(ipaddress.ip_network(entry.strip(), strict=False))
            except ValueError:
                self.allowed_hosts.add(normalise_host(entry))

    def permits(self, host: str, address: str) -> bool:
        if normalise_host(host) in self.allowed_hosts:
            return True
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        mapped = getattr(ip, "ipv4_mapped", None)
        ip = mapped or ip
        if any(ip in network for network in self.allowed_networks):
            return True
        return ip.is_global and not ip.is_multicast

    def check_address(self, host: str, address: str) -> None:
        if not self.permits(host, address):
            ip = ipaddress.ip_address(address.split("%", 1)[0])
            raise BlockedAddress(
                f"refused {host}: it resolves to {address}, a {_describe(ip)} address feeds may not reach "
                f"(add it to feeds.allowed_private_hosts if this is intended)"
            )

    def check_url(self, url: str) -> None:
        """Refuse non-http(s) URLs and literal IP hosts outside the policy (hostnames are checked on resolution)."""
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise BlockedAddress(f"refused {url!r}: only http and https URLs with a host can be fetched")
        host = parts.hostname
        try:
            ipaddress.ip_address(host.split("%", 1)[0])
        except ValueError:
            return
        self.check_address(host, host)


class GuardedResolver(AbstractResolver):
    """Resolves with aiohttp's default resolver, then refuses the host if any answer is outside the policy
    (one bad answer is enough: mixing public and private answers is a DNS-rebinding trick)."""

    def __init__(self, policy: AddressPolicy, resolver: AbstractResolver | None = None):
        self.policy = policy
        self._resolver = resolver or DefaultResolver()

    async def resolve(self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        answers = await self._resolver.resolve(host, port, family)
        for answer in answers:
            self.policy.check_address(host, answer["host"])
        return answers

    async def close(self) -> None:
        await self._resolver.close()
