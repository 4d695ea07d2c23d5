import asyncio

from streams.runtime.keyed_locks import KeyedLocks


def test_one_key_at_a_time_other_keys_meanwhile_and_no_lock_left_behind():
    locks = KeyedLocks()
    order: list[str] = []

    async def hold(key: str, name: str, pause: float) -> None:
        async with locks.holding(key):
            order.append(f"{name} in")
            await asyncio.sleep(pause)
            order.append(f"{name} out")

    async def run() -> None:
        await asyncio.wait_for(asyncio.gather(hold("a", "first", 0.05), hold("a", "second", 0), hold("b", "other", 0.01)),
                               timeout=5)

    asyncio.run(run())
    assert order.index("first out") < order.index("second in")
    assert order.index("other in") < order.index("first out")
    assert len(locks) == 0
