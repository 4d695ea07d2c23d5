"""Articles from plain-text and JSON Lines files (backfill and the seed corpus)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from extractors import records
from extractors.records import RecordError, problems
from extractors.schema import Article

log = logging.getLogger(__name__)


ARTICLE_SUFFIXES = (".txt", ".jsonl")


def article_files(paths: list[Path]) -> list[Path]:
    """The given files, with folders expanded (recursively, sorted) to their *.txt and *.jsonl files."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in ARTICLE_SUFFIXES)
        else:
            found.append(path)
    return found


def read_articles(path: Path, published: dt.datetime | None, now: dt.datetime) -> Iterator[Article | RecordError]:
    """The articles of one file, JSON Lines (extractors.records) or plain text; a file that cannot be read
    yields one RecordError."""
    try:
        if path.suffix == ".jsonl":
            yield from records.read_articles(path, fetched_at=now)
        else:
            yield read_text_article(path, published, now)
    except ValidationError as error:
        yield RecordError(path, problems(error))
    except (OSError, RecordError) as error:
        yield error if isinstance(error, RecordError) else RecordError(path, str(error))


def read_text_article(path: Path, published: dt.datetime | None = None, now: dt.datetime | None = None) -> Article:
    """A plain-text article: the first non-empty line is the title, the rest the body."""
    raw = path.read_bytes()
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        content = raw.decode("cp1252", errors="replace")
        log.warning("%s is not UTF-8; read as Windows-1252", path)
    lines = content.strip().splitlines()
    if not lines:
        raise RecordError(path, "empty file, no article to ingest")
    title, body = lines[0].strip(), "\n".join(lines[1:]).strip()
    if not body:
        raise RecordError(path, "only a title line, no article text")
    return Article(
        id=Article.id_for(None, body),
        title=title,
        text=body,
        published=published,
        fetched_at=now,
        source=f"file:{path.name}",
    )
