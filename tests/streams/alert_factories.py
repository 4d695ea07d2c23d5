"""Invented incidents and watches for the alerting tests and benchmarks: the Quetta 2016 attack as the merge stage
would describe it, and random text-query watches."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from extractors.schema import Count, Evidence, Incident, Location, Perpetrator, Region, Rule, Target, Watch

QUETTA = (30.1798, 66.9750)
WHEN = dt.datetime(2016, 10, 25, 3, 0, tzinfo=dt.timezone.utc)


def quetta_incident(**changes) -> Incident:
    incident = Incident(
        id="quetta-2016",
        first_seen=WHEN,
        last_updated=WHEN,
        attack_types=["armed_assault", "bombing"],
        suicide=True,
        date=WHEN.date(),
        location=Location(city="Quetta", admin1="Balochistan", country="PK", lat=QUETTA[0], lon=QUETTA[1], precision="city"),
        killed=Count(value=59, qualifier="at_least"),
        injured=Count(value=100, qualifier="more_than"),
        perpetrators=[
            Perpetrator(name="Islamic State", role="claimed", branch="Khorasan Province", mentions=["ISIS"]),
            Perpetrator(name="Lashkar-e-Jhangvi", role="suspected"),
        ],
        target=Target(type="police", text="police training college"),
        evidence=[Evidence(field="killed", sentence="Gunmen stormed a police training college in Quetta, killing at least 59 cadets.",
                           char_start=0, char_end=80)],
        source_urls=["https://news.example/quetta"],
        article_ids=["a1"],
    )
    return incident.model_copy(update=changes)


def located(lat: float, lon: float, **location) -> dict:
    """`location=` for quetta_incident: a city-level place elsewhere."""
    return {"location": Location(lat=lat, lon=lon, precision="city", **location)}


def text_query_watches(count: int, term: Callable[[], str], rng: random.Random) -> list[Watch]:
    """Watches anywhere whose text queries have one to three terms from `term`, some with OR or an exclusion."""
    watches = []
    for number in range(count):
        terms = [term() for _ in range(rng.randint(1, 3))]
        if len(terms) > 1 and rng.random() < 0.3:
            terms[-1] = f"{terms[-2]} OR {terms.pop()}"
        if rng.random() < 0.2:
            terms.append(f"-{term()}")
        watches.append(Watch(id=f"t{number}", name="text", region=Region(), rule=Rule(text_query=" ".join(terms))))
    return watches
