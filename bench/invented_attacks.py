"""Invented attack reports, each about an incident of its own, a stream that mixes them with everyday filler, and
watches over the same towns.

bench/news_filler.py's mixed stream repeats the dev set's 68 attack stories, so a long run holds no more than
about 68 distinct incidents. Here every attack report is a new event: a town drawn from the gazetteer's most
populous places (over a hundred countries, so a few towns share a name with a bigger place elsewhere and
resolve there), a date along the stream's event time, its own tolls, attack type, target and group, written
in wire style from phrase lists varied enough that dedup does not take two reports for copies of each other.

A watches file over the same towns, for bench/bench_pipeline.py's memory run (--rss-watches):
    python bench/invented_attacks.py --watches 1000 > invented-watches.yaml
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import random
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from news_filler import filler_article  # noqa: E402

from extractors.gazetteer import GazetteerEntry, GazetteerIndex, name_key  # noqa: E402
from extractors.places import distance_km  # noqa: E402
from extractors.schema import Article, Region, Rule, Watch  # noqa: E402

TOWNS = 3000
SEPARATION_KM = 50
# Per attack type: the opening sentence (what happened, with the tolls), then sentences picked from the shared lists.
OPENINGS = {
    "bombing": [
        "A car bomb exploded near {target} in {town} {weekday}, killing {killed} people and wounding {injured}, {source} said.",
        "At least {killed} people were killed and {injured} wounded when a bomb went off outside {target} in {town} {weekday}, {source} said.",
        "A suicide bomber blew himself up at {target} in {town} {weekday}, killing {killed} people and injuring {injured} others, {source} said.",
        "A roadside bomb struck a convoy near {target} in {town} {weekday}, killing {killed} and wounding {injured}, according to {source}.",
    ],
    "armed_assault": [
        "Gunmen opened fire on {target} in {town} {weekday}, killing {killed} people and wounding {injured}, {source} said.",
        "Armed men stormed {target} in {town} {weekday} and shot dead {killed} people, {source} said; {injured} were wounded.",
        "Militants attacked {target} in {town} {weekday} with assault rifles, killing {killed} people and injuring {injured}, {source} said.",
    ],
    "kidnapping": [
        "Gunmen abducted {hostages} people from {target} in {town} {weekday} after killing {killed} guards, {source} said; {injured} were hurt.",
        "Armed men kidnapped {hostages} workers near {target} in {town} {weekday}, killing {killed} people who tried to resist, {source} said.",
    ],
}
TARGETS = ["a police station", "a crowded market", "a bus terminal", "a mosque", "a church", "an army checkpoint",
           "a government office", "a hotel", "a school", "a wedding party", "a district court", "a military base",
           "a fuel depot", "a hospital gate", "a checkpoint on the main highway", "a university campus",
           "the regional governor's compound", "a busy tea shop", "a cattle market", "a polling station"]
SOURCES = ["police", "local officials", "a police spokesman", "the provincial health department",
           "hospital officials", "the interior ministry", "a security official who asked not to be named",
           "the district administrator", "witnesses and police", "the army"]
CLAIMS = [
    "{group} claimed responsibility for the attack in a statement posted online.",
    "{group} said in a statement that its fighters had carried out the attack.",
    "Officials blamed {group}, which has carried out similar attacks in the region.",
    "No group immediately claimed responsibility, but security officials suspected {group}.",
    "Police said they suspected {group}, which is active in the area.",
]
GROUPS = ["Islamic State", "al-Shabaab", "Boko Haram", "Taliban", "Tehrik-i-Taliban Pakistan",
          "Balochistan Liberation Army", "al-Qaeda in the Arabian Peninsula", "Jama'at Nusrat al-Islam wal-Muslimin",
          "New People's Army", "Abu Sayyaf", "Kurdistan Workers' Party", "Houthis", "Hay'at Tahrir al-Sham",
          "Lashkar-e-Taiba", "Ansar al-Sharia"]
AFTERMATH = [
    "Ambulances took the wounded to {hospital}, where {critical} were in critical condition.",
    "Security forces sealed off the area and began a search for {accomplices}.",
    "Television footage showed {debris} scattered across the road outside.",
    "The {officer} said the death toll could rise as rescuers searched the rubble.",
    "Residents said they heard {shots} before the area fell silent.",
    "Schools and shops in {town} stayed closed on the following day as a precaution.",
    "The government condemned the attack and promised compensation to the families of the dead.",
    "It was the {ordinal} attack of its kind in the district this year, officials said.",
    "Hospitals in {town} appealed for blood donors as the wounded kept arriving.",
    "Investigators collected {evidence} from the scene, a police officer said.",
]
SLOTS = {
    "hospital": ["the district hospital", "a military hospital", "two nearby clinics", "the main city hospital"],
    "critical": ["several", "at least five", "a dozen", "three"],
    "accomplices": ["the attackers", "two suspects who fled on a motorcycle", "accomplices", "the gunmen's driver"],
    "debris": ["burned-out cars", "shattered glass", "twisted metal", "abandoned sandals and bags"],
    "officer": ["police chief", "provincial governor", "district commissioner", "rescue service spokesman"],
    "shots": ["a loud blast and gunfire", "several bursts of automatic fire", "two explosions", "screams and shooting"],
    "ordinal": ["second", "third", "fourth", "fifth", "sixth"],
    "evidence": ["bomb fragments", "spent cartridges", "a damaged motorcycle", "mobile phones and wires"],
}
HEADLINES = {
    "bombing": ["Bomb kills {killed} in {town}", "{killed} dead in {town} blast", "Blast at {short_target} in {town} kills {killed}"],
    "armed_assault": ["Gunmen kill {killed} in {town}", "{killed} shot dead in attack on {short_target} in {town}"],
    "kidnapping": ["Gunmen kidnap {hostages} in {town}, kill {killed}", "{hostages} abducted in {town} raid"],
}
WEEKDAYS = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "on Saturday", "on Sunday"]


@dataclass(frozen=True)
class InventedAttack:
    """What a generated report says, to check the extractor against it."""

    town: GazetteerEntry
    date: dt.date
    attack_type: str
    killed: int
    injured: int
    group: str


@functools.cache
def towns() -> tuple[GazetteerEntry, ...]:
    """The gazetteer's most populous places whose name is theirs alone (a name shared with another place or a
    common word would make the report about somewhere else), spelled in letters only, and at least
    SEPARATION_KM from a bigger one (the districts of one city would merge into one incident)."""
    gazetteer = GazetteerIndex.load()
    kept: list[GazetteerEntry] = []
    for town in gazetteer.largest_towns(TOWNS):
        key = name_key(town.name)
        alone = len(gazetteer.rows_named(key)) == 1 and key not in gazetteer.stop_keys
        if (alone and town.name.replace(" ", "").isalpha() and gazetteer.country(town.country)
                and all(distance_km(town.lat, town.lon, other.lat, other.lon) >= SEPARATION_KM for other in kept)):
            kept.append(town)
    return tuple(kept)


@functools.cache
def _country_name(code: str) -> str:
    return GazetteerIndex.load().country(code).name


def attack_article(rng: random.Random, article_id: str, published: dt.datetime) -> tuple[Article, InventedAttack]:
    """One invented wire report of an attack on the day before or the day of `published`, and what it says."""
    town = rng.choice(towns())
    days_before = rng.choice((0, 1))
    date = (published - dt.timedelta(days=days_before)).date()
    attack_type = rng.choice(sorted(OPENINGS))
    attack = InventedAttack(town, date, attack_type, killed=rng.randint(2, 60), injured=rng.randint(3, 120),
                            group=rng.choice(GROUPS))
    target = rng.choice(TARGETS)
    weekday = "on " + date.strftime("%A") if days_before else rng.choice(("on " + date.strftime("%A"), "today"))
    values = {"town": town.name, "target": target, "short_target": target.split()[-1], "weekday": weekday,
              "source": rng.choice(SOURCES), "killed": attack.killed, "injured": attack.injured,
              "hostages": rng.randint(4, 40), "group": attack.group}
    values |= {name: rng.choice(choices) for name, choices in SLOTS.items()}
    dateline = f"{town.name.upper()}, {_country_name(town.country)}, {date.strftime('%B')} {date.day} — "
    body = [rng.choice(OPENINGS[attack_type]), rng.choice(CLAIMS)] + rng.sample(AFTERMATH, rng.randint(2, 4))
    paragraphs = [dateline + body[0]] + [" ".join(body[start:start + 2]) for start in range(1, len(body), 2)]
    article = Article(id=article_id, url=f"https://wire.example-news.test/{article_id}",
                      title=rng.choice(HEADLINES[attack_type]).format(**values),
                      text="\n\n".join(paragraphs).format(**values), published=published, fetched_at=published,
                      source="invented-attacks")
    return article, attack


def attack_stream(size: int, attack_share: float = 0.1, event_days: float = 365, seed: int = 41,
                  end: dt.datetime | None = None, id_prefix: str = "") -> list[Article]:
    """`size` articles evenly spread over `event_days` of event time up to `end` (now: the worker takes no
    article time more than a day ahead of Kafka's clock), `attack_share` of them new attack reports, the rest
    filler from bench/news_filler.py."""
    rng = random.Random(seed)
    end = end or dt.datetime.now(dt.timezone.utc)
    step = dt.timedelta(days=event_days) / size
    stream = []
    for number in range(size):
        at = end - (size - number) * step
        if rng.random() < attack_share:
            stream.append(attack_article(rng, f"{id_prefix}attack-{number:06d}", at)[0])
        else:
            record = filler_article(rng, f"{id_prefix}fill-{number:06d}")
            stream.append(Article(id=record["id"], url=record["url"], canonical_url=record["url"], title=record["title"],
                                  text=record["text"], published=at, fetched_at=at, source=record["topic"]))
    return stream


def attack_watches(count: int, seed: int = 43) -> list[Watch]:
    """`count` watches over the invented attacks' towns, a fifth each: 1-2 of their countries, a town's admin1
    region, a 50-300 km circle around a town, a box around a town, anywhere; most with a toll minimum, some
    with an attack type, a group or a text query. Together they match most invented attacks, a few watches each."""
    rng = random.Random(seed)
    places = towns()
    countries = sorted({town.country for town in places})
    watches = []
    for number in range(count):
        town = rng.choice(places)
        kind = number % 5
        if kind == 0:
            region = Region(countries=rng.sample(countries, rng.randint(1, 2)))
        elif kind == 1:
            region = Region(admin1=[f"{town.country}/{town.admin1}"]) if town.admin1 else Region(countries=[town.country])
        elif kind == 2:
            region = Region(point=(town.lat, town.lon), radius_km=rng.randint(50, 300))
        elif kind == 3:
            span = rng.randint(10, 40) / 10
            region = Region(bbox=(round(town.lon - span, 4), round(town.lat - span, 4), round(town.lon + span, 4), round(town.lat + span, 4)))
        else:
            region = Region()
        anywhere = kind == 4  # the rare large attack of one type, so that these do not match every incident
        rule = Rule(min_killed=rng.randint(50, 60) if anywhere else rng.choice([0, 1, 5, 10, 20]),
                    attack_types=[rng.choice(sorted(OPENINGS))] if anywhere or rng.random() < 0.2 else [],
                    perpetrators=[rng.choice(GROUPS)] if rng.random() < 0.1 else [],
                    text_query=rng.choice(["market", "police OR army", "mosque OR church", "school -wedding"])
                    if rng.random() < 0.1 else None)
        watches.append(Watch(id=f"invented-{number}", name=f"invented watch {number}", region=region, rule=rule))
    return watches


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--watches", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=43)
    args = parser.parse_args()
    watches = attack_watches(args.watches, args.seed)
    print(yaml.safe_dump({"watches": [watch.model_dump(mode="json", exclude_defaults=True) for watch in watches]},
                         sort_keys=False), end="")


if __name__ == "__main__":
    main()
