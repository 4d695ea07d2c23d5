"""Invented incidents and watches for the alerting tests and benchmarks: the Quetta 2016 attack as the merge stage
would describe it, an invented attack read in French, and random text-query watches."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from extractors.schema import Count, Evidence, Incident, Location, Perpetrator, Region, Rule, Target, Title, Watch

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


NAMSIGUIA = (13.2136, -1.5403)
NAMSIGUIA_TITLE = "Burkina : une vingtaine de civils tués dans l'attaque du marché de Namsiguia"
NAMSIGUIA_LEAD = ("Une vingtaine de civils ont été tués et douze autres blessés samedi lorsque des hommes armés ont "
                  "ouvert le feu sur le marché hebdomadaire de Namsiguia, dans la province du Bam.")
NAMSIGUIA_FLIGHT = "Les assaillants, arrivés à moto, ont incendié des boutiques avant de se replier vers la brousse."


def namsiguia_incident(**changes) -> Incident:
    """An invented attack on a market in Burkina Faso, as merged from one French dispatch."""
    when = dt.datetime(2026, 3, 14, 9, 30, tzinfo=dt.timezone.utc)
    in_french = {"language": "fr", "char_start": 40, "char_end": 60}
    incident = Incident(
        id="namsiguia-2026",
        first_seen=when,
        last_updated=when,
        attack_types=["armed_assault"],
        date=dt.date(2026, 3, 14),
        location=Location(name="Namsiguia", city="Namsiguia", admin1="Centre-Nord", country="BF", lat=NAMSIGUIA[0],
                          lon=NAMSIGUIA[1], precision="city"),
        killed=Count(value=20, qualifier="about"),
        injured=Count(value=12),
        perpetrators=[Perpetrator(name="Jama'at Nusrat al-Islam wal-Muslimin", role="suspected", mentions=["GSIM"])],
        target=Target(type="civilians", text="Une vingtaine de civils", language="fr"),
        evidence=[Evidence(field="killed", sentence=NAMSIGUIA_LEAD, **in_french),
                  Evidence(field="location", sentence=NAMSIGUIA_LEAD, **in_french),
                  Evidence(field="attack_types", sentence=NAMSIGUIA_FLIGHT, **in_french)],
        titles=[Title(article_id="fr1", text=NAMSIGUIA_TITLE, language="fr")],
        source_urls=["https://depeches.example/burkina-namsiguia"],
        article_ids=["fr1"],
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
