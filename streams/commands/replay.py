"""`newswatch replay IN.jsonl --out OUT.jsonl`: the stream's dedup, extraction and merging, in-process over a file."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser("replay", help="dedup, extract and merge a JSONL file of articles in-process; one incident per output line")
    parser.add_argument("input", type=Path, help='JSON Lines articles: {"id", "title", "text", "published", "url"}')
    parser.add_argument("--out", type=Path, required=True, help="where to write the incidents (JSON Lines)")
    parser.add_argument("--now", type=dt.datetime.fromisoformat,
                        help="when the articles arrive (ISO date or time, UTC unless it says; default: the latest published time in the file)")
    parser.add_argument("--clock", choices=("arrival", "published"), default="arrival",
                        help="arrival: all articles arrive at --now, as `newswatch ingest` sends a file (matches the stream); "
                             "published: each arrives at its published time (dated archives, age bounds apply)")
    parser.set_defaults(handler=run)


def dedup_from_settings(settings):
    """The replay's dedup index, configured as the worker's."""
    from streams.dedup import DedupIndex

    return DedupIndex({}, threshold=settings.dedup.threshold, containment=settings.dedup.containment,
                      max_age=dt.timedelta(days=settings.dedup.max_age_days))


def run(args) -> int:
    from streams.extraction import load_extractor
    from streams.replay import replay_file
    from streams.settings import Settings

    settings = Settings()
    try:
        extract = load_extractor(settings.worker.extractor)
        result = replay_file(args.input, args.out, now=args.now, clock=args.clock, extract=extract,
                             dedup=dedup_from_settings(settings), batch_size=settings.worker.extract_batch_size)
    except (OSError, ValueError) as error:
        print(f"newswatch replay: {error}", file=sys.stderr)
        return 1
    for where, problem in result.failures:
        print(f"skipped {where}: {problem}", file=sys.stderr)
    print(f"{result.articles} article(s), {result.duplicates} duplicate(s), {len(result.failures)} skipped; "
          f"{len(result.incidents)} incident(s) written to {args.out}")
    return 1 if result.failures and not result.articles else 0

