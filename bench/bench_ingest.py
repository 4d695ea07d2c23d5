"""Feed ingestion speed: 2,000 local feeds of 20 items, the real ingester into the local Kafka; prints JSON.

Run from the repository root: python bench/bench_ingest.py [--feeds 2000] [--items 20]
Needs the local services (`newswatch services up`). The feeds are served by a separate process on
127.0.0.1 with ETags; every item carries its full text (about 1,500 characters), as wire feeds do, so no
article pages are fetched. Cycles measured, each until Kafka has acknowledged every new item:
  first:     every item is new (feeds x items articles);
  unchanged: every feed answers 304;
  changed:   every feed has 5 new items at the top (the other 15 already seen).
Then the naive baseline in the same run: sequential feedparser.parse(url) of every feed, no conditional GET.
All feeds share one host here, so the per-host limit is set to the global limit (64).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from streams.ingest.feedlist import FeedConfig  # noqa: E402

NEW_PER_CHANGE = 5
PARAGRAPH = ("Officials said the situation in the district remained tense on {day} after the incident, which "
             "followed weeks of disputes between local groups over land and water rights in the area. ")


def feed_body(feed: int, generation: int, items: int) -> bytes:
    """RSS 2.0; generation g shifts the window by NEW_PER_CHANGE items, newest first."""
    newest = generation * NEW_PER_CHANGE + items
    entries = []
    for number in range(newest - 1, newest - 1 - items, -1):
        text = "".join(f"<p>{PARAGRAPH.format(day=f'day {number}')}</p>" for _ in range(8))
        entries.append(
            f"<item><title>Feed {feed} story {number}</title>"
            f"<link>https://outlet{feed}.example/news/{number}?utm_source=rss</link>"
            f"<guid>https://outlet{feed}.example/news/{number}</guid>"
            f"<pubDate>Tue, 25 Oct 2016 10:{number % 60:02d}:00 GMT</pubDate>"
            f"<description>Short summary of story {number}.</description>"
            f"<content:encoded><![CDATA[{text}]]></content:encoded></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>Outlet {feed}</title><link>https://outlet{feed}.example/</link>{''.join(entries)}</channel></rss>"
    ).encode()


def serve_feeds(feeds: int, items: int, port_out, control) -> None:
    """The feed server process: pre-rendered bodies per generation, switched by the parent through `control`."""
    from aiohttp import web

    from streams.ingest.demo import conditional_response

    bodies: list[bytes] = []

    def render(generation: int) -> None:
        bodies[:] = [feed_body(feed, generation, items) for feed in range(feeds)]

    async def handler(request: web.Request) -> web.Response:
        return conditional_response(request, bodies[int(request.match_info["feed"])], "application/rss+xml")

    async def main() -> None:
        render(0)
        app = web.Application()
        app.router.add_get("/feed/{feed}", handler)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
        await site.start()
        port_out.send(runner.addresses[0][1])
        loop = asyncio.get_running_loop()
        while True:
            generation = await loop.run_in_executor(None, control.recv)
            if generation is None:
                break
            render(generation)
            control.send("ready")
        await runner.cleanup()

    asyncio.run(main())


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker_stats(exclude: set[int]) -> tuple[float, float]:
    """(CPU seconds, peak RSS MiB) of this process's children other than `exclude`: the prepare worker."""
    cpu = peak = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    for child in multiprocessing.active_children():
        if child.pid in exclude:
            continue
        fields = Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[1].split()
        cpu += (int(fields[11]) + int(fields[12])) / ticks
        for line in Path(f"/proc/{child.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peak = max(peak, int(line.split()[1]) / 1024)
    return cpu, peak


async def measure_ingester(urls: list[str], kafka: str, topic: str, home: Path, control, server_pid: int) -> dict:
    from streams.ingest.service import FeedIngester
    from streams.settings import FeedSettings, KafkaSettings, Settings, TopicSettings

    settings = Settings(
        home=home,
        kafka=KafkaSettings(bootstrap_servers=kafka),
        topics=TopicSettings(raw_articles=topic),
        feeds=FeedSettings(allowed_private_hosts=["127.0.0.1"], global_concurrency=64, per_host_concurrency=64),
    )
    feeds = [FeedConfig(url=url, name=f"feed {number}") for number, url in enumerate(urls)]
    results = {}
    async with FeedIngester(settings, feeds) as ingester:
        for name in ("first", "unchanged", "changed"):
            if name == "changed":
                control.send(1)
                await asyncio.get_running_loop().run_in_executor(None, control.recv)
            started, cpu_started, worker_cpu_started = time.perf_counter(), time.process_time(), worker_stats({server_pid})[0]
            report = await ingester.poll_all()
            seconds = time.perf_counter() - started
            worker_cpu, worker_peak = worker_stats({server_pid})
            results[name] = {
                "seconds": round(seconds, 2),
                "new_items_to_kafka": report["delivered"],
                "items_per_second": round(report["delivered"] / seconds) if report["delivered"] else 0,
                "feeds_ok": report.get("ok", 0),
                "cpu_seconds_ingester": round(time.process_time() - cpu_started, 2),
                "cpu_seconds_prepare_worker": round(worker_cpu - worker_cpu_started, 2),
                "peak_rss_mib_ingester": round(peak_rss_mib(), 1),
                "peak_rss_mib_prepare_worker": round(worker_peak, 1),
            }
    return results


def measure_naive(urls: list[str]) -> dict:
    """What a first script would do: feedparser fetches and parses each URL in turn."""
    import feedparser

    started = time.perf_counter()
    items = 0
    for url in urls:
        items += len(feedparser.parse(url).entries)
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 2), "items_parsed": items, "items_per_second": round(items / seconds)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=2000)
    parser.add_argument("--items", type=int, default=20)
    args = parser.parse_args()

    from kafka import KafkaAdminClient
    from kafka.admin import NewTopic

    from deploy.local.services import LocalServices

    endpoints = LocalServices().endpoints()
    topic = f"bench-ingest-{uuid.uuid4().hex[:8]}"
    admin = KafkaAdminClient(bootstrap_servers=endpoints.kafka_bootstrap)
    admin.create_topics([NewTopic(topic, num_partitions=4, replication_factor=1)])

    port_in, port_out = multiprocessing.Pipe(duplex=False)
    control, server_control = multiprocessing.Pipe()
    server = multiprocessing.Process(target=serve_feeds, args=(args.feeds, args.items, port_out, server_control), daemon=True)
    server.start()
    if not port_in.poll(120):
        raise SystemExit("the feed server did not start within 120 s")
    port = port_in.recv()
    urls = [f"http://127.0.0.1:{port}/feed/{feed}" for feed in range(args.feeds)]
    try:
        with tempfile.TemporaryDirectory() as home:
            ingester = asyncio.run(measure_ingester(urls, endpoints.kafka_bootstrap, topic, Path(home), control, server.pid))
        naive = measure_naive(urls)
    finally:
        control.send(None)
        server.join(timeout=30)
        admin.delete_topics([topic])
        admin.close()
    print(json.dumps({
        "feeds": args.feeds,
        "items_per_feed": args.items,
        "cpus": os.cpu_count(),
        "load_average_at_end": [round(load, 2) for load in os.getloadavg()],
        "ingester": ingester,
        "naive_sequential_feedparser": naive,
        "speedup_vs_naive": {
            "unchanged_cycle": round(naive["seconds"] / ingester["unchanged"]["seconds"], 1),
            "changed_cycle": round(naive["seconds"] / ingester["changed"]["seconds"], 1),
            "first_cycle": round(naive["seconds"] / ingester["first"]["seconds"], 1),
        },
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
