"""`newswatch ingest FILE...`: plain-text or JSON Lines articles onto the raw-articles topic."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser("ingest", help="produce articles from text or JSONL files to Kafka")
    parser.add_argument("files", nargs="+", type=Path, help="*.txt (first line is the title) or *.jsonl files")
    parser.add_argument("--published", type=dt.date.fromisoformat, help="publication date (YYYY-MM-DD) for plain-text files")
    parser.set_defaults(handler=run)


def run(args) -> int:
    from streams.ingest.files import BadRecord, read_jsonl_articles, read_text_article
    from streams.ingest.producer import ArticleProducer
    from streams.settings import Settings

    settings = Settings()
    now = dt.datetime.now(dt.timezone.utc)
    published = dt.datetime.combine(args.published, dt.time(), dt.timezone.utc) if args.published else None
    sent = failed = 0
    with ArticleProducer(settings.kafka.bootstrap_servers, settings.topics.raw_articles) as producer:
        for path in args.files:
            try:
                records = read_jsonl_articles(path, now) if path.suffix == ".jsonl" else [read_text_article(path, published, now)]
                for record in records:
                    if isinstance(record, BadRecord):
                        print(f"skipped {record}", file=sys.stderr)
                        failed += 1
                        continue
                    producer.send(record)
                    sent += 1
            except (OSError, BadRecord) as error:
                print(f"skipped {path}: {error}", file=sys.stderr)
                failed += 1
    print(f"produced {sent} article(s) to {settings.topics.raw_articles}; {failed} skipped")
    return 1 if failed and not sent else 0
