"""Golden test of `newswatch replay --watches --alerts`: dedup, extraction (the rule extractor), merging and alerting
over tests/data/replay (an attack, its copy, a follow-up with a rising toll, an unrelated attack), checked together."""

from __future__ import annotations

import json
from pathlib import Path

from streams.cli.main import main

DATA = Path(__file__).resolve().parents[1] / "data" / "replay"
QUETTA_ARTICLES = ["quetta-college", "quetta-college-copy", "quetta-college-toll"]


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_incidents_and_alerts_of_a_small_stream(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEWSWATCH_WORKER__EXTRACTOR", "tests.streams.rule_extractor:extract_batch")
    incidents_out, alerts_out = tmp_path / "incidents.jsonl", tmp_path / "alerts.jsonl"
    assert main(["replay", str(DATA / "articles.jsonl"), "--out", str(incidents_out),
                 "--watches", str(DATA / "watches.yaml"), "--alerts", str(alerts_out)]) == 0
    assert capsys.readouterr().out.strip().endswith("1 duplicate(s), 0 skipped; 2 incident(s) written to "
                                                    f"{incidents_out}, 7 alert(s) to {alerts_out}")

    quetta, peshawar = read(incidents_out)
    assert (quetta["location"]["city"], quetta["version"], quetta["article_ids"]) == ("Quetta", 3, QUETTA_ARTICLES)
    assert quetta["killed"] == {"value": 62, "qualifier": "at_least"}
    assert (peshawar["location"]["city"], peshawar["version"], peshawar["article_ids"]) == ("Peshawar", 1, ["peshawar-market"])

    alerts = read(alerts_out)
    rows = [(a["watch_id"], a["incident_id"], a["kind"], a["threshold"], a["incident_version"]) for a in alerts]
    assert rows == [
        ("pakistan-major", quetta["id"], "new", "match", 1),
        ("balochistan", quetta["id"], "new", "match", 1),
        ("cadets-hourly", quetta["id"], "new", "match", 1),  # "cadets" is in the first article only
        ("pakistan-major", quetta["id"], "escalation", "killed:62", 3),  # the copy (version 2) changed no toll
        ("balochistan", quetta["id"], "escalation", "killed:62", 3),
        ("peshawar-20km", peshawar["id"], "new", "match", 1),
        ("cadets-hourly", quetta["id"], "escalation", "killed:62", 3),  # held an hour by the throttle, then released
    ]
    assert alerts[3]["summary"] == "Bombing in Quetta, Balochistan, Pakistan: at least 62 killed (killed rose from 41 to 62)"
    assert alerts[3]["incident"] == quetta
    assert len({a["id"] for a in alerts}) == len(alerts)


def test_watches_and_alerts_go_together(tmp_path, capsys):
    assert main(["replay", str(DATA / "articles.jsonl"), "--out", str(tmp_path / "out.jsonl"),
                 "--alerts", str(tmp_path / "alerts.jsonl")]) == 2
    assert "--watches and --alerts go together" in capsys.readouterr().err
