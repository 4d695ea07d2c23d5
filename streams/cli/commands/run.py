"""`newswatch run [--demo]`: the worker and the feed consumers together; with --demo, on local services and demo feeds."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

from extractors.schema import Alert
from streams.alerting.text import alert_fields
from streams.settings import DEPLOY_DIR

DEMO_WATCHES = DEPLOY_DIR / "demo" / "watches.yaml"


def register(subparsers) -> None:
    parser = subparsers.add_parser("run", help="run the worker and the feed consumers; --demo: everything on local demo data")
    parser.add_argument("--demo", action="store_true",
                        help="start local Kafka and Elasticsearch, serve the bundled demo feeds, print alerts as they arrive")
    parser.add_argument("--exit-after-alerts", type=int, metavar="N",
                        help="stop once N alerts were printed and delivered to the webhook (for scripted runs)")
    parser.add_argument("--timeout", type=float, metavar="SECONDS", help="stop after this many seconds")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    return asyncio.run(_run(args))


async def _run(args: argparse.Namespace) -> int:
    from streams.settings import Settings

    started_services = None
    receiver = None
    if args.demo:
        started_services = _demo_environment()
        receiver = await WebhookReceiver.start(os.environ["NEWSWATCH_ALERTING__SINKS__WEBHOOK__SECRET"])
        os.environ["NEWSWATCH_ALERTING__SINKS__WEBHOOK__URL"] = receiver.url
    settings = Settings()
    worker = _start_worker(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    tasks = [asyncio.create_task(_ingest(settings, args.demo, stop)),
             asyncio.create_task(_print_alerts(settings, receiver, args.exit_after_alerts, stop))]
    if args.timeout:
        loop.call_later(args.timeout, stop.set)
    if args.demo:
        _print_where_to_look(settings)
    try:
        while not stop.is_set():
            if worker.poll() is not None:
                print(f"the worker exited with {worker.returncode}; see {_worker_log(settings)}", file=sys.stderr)
                return 1
            try:
                await asyncio.wait_for(stop.wait(), 1.0)
            except TimeoutError:
                pass
        return 0 if not args.exit_after_alerts or (receiver and receiver.count >= args.exit_after_alerts) else 1
    finally:
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        _stop_worker(worker)
        if receiver:
            await receiver.close()
        if started_services:
            started_services.down()
        print("stopped", file=sys.stderr)


def _demo_environment():
    """Local services and demo names in the environment (which the worker subprocess inherits)."""
    from deploy.local.services import LocalServices

    local = LocalServices()
    was_running = all(entry["healthy"] for entry in local.status().values())
    endpoints = local.up()
    run_id = time.strftime("%Y%m%d%H%M%S")  # a fresh demo each time (topics, indices, feed state), so its alerts are new again
    names = {f"TOPICS__{kind.upper()}": f"newswatch-demo-{run_id}.{kind}" for kind in
             ("raw_articles", "unique_articles", "extractions", "incident_reports", "incidents", "alerts", "dead_letters")}
    os.environ.update({
        "NEWSWATCH_KAFKA__BOOTSTRAP_SERVERS": endpoints.kafka_bootstrap,
        "NEWSWATCH_ELASTICSEARCH__URL": endpoints.elasticsearch_url,
        "NEWSWATCH_ELASTICSEARCH__INDEX_PREFIX": f"newswatch-demo-{run_id}",
        "NEWSWATCH_WORKER__APP_ID": f"newswatch-demo-{run_id}",
        "NEWSWATCH_WATCHES_FILE": str(DEMO_WATCHES),
        "NEWSWATCH_ALERTING__SINKS__WEBHOOK__SECRET": secrets.token_hex(16),
        "NEWSWATCH_HOME": str(local.home / "demo" / run_id),
        **{f"NEWSWATCH_{key}": value for key, value in names.items()},
    })
    return None if was_running else local


def _worker_log(settings) -> Path:
    return settings.home / "run" / f"{settings.worker.app_id}-worker.log"


def _start_worker(settings) -> subprocess.Popen:
    log_path = _worker_log(settings)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log_file:
        return subprocess.Popen([sys.executable, "-m", "streams.cli", "worker", "--loglevel", "warning"],
                                stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)


def _stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=30)


async def _ingest(settings, demo: bool, stop: asyncio.Event) -> None:
    from streams.ingest.demo import serve_demo
    from streams.ingest.feedlist import load_feeds
    from streams.ingest.service import FeedIngester

    served = await serve_demo() if demo else None
    feeds = served.feeds if served else load_feeds(settings.feeds_file)
    allowed = served.allowed_hosts if served else ()
    try:
        async with FeedIngester(settings, feeds, allowed_hosts=allowed) as ingester:
            await ingester.run(stop, report_health=True)
    finally:
        if served:
            await served.close()


async def _print_alerts(settings, receiver, exit_after: int | None, stop: asyncio.Event) -> None:
    """Every alert on the alerts topic, as it arrives; stop once `exit_after` were also received by the webhook."""
    from aiokafka import AIOKafkaConsumer

    from streams.runtime.topics import ensure_topics

    await asyncio.to_thread(ensure_topics, settings.kafka.bootstrap_servers, settings.topics)
    consumer = AIOKafkaConsumer(settings.topics.alerts, bootstrap_servers=settings.kafka.bootstrap_servers,
                                auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()
    printed = 0
    try:
        while not stop.is_set():
            batches = await consumer.getmany(timeout_ms=1000)
            for records in batches.values():
                for record in records:
                    alert = Alert.model_validate_json(record.value)
                    printed += 1
                    original = alert_fields(alert)["original_titles"]
                    print(f"ALERT {alert.kind:<10} [{alert.watch_name}] {alert.summary}"
                          + (f" — original title: {original}" if original else ""), flush=True)
            if exit_after and printed >= exit_after and receiver and receiver.count >= exit_after:
                stop.set()
    finally:
        await consumer.stop()


class WebhookReceiver:
    """The demo's stand-in for a team's webhook endpoint: checks each alert's signature and prints it."""

    def __init__(self, secret: str):
        self.secret = secret
        self.count = 0
        self.url = ""
        self._runner = None

    @classmethod
    async def start(cls, secret: str) -> WebhookReceiver:
        from aiohttp import web

        receiver = cls(secret)
        app = web.Application()
        app.router.add_post("/alerts", receiver._receive)
        receiver._runner = web.AppRunner(app, access_log=None)
        await receiver._runner.setup()
        site = web.TCPSite(receiver._runner, "127.0.0.1", 0)
        await site.start()
        receiver.url = f"http://127.0.0.1:{receiver._runner.addresses[0][1]}/alerts"
        return receiver

    async def _receive(self, request):
        from aiohttp import web

        from streams.alerting.sinks.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify

        body = await request.read()
        valid = verify(self.secret, request.headers.get(TIMESTAMP_HEADER, ""),
                       request.headers.get(SIGNATURE_HEADER, ""), body, now=time.time())
        if not valid:
            print("WEBHOOK rejected a request with a bad signature", flush=True)
            return web.Response(status=401)
        self.count += 1
        alert = json.loads(body)
        print(f"WEBHOOK received {alert.get('id')} for watch {alert.get('watch_id')} (signature verified)", flush=True)
        return web.Response(status=204)

    async def close(self) -> None:
        await self._runner.cleanup()


def _print_where_to_look(settings) -> None:
    url, prefix = settings.elasticsearch.url, settings.elasticsearch.index_prefix
    print(f"""newswatch demo running: feeds -> Kafka {settings.kafka.bootstrap_servers} -> worker -> Elasticsearch {url}
Alerts print below as they arrive (the worker needs about a minute to load spaCy and catch up). Ctrl-C stops everything.
Look around meanwhile:
  curl '{url}/{prefix}-incidents/_search?q=geo.country_iso_code:PK&pretty'
  curl '{url}/{prefix}-articles/_search?q=article.is_attack_report:true&size=0&pretty'
  curl '{url}/{prefix}-alerts/_search?sort=@timestamp:desc&pretty'
  NEWSWATCH_ELASTICSEARCH__URL={url} NEWSWATCH_ELASTICSEARCH__INDEX_PREFIX={prefix} newswatch search
""", flush=True)
