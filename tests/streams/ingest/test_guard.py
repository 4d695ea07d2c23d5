import socket

import pytest

from streams.ingest.guard import AddressPolicy, BlockedAddress, GuardedResolver


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
     "::1", "fe80::1", "fd00:ec2::254", "::ffff:127.0.0.1", "224.0.0.1"],
)
def test_non_public_addresses_are_refused(address):
    policy = AddressPolicy()
    assert not policy.permits("feeds.example.com", address)
    with pytest.raises(BlockedAddress, match="feeds.allowed_private_hosts"):
        policy.check_address("feeds.example.com", address)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"])
def test_public_addresses_are_allowed(address):
    assert AddressPolicy().permits("example.com", address)


def test_allowed_networks_and_hosts():
    policy = AddressPolicy(["127.0.0.1", "10.0.0.0/8", "Intranet.Local"])
    assert policy.permits("localhost", "127.0.0.1")
    assert not policy.permits("localhost", "127.0.0.2")
    assert policy.permits("wiki", "10.20.30.40")
    assert policy.permits("intranet.local", "192.168.5.5")
    assert not policy.permits("other.local", "192.168.5.5")


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8080/feed", "http://[::1]/feed", "http://169.254.169.254/latest/meta-data/", "file:///etc/passwd",
     "gopher://example.com/"],
)
def test_check_url_refuses_literal_private_addresses_and_other_schemes(url):
    with pytest.raises(BlockedAddress):
        AddressPolicy().check_url(url)


def test_check_url_leaves_hostnames_to_the_resolver():
    AddressPolicy().check_url("https://localhost/feed")


class FixedResolver:
    def __init__(self, *addresses):
        self.addresses = addresses

    async def resolve(self, host, port=0, family=socket.AF_INET):
        return [{"hostname": host, "host": address, "port": port, "family": family, "proto": 0, "flags": 0}
                for address in self.addresses]

    async def close(self):
        pass


async def test_resolver_refuses_a_host_with_any_private_answer():
    resolver = GuardedResolver(AddressPolicy(), FixedResolver("93.184.216.34", "10.0.0.5"))
    with pytest.raises(BlockedAddress, match="10.0.0.5"):
        await resolver.resolve("rebind.example.com", 443)


async def test_resolver_passes_public_answers_through():
    resolver = GuardedResolver(AddressPolicy(), FixedResolver("93.184.216.34"))
    answers = await resolver.resolve("example.com", 443)
    assert [answer["host"] for answer in answers] == ["93.184.216.34"]


async def test_resolver_blocks_names_of_loopback_for_real():
    resolver = GuardedResolver(AddressPolicy())
    with pytest.raises(BlockedAddress):
        await resolver.resolve("localhost", 80)
    await resolver.close()
