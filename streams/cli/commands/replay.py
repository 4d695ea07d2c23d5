"""`newswatch replay IN.jsonl --out OUT.jsonl [--watches W.yaml --alerts ALERTS.jsonl]`: the stream's dedup,
extraction, merging and alerting, in-process over a file."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser("replay", help="dedup, extract, merge (and alert) a JSONL file of articles in-process; one incident per output line")
    parser.add_argument("input", type=Path, help='JSON Lines articles: {"id", "title", "text", "published", "url"}')
    parser.add_argument("--out", type=Path, required=True, help="where to write the incidents (JSON Lines)")
    parser.add_argument("--now", type=dt.datetime.fromisoformat,
                        help="when the articles arrive (ISO date or time, UTC unless it says; default: the latest published time in the file)")
    parser.add_argument("--clock", choices=("arrival", "published"), default="arrival",
                        help="arrival: all articles arrive at --now, as `newswatch ingest` sends a file (matches the stream); "
                             "published: each arrives at its published time (dated archives, age bounds apply)")
    parser.add_argument("--watches", type=Path, help="watches YAML to alert on (with --alerts)")
    parser.add_argument("--alerts", type=Path, help="where to write the alerts the watches get (JSON Lines, in the order "
                                                    "the alerts topic would get them; held ones last, as they are released)")
    parser.set_defaults(handler=run)


def dedup_from_settings(settings):
    """The replay's dedup index, configured as the worker's."""
    from streams.dedup import DedupIndex

    return DedupIndex({}, threshold=settings.dedup.threshold, containment=settings.dedup.containment,
                      max_age=dt.timedelta(days=settings.dedup.max_age_days))


def alerting_from_settings(settings, watches_file: Path):
    """The replay's alerting stage over the file's watches, with the worker's summary template."""
    from streams.alerting.alert_store import AlertStore
    from streams.replay import Alerting
    from streams.watches.index import WatchIndex
    from streams.watches.loading import load_watches

    return Alerting(WatchIndex.build(load_watches(watches_file)), AlertStore({}, {}, settings.alerting.summary_template))


def run(args) -> int:
    from streams.extraction.extractor_process import load_extractor
    from streams.replay import replay_file
    from streams.settings import Settings

    if (args.watches is None) != (args.alerts is None):
        print("newswatch replay: --watches and --alerts go together (the watches to alert on, where the alerts go)",
              file=sys.stderr)
        return 2
    settings = Settings()
    try:
        alerting = alerting_from_settings(settings, args.watches) if args.watches else None
        extract = load_extractor(settings.worker.extractor)
        result = replay_file(args.input, args.out, now=args.now, clock=args.clock, extract=extract,
                             dedup=dedup_from_settings(settings), alerting=alerting, alerts_out=args.alerts,
                             batch_size=settings.worker.extract_batch_size)
    except (OSError, ValueError) as error:
        print(f"newswatch replay: {error}", file=sys.stderr)
        return 1
    for where, problem in result.failures:
        print(f"skipped {where}: {problem}", file=sys.stderr)
    print(f"{result.articles} article(s), {result.duplicates} duplicate(s), {len(result.failures)} skipped; "
          f"{len(result.incidents)} incident(s) written to {args.out}"
          + (f", {len(result.alerts)} alert(s) to {args.alerts}" if args.alerts else ""))
    return 1 if result.failures and not result.articles else 0

