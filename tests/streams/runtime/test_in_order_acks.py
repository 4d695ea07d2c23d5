import asyncio
from types import SimpleNamespace

from streams.runtime.in_order_acks import InOrderAcks


def event(offset: int, partition: int = 0):
    return SimpleNamespace(message=SimpleNamespace(topic="alerts", partition=partition, offset=offset))


class Acks(list):
    async def __call__(self, acked) -> None:
        self.append((acked.message.partition, acked.message.offset))


async def test_records_are_acknowledged_in_offset_order_whatever_order_their_work_ends_in():
    acks = Acks()
    in_order = InOrderAcks(acks, limit=10)
    gates = {offset: asyncio.Event() for offset in range(4)}
    events = [event(offset) for offset in range(4)] + [event(0, partition=1)]
    for e in events[:4]:
        await in_order.start(e, gates[e.message.offset].wait())
    await in_order.start(events[4], asyncio.sleep(0))
    for offset in (3, 1, 2):
        gates[offset].set()
    await asyncio.sleep(0.01)
    assert acks == [(1, 0)], "offset 0 of partition 0 is still under way: nothing behind it is acknowledged"
    gates[0].set()
    await asyncio.sleep(0.01)
    assert acks == [(1, 0), (0, 0), (0, 1), (0, 2), (0, 3)]


async def test_a_skipped_record_waits_for_its_turn_and_failed_work_does_not_block_the_partition(caplog):
    acks = Acks()
    in_order = InOrderAcks(acks, limit=10)
    gate = asyncio.Event()

    async def broken():
        raise RuntimeError("a bug")

    await in_order.start(event(0), gate.wait())
    await in_order.skip(event(1))
    await in_order.start(event(2), broken())
    await asyncio.sleep(0.01)
    assert acks == []
    gate.set()
    await asyncio.sleep(0.01)
    assert acks == [(0, 0), (0, 1), (0, 2)]
    assert "work on alerts[0]@2 failed" in caplog.text


async def test_no_more_than_the_limit_is_under_way():
    in_order = InOrderAcks(Acks(), limit=2)
    gate = asyncio.Event()
    await in_order.start(event(0), gate.wait())
    await in_order.start(event(1), gate.wait())
    third = asyncio.ensure_future(in_order.start(event(2), asyncio.sleep(0)))
    await asyncio.sleep(0.01)
    assert not third.done()
    gate.set()
    await asyncio.wait_for(third, timeout=1)


async def test_after_a_partition_is_read_again_the_earlier_reading_acknowledges_nothing():
    acks = Acks()
    in_order = InOrderAcks(acks, limit=10)
    old_gate, new_gate = asyncio.Event(), asyncio.Event()
    await in_order.start(event(5), old_gate.wait())
    again = event(5)
    await in_order.start(again, new_gate.wait())
    old_gate.set()
    await asyncio.sleep(0.01)
    assert acks == []
    new_gate.set()
    await asyncio.sleep(0.01)
    assert acks == [(0, 5)]
