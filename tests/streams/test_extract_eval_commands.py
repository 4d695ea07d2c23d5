"""`newswatch extract` and `newswatch eval` from the command line."""

from __future__ import annotations

import json

import pytest

from streams.cli import main


def test_extract_file_prints_a_summary_or_json(seed_path, capsys):
    assert main(["extract", str(seed_path), "--published", "2016-10-25"]) == 0
    summary = capsys.readouterr().out
    assert "attack report: yes" in summary
    assert "[main]" in summary and "Quetta, Balochistan, PK" in summary
    assert "killed:       at least 59" in summary
    assert summary.count("[background]") == 2

    assert main(["extract", str(seed_path), "--published", "2016-10-25", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["is_attack_report"] is True
    assert result["incidents"][0]["date"] == "2016-10-24"


def test_extract_jsonl_skips_malformed_lines_and_keeps_the_rest(tmp_path, capsys):
    source, destination = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    attack = {"id": "x1", "title": None, "published": "2024-03-06", "url": "https://example-news.test/x1",
              "text": "Gunmen killed 12 people in an attack on a market in the city of Kano on Monday, police said."}
    quiet = {"id": "x2", "title": "Budget", "published": None, "url": None,
             "text": "The council approved the library budget."}
    source.write_text("\n".join([json.dumps(attack), "{not json", json.dumps({"id": "x3"}), json.dumps(quiet),
                                 json.dumps({**quiet, "id": "x4", "published": "last week"})]) + "\n",
                      encoding="utf-8")
    assert main(["extract", "--jsonl", str(source), "--out", str(destination)]) == 1
    errors = capsys.readouterr().err
    assert "line 2: not valid JSON" in errors
    assert "line 3: missing text" in errors
    assert "line 5: published" in errors
    results = [json.loads(line) for line in destination.read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], r["is_attack_report"]) for r in results] == [("x1", True), ("x2", False)]
    assert results[0]["incidents"][0]["location"]["city"] == "Kano"


def test_extract_needs_a_file_or_jsonl_with_out(capsys, tmp_path):
    with pytest.raises(SystemExit):
        main(["extract"])
    with pytest.raises(SystemExit):
        main(["extract", "--jsonl", str(tmp_path / "in.jsonl")])
    assert main(["extract", "--jsonl", str(tmp_path / "absent.jsonl"), "--out", str(tmp_path / "o.jsonl")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_extract_refuses_a_file_that_is_not_an_article(capsys, tmp_path):
    only_title = tmp_path / "title.txt"
    only_title.write_text("Bomb kills 4 in Kano\n\n")
    assert main(["extract", str(only_title)]) == 2
    assert "is not an article: text: Value error, text is empty or only whitespace" in capsys.readouterr().err


def test_eval_prints_the_table_and_json(tmp_path, capsys):
    articles, labels = tmp_path / "articles.jsonl", tmp_path / "labels.jsonl"
    articles.write_text("\n".join(json.dumps(r) for r in [
        {"id": "d1", "title": None, "published": "2024-03-06", "url": None,
         "text": "A suicide bomber killed eight people at a police station in the city of Peshawar on Monday."},
        {"id": "d2", "title": None, "published": "2024-03-06", "url": None,
         "text": "A magnitude 6 earthquake killed 14 people in the mountains on Monday."},
    ]) + "\n", encoding="utf-8")
    labels.write_text("\n".join(json.dumps(r) for r in [
        {"id": "d1", "is_attack_report": True, "main": {
            "country": "PK", "admin1": "Khyber Pakhtunkhwa", "city": "Peshawar", "lat": 34.01, "lon": 71.58,
            "date": "2024-03-04", "killed": {"value": 8, "qualifier": "exact"}, "injured": None,
            "attackers": {"value": 1, "qualifier": "exact"}, "attackers_killed": None,
            "attack_types": ["bombing"], "suicide": True, "claimed": [], "suspected": [], "target_type": "police"},
         "background": []},
        {"id": "d2", "is_attack_report": False, "main": None, "background": []},
    ]) + "\n", encoding="utf-8")
    assert main(["eval", str(articles), str(labels)]) == 0
    table = capsys.readouterr().out
    assert "detection F1" in table and "killed exact" in table
    assert main(["eval", str(articles), str(labels), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["detection_f1"], summary["city"], summary["date"], summary["killed"]) == (1.0, 1.0, 1.0, 1.0)
