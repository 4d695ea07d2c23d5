"""Replay: dedup, extraction and merging over a JSONL file, deterministic, with a rule extractor instead of spaCy."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from streams.cli.main import main
from streams.replay import latest_published, replay_file
from tests.streams import rule_extractor

WIRE = ("QUETTA, Pakistan - Gunmen stormed a police training college in Quetta overnight, killing at least 59 "
        "cadets before three attackers blew themselves up, officials said on Tuesday.\n\n"
        "The assault lasted several hours. Army commandos ended the siege by dawn, a provincial spokesman said, "
        "and more than 100 people were wounded. Many of the wounded were in critical condition at the Civil Hospital.\n\n"
        "No group has yet claimed the attack, which came as militants step up pressure on security forces "
        "in Balochistan province along the border with Afghanistan and Iran.")
LOCAL = ("Families crowded the gates of the Civil Hospital in Quetta on Tuesday, searching lists of names after a night "
         "attack on the police college killing 61 trainees, according to a doctor there.\n\n"
         "One cadet said he jumped from a window when the shooting began. \"We had no weapons,\" he said.")
PESHAWAR = ("PESHAWAR, Pakistan - A bomb at a bus stand in Peshawar on Tuesday evening, killing 7 passengers, "
            "was the second attack in the city this month, police said.")
RECAP = ("An analysis of militant violence in Pakistan this year, and of why police recruits keep being targeted.\n"
         "Background: Quetta 2016-10\nBackground: Peshawar 2015-09")


def record(article_id: str, text: str, published: str = "2016-10-25", url: str | None = None) -> dict:
    return {"id": article_id, "title": None, "text": text, "published": published, "url": url or f"https://{article_id}.test/"}


STREAM = [
    record("wire", WIRE),
    record("copy", "Home > World > Asia\nBy Staff Reporter\n" + WIRE + "\nRead more: Pakistan news"),
    record("update", WIRE.replace("at least 59", "at least 61").replace("on Tuesday.", "on Tuesday, as the toll rose.")),
    record("local", LOCAL),
    record("peshawar", PESHAWAR),
    record("recap", RECAP, published="2016-10-26"),
]


def write(path: Path, records: list[dict], extra_lines: tuple[str, ...] = ()) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records) + "".join(line + "\n" for line in extra_lines))
    return path


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_one_incident_per_event_with_every_member_article(tmp_path):
    result = replay_file(write(tmp_path / "in.jsonl", STREAM), tmp_path / "out.jsonl", extract=rule_extractor.extract_batch)
    incidents = {i["location"]["city"] + ("/historical" if i["historical"] else ""): i for i in read(tmp_path / "out.jsonl")}
    assert sorted(incidents) == ["Peshawar", "Peshawar/historical", "Quetta"]
    quetta = incidents["Quetta"]
    assert quetta["article_ids"] == ["wire", "copy", "update", "local"]
    assert quetta["killed"] == {"value": 61, "qualifier": "at_least"}
    assert [(c["previous"], c["current"]["value"]) for c in quetta["toll_history"]] == [
        (None, 59), ({"value": 59, "qualifier": "at_least"}, 61)]
    assert quetta["version"] == 4
    assert incidents["Peshawar"]["article_ids"] == ["peshawar"]
    assert incidents["Peshawar/historical"]["article_ids"] == ["recap"]
    assert result.articles == 6 and result.duplicates == 2 and result.failures == []


def test_an_identical_copy_reuses_the_canonical_extraction(tmp_path):
    rule_extractor.calls.clear()
    replay_file(write(tmp_path / "in.jsonl", STREAM), tmp_path / "out.jsonl", extract=rule_extractor.extract_batch,
                batch_size=1)
    extracted = [article_id for batch in rule_extractor.calls for article_id in batch]
    assert "copy" not in extracted
    assert "update" in extracted  # a near-copy may carry a new toll, so it is read again


def test_the_same_input_gives_the_same_output(tmp_path):
    path = write(tmp_path / "in.jsonl", STREAM)
    replay_file(path, tmp_path / "first.jsonl", extract=rule_extractor.extract_batch)
    replay_file(path, tmp_path / "second.jsonl", extract=rule_extractor.extract_batch)
    assert (tmp_path / "first.jsonl").read_bytes() == (tmp_path / "second.jsonl").read_bytes()


def test_time_comes_from_the_file_or_an_explicit_now(tmp_path):
    path = write(tmp_path / "in.jsonl", STREAM)
    assert latest_published(path) == dt.datetime(2016, 10, 26, tzinfo=dt.timezone.utc)
    replay_file(path, tmp_path / "out.jsonl", extract=rule_extractor.extract_batch)
    assert {i["first_seen"] for i in read(tmp_path / "out.jsonl")} == {"2016-10-26T00:00:00Z"}
    now = dt.datetime(2024, 1, 1, 12, tzinfo=dt.timezone.utc)
    replay_file(path, tmp_path / "out.jsonl", extract=rule_extractor.extract_batch, now=now)
    assert {i["first_seen"] for i in read(tmp_path / "out.jsonl")} == {"2024-01-01T12:00:00Z"}
    replay_file(path, tmp_path / "out.jsonl", extract=rule_extractor.extract_batch, clock="published")
    assert {i["first_seen"] for i in read(tmp_path / "out.jsonl")} == {"2016-10-25T00:00:00Z", "2016-10-26T00:00:00Z"}
    undated = write(tmp_path / "undated.jsonl", [{**STREAM[0], "published": None}])
    with pytest.raises(ValueError, match="pass --now"):
        replay_file(undated, tmp_path / "out.jsonl", extract=rule_extractor.extract_batch)


def test_the_published_clock_lets_old_articles_age_out_of_dedup(tmp_path):
    late_copy = record("late-copy", STREAM[1]["text"], published="2016-11-20")
    path = write(tmp_path / "in.jsonl", [STREAM[0], late_copy])
    assert replay_file(path, tmp_path / "out.jsonl", extract=rule_extractor.extract_batch).duplicates == 1
    assert replay_file(path, tmp_path / "out.jsonl", extract=rule_extractor.extract_batch, clock="published").duplicates == 0


def test_bad_lines_and_extractor_failures_are_reported_and_the_rest_goes_on(tmp_path):
    poison = record("poison", rule_extractor.POISON + " " + PESHAWAR)
    path = write(tmp_path / "in.jsonl", [poison] + STREAM, extra_lines=("{not json",))
    result = replay_file(path, tmp_path / "out.jsonl", extract=rule_extractor.extract_batch)
    assert [where.rsplit(":", 1)[-1] if where != "poison" else where for where, _ in result.failures] == ["8", "poison"]
    assert "cannot read article poison" in result.failures[1][1]
    assert len(read(tmp_path / "out.jsonl")) == 3


def test_the_command_uses_the_configured_extractor(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEWSWATCH_WORKER__EXTRACTOR", "tests.streams.rule_extractor:extract_batch")
    path = write(tmp_path / "in.jsonl", STREAM)
    assert main(["replay", str(path), "--out", str(tmp_path / "out.jsonl"), "--now", "2016-10-27"]) == 0
    assert "6 article(s), 2 duplicate(s), 0 skipped; 3 incident(s)" in capsys.readouterr().out
    assert len(read(tmp_path / "out.jsonl")) == 3
    assert main(["replay", str(tmp_path / "missing.jsonl"), "--out", str(tmp_path / "x.jsonl")]) == 1
    assert "missing.jsonl" in capsys.readouterr().err
