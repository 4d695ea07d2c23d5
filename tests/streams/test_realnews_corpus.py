"""Regression guard on real news: no figure of ../shared/corpus/realnews may fall more than 0.02 below the tables
docs/extraction.md records (English parts, and French), and `newswatch eval` agrees with the corpus's own
scorer. Skipped without the corpus."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from streams.cli.commands.eval import labelled_files, score_files

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "realnews"
SCORER = SHARED / "tools" / "realnews_score.py"
RECORDED_IN = ROOT / "docs" / "extraction.md"
# The parts each recorded table covers, by the marker line above it.
TABLES = {"sa,af,ea,ng": "<!-- realnews-figures:", "fr": "<!-- realnews-figures-fr:"}
ALLOWED_DROP = 0.02
COLUMN_KEYS = {"det F1": "detection_f1", "country": "country", "city": "city", "date": "date", "killed": "killed",
               "injured": "injured", "claimed": "claimed_group_recall", "type": "attack_type_accuracy"}
SCORER_FIELDS = {"country": "country", "city": "city", "date": "date", "killed": "killed", "injured": "injured",
                 "claimed": "claimed_group_recall", "type": "attack_type_accuracy"}

# The scorer's alias table has no French group names ("État islamique"), so it counts every French claim wrong.
SCORER_BLIND = {"fr": {"claimed"}}

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no real-news corpus at {CORPUS}")


@pytest.fixture(scope="module", params=sorted(TABLES))
def parts(request):
    return request.param


@pytest.fixture(scope="module")
def report(parts):
    return score_files(labelled_files([CORPUS], parts), replay=True)


def recorded_figures(marker: str) -> dict[str, dict[str, float]]:
    """The markdown table after the marker line: part -> column -> figure ('-' cells are not recorded)."""
    lines = RECORDED_IN.read_text(encoding="utf-8").splitlines()
    start = next(number for number, line in enumerate(lines) if line.startswith(marker)) + 1
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    header, body = rows[0], rows[2:]
    return {row[0]: {column: float(cell) for column, cell in zip(header[1:], row[1:]) if cell != "-"} for row in body}


def part_report(report: dict, part: str) -> dict:
    """A part's scores; eval over a single file reports it as "all" only."""
    return report.get(part, report["all"])


def current_figure(report: dict, part: str, column: str) -> float:
    if column == "merging F1":
        return report["clustering"]["f1"]
    return part_report(report, part)[COLUMN_KEYS[column]]


def test_no_real_news_figure_drops_below_the_recorded_one(parts, report):
    recorded = recorded_figures(TABLES[parts])
    assert set(recorded) == {"all", *parts.split(",")}
    dropped = {}
    for part, figures in recorded.items():
        for column, figure in figures.items():
            if column == "reports":
                assert part_report(report, part)["articles"] == figure, f"{part}: the corpus changed; re-record the table"
                continue
            now = current_figure(report, part, column)
            if now < figure - ALLOWED_DROP:
                dropped[f"{part} {column}"] = (figure, now)
    assert not dropped, f"recorded -> now: {dropped}"


@pytest.mark.skipif(not SCORER.is_file() or not (ROOT / ".venv/bin/newswatch").exists(),
                    reason="needs the corpus's scorer and this checkout's .venv")
def test_eval_agrees_with_the_corpus_scorer(parts, report):
    run = subprocess.run([sys.executable, str(SCORER), "--checkout", str(ROOT), "--parts", parts, "--replay", "--json"],
                         capture_output=True, text=True, timeout=900, check=True)
    scorer = json.loads(run.stdout)
    for part in ("all", *parts.split(",")):
        ours = part_report(report, part)
        assert scorer[part]["detect"]["f1"] == ours["detection_f1"], part
        for field, key in SCORER_FIELDS.items():
            if scorer[part]["counts"][field] and field not in SCORER_BLIND.get(parts, ()):
                assert scorer[part]["accuracy"][field] == ours[key], (part, field)
    assert {k: scorer["clustering"][k] for k in ("precision", "recall", "f1")} == \
        {k: report["clustering"][k] for k in ("precision", "recall", "f1")}
