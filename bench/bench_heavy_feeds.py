"""How long a small feed waits for the parser process behind heavy ill-formed feeds, with and without the
per-document time limit (FEEDS__PARSE_TIME_LIMIT_SECONDS); prints JSON.

The heavy feeds are RSS that lxml refuses (a bare "&"), so feedparser's slow tolerant reader takes them,
just under the 10 MiB body limit. All documents are handed to one Preparer (the ingester's parser process)
at once, the small one last, as when they arrive together in a poll cycle.

Run from the repository root: python bench/bench_heavy_feeds.py [--heavy 4] [--mib 9.6] [--items 900] [--limit 10]
(more items in the same size make feedparser slower: 6,000 take it to 5-7 s here)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from streams.ingest.parse import FeedRejected  # noqa: E402
from streams.ingest.prepare import Preparer, process_pool  # noqa: E402
from streams.ingest.store import IngestStore  # noqa: E402

ITEM = ("<item><title>Markets & weather {n}</title><link>https://heavy.example/story/{n}</link><description>"
        + "Prices rose on the exchange as traders waited for the figures. " * 25 + "</description></item>")


def ill_formed_feed(mib: float, items: int) -> bytes:
    """`items` items whose descriptions grow until the document is `mib` MiB (under FEEDS__MAX_ITEMS)."""
    filler = "x" * max(0, int(mib * 1024 * 1024 / items) - len(ITEM))
    entries = "".join(ITEM.format(n=n).replace("</description>", filler + "</description>") for n in range(items))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Heavy</title>{entries}</channel></rss>'.encode()


def small_feed() -> bytes:
    entries = "".join(f"<item><title>Story {n}</title><link>https://small.example/{n}</link><description>Text {n}.</description></item>"
                      for n in range(20))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Small</title>{entries}</channel></rss>'.encode()


async def run(heavy: int, mib: float, items: int, limit: float | None, store: Path) -> dict:
    preparer = Preparer(lambda: process_pool(store), time_limit=limit)
    try:
        await preparer.prepare(small_feed(), content_type=None, feed_url="https://small.example/rss", max_items=1000)  # warm
        documents = [ill_formed_feed(mib, items) for _ in range(heavy)]
        start = time.perf_counter()
        finished: dict[str, float] = {}

        async def prepare(name: str, body: bytes) -> str:
            try:
                await preparer.prepare(body, content_type=None, feed_url=f"https://{name}.example/rss", max_items=100_000)
                outcome = "read"
            except FeedRejected as error:
                outcome = f"refused: {error}"[:80]
            finished[name] = time.perf_counter() - start
            return outcome

        outcomes = await asyncio.gather(*(prepare(f"heavy{n}", body) for n, body in enumerate(documents)),
                                        prepare("small", small_feed()))
        return {"limit_seconds": limit, "heavy_feeds": heavy, "heavy_mib": round(len(documents[0]) / 2**20, 2), "heavy_items": items,
                "small_feed_waited_seconds": round(finished["small"], 2),
                "heavy_feed_seconds": [round(finished[f"heavy{n}"], 2) for n in range(heavy)],
                "heavy_outcome": outcomes[0]}
    finally:
        preparer.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heavy", type=int, default=4)
    parser.add_argument("--mib", type=float, default=9.6)
    parser.add_argument("--items", type=int, default=900)
    parser.add_argument("--limit", type=float, default=10.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        store = Path(directory) / "feeds.sqlite"
        IngestStore(store).close()
        results = [asyncio.run(run(args.heavy, args.mib, args.items, limit, store)) for limit in (None, args.limit)]
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
