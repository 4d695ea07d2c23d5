"""Reading articles from files: titles, ids, encodings, and bad lines reported without losing the good ones."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from extractors.records import RecordError
from streams.ingest.files import article_files, read_articles, read_text_article

PUBLISHED = dt.datetime(2016, 10, 25, tzinfo=dt.timezone.utc)


def test_seed_text_file(seed_path):
    article = read_text_article(seed_path, PUBLISHED)
    assert article.title.startswith("ISIS Claims Attack On Pakistan Police Academy")
    assert article.text.startswith("fnnfISLAMABAD")
    assert article.published == PUBLISHED
    assert article.id == read_text_article(seed_path).id, "the id depends on the text only"


def test_windows_1252_text_is_read(tmp_path):
    path = tmp_path / "legacy.txt"
    path.write_bytes("Blast in Kano\nA bomb exploded near the caf\xe9 on Monday.".encode("cp1252"))
    assert "café" in read_text_article(path).text


@pytest.mark.parametrize("content", ["", "\n\n", "Only a title\n"])
def test_empty_text_files_are_refused(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_text(content)
    with pytest.raises(RecordError, match="empty.txt"):
        read_text_article(path)


def test_jsonl_keeps_good_lines_and_reports_bad_ones(tmp_path):
    path = tmp_path / "articles.jsonl"
    lines = [
        json.dumps({"id": "a1", "title": "T", "text": "Gunmen attacked a market.", "published": "2020-01-02", "url": None}),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"id": "a2", "text": "   "}),
        json.dumps({"id": "a3", "text": "Police said two bombs exploded.", "published": "not a date"}),
        json.dumps({"title": None, "text": "A second good article.", "published": None, "url": "https://x.test/b"}),
    ]
    path.write_text("\n".join(lines) + "\n")
    records = list(read_articles(path, None, PUBLISHED))
    good = [r for r in records if not isinstance(r, RecordError)]
    bad = [str(r) for r in records if isinstance(r, RecordError)]
    assert [a.id for a in good][0] == "a1"
    assert good[1].id != "a1" and good[1].url == "https://x.test/b"
    assert len(bad) == 4
    assert all(message.startswith(f"{path}:") for message in bad)
    assert any(":2:" in message for message in bad)


def test_jsonl_reports_each_poison_line_with_its_number_and_reason(tmp_path):
    good = {"title": "Blast in Kano", "text": "A bomb exploded at a bus station in Kano on Monday.", "published": "2021-03-02"}
    lines = [
        {**good, "id": "good-1"},
        {**good, "id": "not-a-string", "text": 5},
        {**good, "id": "x" * 600},
        {**good, "id": "year-1", "published": "0001-01-01T00:00:00"},
        {**good, "id": "huge", "text": "word " * 1_000_000},
        {**good, "id": "bad-url", "url": ["https://x.test/a"]},
        {**good, "id": "good-2"},
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    records = list(read_articles(path, None, PUBLISHED))
    assert [r.id for r in records if not isinstance(r, RecordError)] == ["good-1", "good-2"]
    bad = [str(r) for r in records if isinstance(r, RecordError)]
    assert bad == [
        f"{path}:2: text: expected a string, got int",
        f"{path}:3: id: Value error, id is 600 bytes long; at most 512 (Elasticsearch's limit for a document id)",
        f"{path}:4: published: Value error, 0001-01-01T00:00:00 is outside 1900-2099",
        f"{path}:5: record: Value error, title, summary and text hold 5,000,013 characters; at most 100,000",
        f"{path}:6: url: expected a string or null, got list",
    ]


def test_a_text_file_too_long_for_an_article_is_a_bad_record(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("Title\n" + "word " * 30_000)
    records = list(read_articles(path, None, PUBLISHED))
    assert len(records) == 1 and isinstance(records[0], RecordError) and "at most 100,000" in str(records[0])


def test_folders_expand_to_their_article_files(tmp_path):
    (tmp_path / "2016" / "10").mkdir(parents=True)
    (tmp_path / "2016" / "10" / "b.txt").write_text("Title\nBody.")
    (tmp_path / "2016" / "a.jsonl").write_text("")
    (tmp_path / "2016" / "notes.md").write_text("not an article")
    single = tmp_path / "single.txt"
    single.write_text("T\nB")
    assert article_files([tmp_path / "2016", single]) == [
        tmp_path / "2016" / "10" / "b.txt", tmp_path / "2016" / "a.jsonl", single,
    ]


def test_unreadable_files_become_bad_records(tmp_path):
    records = list(read_articles(tmp_path / "missing.txt", None, PUBLISHED))
    assert len(records) == 1 and isinstance(records[0], RecordError)
    assert "missing.txt" in str(records[0])
