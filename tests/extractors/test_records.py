"""One JSON Lines reader for ingest, extract --jsonl, eval and replay: one strictness, bad lines reported."""

from __future__ import annotations

import datetime as dt
import json

from extractors.records import RecordError, read_articles
from extractors.schema import Article
from streams.ingest import files

NOW = dt.datetime(2024, 3, 6, 12, tzinfo=dt.timezone.utc)
GOOD = {"id": "k1", "title": "Market attack", "published": "2024-03-05", "url": "https://example-news.test/k1",
        "text": "Gunmen killed four traders at a market in Kano on Tuesday, police said."}


def outcome(items) -> list[str]:
    return [f"error {item.line_number}" if isinstance(item, RecordError) else item.id for item in items]


def test_ingest_and_the_other_commands_accept_and_refuse_the_same_lines(tmp_path):
    path = tmp_path / "mixed.jsonl"
    lines = [
        json.dumps(GOOD).encode(),
        json.dumps({**GOOD, "id": "k2", "publshed": "2024-03-05"}).encode(),  # misspelt: ingest once took it
        json.dumps({"text": "A bomb exploded near a bus station in Jos, the police said.", "source": "wire"}).encode(),
        json.dumps({**GOOD, "id": "k4", "text": 7}).encode(),
        b'{"id": "k5", "text": "caf\xe9 bombing"}',  # not UTF-8: extract once stopped on it with a traceback
        json.dumps({**GOOD, "id": "k6", "language": "en", "tags": ["wire"]}).encode(),
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    expected = ["k1", "error 2", Article.id_for(None, "A bomb exploded near a bus station in Jos, the police said."),
                "error 4", "error 5", "k6"]
    assert outcome(read_articles(path)) == expected
    assert outcome(files.read_articles(path, None, NOW)) == expected
    errors = [str(item) for item in read_articles(path) if isinstance(item, RecordError)]
    assert errors[0] == f"{path}:2: unknown keys publshed; allowed: id, language, published, source, tags, text, title, url"
    assert errors[2] == f"{path}:5: not UTF-8 (byte 26)"


def test_an_article_without_an_id_gets_one_from_its_url_or_text_and_the_file_as_source(tmp_path):
    path = tmp_path / "wire.jsonl"
    path.write_text(json.dumps({"text": GOOD["text"], "url": GOOD["url"]}) + "\n" + json.dumps({"text": GOOD["text"]}) + "\n")
    by_url, by_text = read_articles(path, fetched_at=NOW)
    assert (by_url.id, by_text.id) == (Article.id_for(GOOD["url"], GOOD["text"]), Article.id_for(None, GOOD["text"]))
    assert (by_url.source, by_url.fetched_at, by_url.canonical_url) == ("file:wire.jsonl", NOW, GOOD["url"])


def test_every_command_reads_a_labelled_corpus_dropping_its_scoring_keys(tmp_path):
    path = tmp_path / "corpus.jsonl"
    path.write_text(json.dumps({**GOOD, "kind": "attack", "group": "g1", "truncated": False}) + "\n")
    assert next(read_articles(path)).id == next(files.read_articles(path, None, NOW)).id == "k1"
