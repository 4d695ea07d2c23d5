"""`newswatch extract`: run the incident extractor on one text file or on a JSON Lines file of articles."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

JSONL_BATCH = 64


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "extract",
        help="extract attack incidents from a text file (first line = title) or a JSON Lines file",
        description="Either FILE (a text file whose first line is the title) or --jsonl IN --out OUT.",
    )
    parser.add_argument("file", nargs="?", type=Path, help="text file: first line title, the rest the body")
    parser.add_argument("--published", type=dt.date.fromisoformat, help="publication date YYYY-MM-DD for FILE")
    parser.add_argument("--json", action="store_true", help="print the ExtractionResult as JSON")
    parser.add_argument("--jsonl", type=Path, help='input lines {"id","title","text","published","url"}')
    parser.add_argument("--out", type=Path, help="output JSON Lines file, one ExtractionResult per input line")
    parser.add_argument("--batch-size", type=int, default=16, help="articles per nlp.pipe batch")
    parser.set_defaults(handler=run, parser=parser)


def run(args) -> int:
    if args.jsonl is not None:
        if args.file is not None or args.out is None:
            args.parser.error("--jsonl needs --out and no FILE")
        return extract_jsonl(args.jsonl, args.out, args.batch_size)
    if args.file is None:
        args.parser.error("give a text FILE, or --jsonl IN --out OUT")
    return extract_file(args.file, args.published, args.json)


def extract_file(path: Path, published: dt.date | None, as_json: bool) -> int:
    from pydantic import ValidationError

    from extractors import extract
    from extractors.records import problems
    from extractors.schema import Article

    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        print(f"newswatch extract: cannot read {path}: {error}", file=sys.stderr)
        return 2
    title, _, body = raw.partition("\n")
    try:
        article = Article(
            id=Article.id_for(None, raw),
            title=title.strip() or None,
            text=body.lstrip("\n"),
            published=dt.datetime.combine(published, dt.time()) if published else None,
        )
    except ValidationError as error:
        print(f"newswatch extract: {path} is not an article: {problems(error)}", file=sys.stderr)
        return 2
    result = extract(article)
    print(result.model_dump_json(indent=2) if as_json else describe(result, article.title))
    return 0


def extract_jsonl(source: Path, destination: Path, batch_size: int) -> int:
    """Extract line by line in batches; a malformed line is reported on stderr with its number and skipped."""
    from extractors import extract_batch, load_nlp
    from extractors.records import RecordError, read_articles

    if not source.is_file():
        print(f"newswatch extract: {source} does not exist", file=sys.stderr)
        return 2
    nlp = load_nlp()
    skipped = written = 0
    with destination.open("w", encoding="utf-8") as out:
        batch = []
        for item in read_articles(source):
            if isinstance(item, RecordError):
                print(f"newswatch extract: {item}; skipped", file=sys.stderr)
                skipped += 1
                continue
            batch.append(item)
            if len(batch) == JSONL_BATCH:
                written += _write(out, extract_batch(batch, nlp, batch_size=batch_size))
                batch = []
        written += _write(out, extract_batch(batch, nlp, batch_size=batch_size))
    print(f"newswatch extract: {written} results written to {destination}, {skipped} lines skipped", file=sys.stderr)
    return 1 if skipped else 0


def _write(out, results) -> int:
    for result in results:
        out.write(result.model_dump_json() + "\n")
    return len(results)


def describe(result, title: str | None) -> str:
    """A readable summary: detection, then each incident's fields."""
    verdict = ("yes" if result.is_attack_report else "no") if result.read else f"not read (language {result.language} is not read yet)"
    lines = [f"title: {title or '(none)'}", f"language: {result.language or 'unknown'}", f"attack report: {verdict}"]
    for incident in result.incidents:
        location = incident.location
        place = ", ".join(p for p in (location.city, location.admin1, location.country) if p) or "unknown"
        if location.lat is not None:
            place += f" ({location.lat:.2f}, {location.lon:.2f})"
        lines += [
            "",
            f"[{incident.role}] confidence {incident.confidence:.2f}",
            f"  place:        {place}",
            f"  date:         {_date(incident)}",
            f"  killed:       {_count(incident.killed)}",
            f"  injured:      {_count(incident.injured)}",
            f"  attackers:    {_count(incident.attackers)} (killed: {_count(incident.attackers_killed)})",
            f"  attack types: {', '.join(incident.attack_types) or 'unknown'}"
            + (" (suicide)" if incident.suicide else ""),
            f"  weapons:      {', '.join(incident.weapons) or 'unknown'}",
            f"  target:       {incident.target.type}" + (f" ({incident.target.text})" if incident.target.text else ""),
        ]
        for perpetrator in incident.perpetrators:
            branch = f", {perpetrator.branch}" if perpetrator.branch else ""
            lines.append(f"  perpetrator:  {perpetrator.name}{branch} ({perpetrator.role})")
    return "\n".join(lines)


def _date(incident) -> str:
    """The date at its precision: 2016-10-24, 2016-08 or 2015."""
    if incident.date is None:
        return "unknown"
    return {"month": incident.date.isoformat()[:7], "year": str(incident.date.year)}.get(
        incident.date_precision, incident.date.isoformat())


def _count(count) -> str:
    if count is None:
        return "-"
    prefix = {"exact": "", "at_least": "at least ", "more_than": "more than ", "about": "about "}[count.qualifier]
    return f"{prefix}{count.value}"


