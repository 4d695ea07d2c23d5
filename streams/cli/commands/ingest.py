"""`newswatch ingest FILE...`: plain-text or JSON Lines articles onto the raw-articles topic."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser("ingest", help="produce articles from text or JSONL files and folders to Kafka")
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                        help="*.txt (first line is the title) or *.jsonl files, or folders of them (backfill)")
    parser.add_argument("--published", type=dt.date.fromisoformat, help="publication date (YYYY-MM-DD) for plain-text files")
    parser.set_defaults(handler=run)


def run(args) -> int:
    from kafka.errors import KafkaError
    from tqdm import tqdm

    from extractors.records import RecordError
    from streams.ingest.files import article_files, read_articles
    from streams.ingest.producer import ArticleProducer
    from streams.settings import Settings

    settings = Settings()
    now = dt.datetime.now(dt.timezone.utc)
    published = dt.datetime.combine(args.published, dt.time(), dt.timezone.utc) if args.published else None
    files = article_files(args.paths)
    sent = failed = 0
    with ArticleProducer(settings.kafka.bootstrap_servers, settings.topics.raw_articles) as producer:
        # The bar shows on a terminal only (disable=None), so scripts and logs stay clean.
        for path in tqdm(files, unit="file", disable=None, file=sys.stderr):
            for record in read_articles(path, published, now):
                if isinstance(record, RecordError):
                    print(f"skipped {record}", file=sys.stderr)
                    failed += 1
                    continue
                try:
                    producer.send(record)
                except KafkaError as error:  # refused before sending (too large): this article only
                    print(f"skipped {path}: article {record.id}: {error}", file=sys.stderr)
                    failed += 1
                    continue
                sent += 1
    print(f"produced {sent} article(s) from {len(files)} file(s) to {settings.topics.raw_articles}; {failed} skipped")
    return 1 if failed and not sent else 0
