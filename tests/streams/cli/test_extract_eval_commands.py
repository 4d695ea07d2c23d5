"""`newswatch extract` and `newswatch eval` from the command line."""

from __future__ import annotations

import json

import pytest

from streams.cli.main import main


def test_extract_file_prints_a_summary_or_json(seed_path, capsys):
    assert main(["extract", str(seed_path), "--published", "2016-10-25"]) == 0
    summary = capsys.readouterr().out
    assert "attack report: yes" in summary and "language: en" in summary
    assert "[main]" in summary and "Quetta, Balochistan, PK" in summary
    assert "killed:       at least 59" in summary
    assert summary.count("[background]") == 2

    assert main(["extract", str(seed_path), "--published", "2016-10-25", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["is_attack_report"] is True
    assert result["incidents"][0]["date"] == "2016-10-24"


def test_extract_says_an_article_in_another_language_was_not_read(tmp_path, capsys):
    turkish = tmp_path / "haber.txt"
    turkish.write_text("Pazar yerine silahlı saldırı\nSilahlı kişiler salı akşamı kentin merkezindeki pazar yerine saldırdı, "
                       "jandarmaya göre en az altı kişi hayatını kaybetti, on kişi yaralandı.", encoding="utf-8")
    assert main(["extract", str(turkish)]) == 0
    summary = capsys.readouterr().out
    assert "language: tr" in summary and "attack report: not read (language tr is not read yet)" in summary


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
    assert "in.jsonl:2: not valid JSON" in errors
    assert "in.jsonl:3: missing text" in errors
    assert "in.jsonl:5: published" in errors
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
    articles, labels = tmp_path / "dev-articles.jsonl", tmp_path / "dev-labels.jsonl"
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
    table = capsys.readouterr().out.splitlines()
    assert table[0].split()[:8] == ["part", "articles", "det", "F1", "country", "city", "date", "killed"]
    assert table[1].split()[:7] == ["all", "2", "1.0", "1.0", "1.0", "1.0", "1.0"]
    assert main(["eval", str(articles), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)["all"]
    assert (summary["detection_f1"], summary["city"], summary["date"], summary["killed"]) == (1.0, 1.0, 1.0, 1.0)


def _write_jsonl(path, records):
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")


def test_eval_reads_real_news_pairs_per_file_and_scores_merging(tmp_path, capsys):
    first = ("Gunmen opened fire on a bus station in the city of Peshawar on Monday, killing eight people and "
             "wounding 11, police said.")
    second = ("PESHAWAR, Pakistan - Eight people were killed and 11 wounded when gunmen attacked a bus station in "
              "Peshawar on Monday evening, a police spokesman said on Tuesday.")
    corpus = {"id": "", "url": None, "title": None, "published": "2024-03-05", "kind": "attack",
              "group": "peshawar-bus-station", "truncated": False}
    _write_jsonl(tmp_path / "pk-articles.jsonl", [{**corpus, "id": "p1", "text": first},
                                                  {**corpus, "id": "p2", "text": second}])
    label = {"kind": "attack", "group": "peshawar-bus-station", "incident_date": "2024-03-04", "country": "PK",
             "admin1": "Khyber Pakhtunkhwa", "city": "Peshawar", "lat": 34.01, "lon": 71.58,
             "attack_types": ["armed_assault"], "killed": 8, "killed_qualifier": None, "injured": 11,
             "injured_qualifier": None, "perpetrator_claimed": [], "perpetrator_suspected": []}
    _write_jsonl(tmp_path / "pk-labels.jsonl", [{**label, "id": "p1"}, {**label, "id": "p2"}])
    _write_jsonl(tmp_path / "neg-articles.jsonl", [{**corpus, "id": "n1", "kind": "negative", "group": None,
                                                    "text": "A magnitude 6 earthquake killed 14 people on Monday."}])
    _write_jsonl(tmp_path / "neg-labels.jsonl", [{"id": "n1", "kind": "negative", "why": "earthquake"}])

    assert main(["eval", str(tmp_path), "--replay", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report) == {"all", "pk", "neg", "clustering"}
    assert report["pk"]["articles"] == 2 and report["neg"]["articles"] == 1
    assert report["all"]["detection_f1"] == 1.0
    assert report["pk"]["city"] == report["pk"]["killed"] == report["pk"]["injured"] == 1.0
    assert report["pk"]["scored"]["claimed_group_recall"] == 0, "no claim labelled, none scored"
    assert report["clustering"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "groups": 1, "incidents": 1}

    assert main(["eval", str(tmp_path), "--parts", "neg"]) == 0
    assert [line.split()[0] for line in capsys.readouterr().out.splitlines()] == ["part", "all"]


def test_eval_says_which_file_is_missing(tmp_path, capsys):
    _write_jsonl(tmp_path / "x-articles.jsonl", [{"id": "a", "text": "Nothing happened."}])
    assert main(["eval", str(tmp_path / "x-articles.jsonl")]) == 2
    assert "x-labels.jsonl does not exist" in capsys.readouterr().err
    assert main(["eval", str(tmp_path / "x.jsonl")]) == 2
    assert "expected NAME-articles.jsonl" in capsys.readouterr().err
    assert main(["eval", str(tmp_path), "--parts", "y"]) == 2
    assert "no y-articles.jsonl" in capsys.readouterr().err
