"""`newswatch eval ARTICLES.jsonl LABELS.jsonl`: per-field accuracy of the extractor on a labelled dev set."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser("eval", help="score the extractor against dev-set labels (tests/data/devset)")
    parser.add_argument("articles", type=Path, help='articles JSON Lines: {"id","title","text","published","url"}')
    parser.add_argument("labels", type=Path, help="labels JSON Lines (tests/data/devset/FORMAT.md)")
    parser.add_argument("--json", action="store_true", help="print the scores (and every mistake) as JSON")
    parser.add_argument("--mistakes", action="store_true", help="list the articles each field got wrong")
    parser.set_defaults(handler=run)


def run(args) -> int:
    from extractors import extract_batch, load_nlp
    from extractors.detection import passes_prefilter
    from extractors.evaluation import evaluate, format_table
    from extractors.records import RecordError, read_articles, read_jsonl

    for path in (args.articles, args.labels):
        if not path.is_file():
            print(f"newswatch eval: {path} does not exist", file=sys.stderr)
            return 2
    articles = []
    for item in read_articles(args.articles):
        if isinstance(item, RecordError):
            print(f"newswatch eval: {args.articles}: {item}; skipped", file=sys.stderr)
            continue
        articles.append(item)
    labels = read_jsonl(args.labels)
    results = {result.id: result for result in extract_batch(articles, load_nlp())}
    passed = {a.id for a in articles if passes_prefilter(a.title, a.text)}
    summary = evaluate(results, labels, passed).as_dict()
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    print(format_table(summary))
    if args.mistakes:
        for field, items in summary["mistakes"].items():
            print(f"\n{field}:")
            print("\n".join(f"  {item}" for item in items))
    return 0
