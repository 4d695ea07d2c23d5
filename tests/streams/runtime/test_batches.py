"""event_batches on Faust's in-memory agent test context: batch sizes, the deadline, and when events are acked."""

import asyncio

import faust

from streams.runtime.batches import event_batches


def run_batching(arrivals: list[list[int]], max_size: int, within: float, pause: float) -> list[dict]:
    """Feed each group of `arrivals` at once, `pause` seconds apart; record every batch as the agent saw it."""
    app = faust.App("batches-test", broker="kafka://127.0.0.1:9", store="memory://", web_enabled=False)
    handled: list[dict] = []
    batches: list[list[faust.EventT]] = []

    @app.agent()
    async def batcher(stream):
        async for batch in event_batches(stream, max_size, within):
            batches.append(batch)
            handled.append({"values": [event.value for event in batch],
                            "acked_while_handled": any(event.message.acked for event in batch)})
            yield len(batch)

    async def scenario() -> None:
        async with batcher.test_context() as agent:
            for group in arrivals:
                for value in group:
                    await agent.put(value, wait=False)
                await asyncio.sleep(pause)
        # Every batch but the last is acked when the agent asks for the next one.
        handled.append({"earlier_batches_acked": all(event.message.acked for batch in batches[:-1] for event in batch)})

    asyncio.run(asyncio.wait_for(scenario(), timeout=10))
    return handled


def test_full_batches_then_the_rest_after_the_deadline():
    handled = run_batching([list(range(7))], max_size=3, within=0.2, pause=0.5)
    assert [batch["values"] for batch in handled[:-1]] == [[0, 1, 2], [3, 4, 5], [6]]


def test_an_event_arriving_after_the_deadline_starts_the_next_batch():
    handled = run_batching([[1, 2], [3], [4, 5]], max_size=10, within=0.1, pause=0.4)
    assert [batch["values"] for batch in handled[:-1]] == [[1, 2], [3], [4, 5]]


def test_events_are_acked_only_after_their_batch_is_handled():
    handled = run_batching([[1, 2, 3], [4]], max_size=2, within=0.1, pause=0.4)
    assert not any(batch["acked_while_handled"] for batch in handled[:-1])
    assert handled[-1]["earlier_batches_acked"]
