"""A tiny rule-based batch extractor for replay tests: the merge and dedup logic without loading spaCy.

It knows two towns, reads "killed N", dates the attack on the publication day, and reads a line
"Background: <town> <YYYY-MM>" as a background mention. An article starting with POISON makes it raise,
and one starting with CRASH ends the process it runs in (as a segfault or the OOM killer would).
"""

from __future__ import annotations

import os
import re

from extractors.schema import Article, Count, ExtractionResult, IncidentReport, Location

TOWNS = {
    "Quetta": Location(name="Quetta", city="Quetta", admin1="Balochistan", country="PK", lat=30.18, lon=67.0, precision="city"),
    "Peshawar": Location(name="Peshawar", city="Peshawar", admin1="Khyber Pakhtunkhwa", country="PK", lat=34.01,
                         lon=71.58, precision="city"),
}
KILLED = re.compile(r"\bkill(?:ed|ing) (?:at least )?(\d+)")
BACKGROUND = re.compile(r"^Background: (\w+) (\d{4})-(\d{2})$", re.MULTILINE)
POISON = "POISON"
CRASH = "CRASH"


calls: list[list[str]] = []  # the article ids of every batch, so tests can see which articles were extracted


def extract_batch(articles: list[Article]) -> list[ExtractionResult]:
    calls.append([article.id for article in articles])
    return [_extract(article) for article in articles]


def _extract(article: Article) -> ExtractionResult:
    if article.text.startswith(CRASH):
        os._exit(3)
    if article.text.startswith(POISON):
        raise RuntimeError(f"rule extractor cannot read article {article.id}")
    reports = []
    town = next((name for name in TOWNS if name in article.text.split("Background:")[0]), None)
    killed = KILLED.search(article.text)
    if town and killed:
        reports.append(IncidentReport(role="main", attack_types=["bombing"], location=TOWNS[town],
                                      date=article.published.date() if article.published else None, date_precision="day",
                                      killed=Count(value=int(killed.group(1)), qualifier="at_least")))
    for name, year, month in BACKGROUND.findall(article.text):
        reports.append(IncidentReport(role="background", attack_types=["bombing"], location=TOWNS[name],
                                      date=f"{year}-{month}-01", date_precision="month"))
    return ExtractionResult(id=article.id, is_attack_report=bool(reports), incidents=reports)
