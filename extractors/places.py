"""Place names in article text: a GeoNames gazetteer matched on capitalised tokens, resolved to one Location.

Pure string work with character offsets, so the spaCy pipeline can call it on whole articles or sentences
(spaCy often labels towns as ORG or misses them). The index itself is extractors.gazetteer.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from extractors.folding import fold
from extractors.gazetteer import DATA_DIR, GazetteerEntry, GazetteerIndex, PlaceKind, name_key
from extractors.place_words import PlaceWords, place_words
from extractors.schema import Location

SPECIFICITY: dict[str, int] = {"city": 0, "admin1": 1, "country": 2}
MAX_NAME_TOKENS = 6
MIN_KEY_LENGTH = 3
# Lower-case particles allowed inside a multi-word name ("Dera Ismail Khan", "Sar-e Pol", "Kafr ash Shaykh"),
# and French elided articles ("Côte d'Ivoire").
CONNECTORS = frozenset(
    "al el ad ar as an ash at az es ul e i de del di da do du dos das des la le les of and the y en sur am bin ibn d l"
    .split()
)
APOSTROPHES = ("'", "’")
ADMIN1_AFTER = re.compile(r"\s+(?:province|state|governorate|region|district|prefecture)\b", re.IGNORECASE)
PROVINCE_AFTER = re.compile(r"\s+(?:province|governorate|state|prefecture)\b", re.IGNORECASE)
CITY_AFTER = re.compile(r"\s+(?:city|town)\b", re.IGNORECASE)
# "Lashkar-e-Jhangvi", "Zia-ul-Haq", "Anwar ul-Haq": an Urdu/Persian particle joined by a hyphen makes a
# person's or organisation's name, not a town.
HYPHEN_PARTICLE_AFTER = re.compile(r"-(?:e|i|ul|ud|ur|us)-")
HYPHEN_PARTICLE_BEFORE = re.compile(r"\b(?:e|i|ul|ud|ur|us)-$")
# "Somalia-based group", "US-based monitor": an organisation's home, not a place the story is about.
HOME_AFTER = re.compile(r"-(?:based|born|headquartered|registered)\b", re.IGNORECASE)
ARABIC_ARTICLES = frozenset({"al", "el", "ad", "ar", "as", "an", "ash", "at", "az"})
CITY_POPULATION_OVER_REGION = 100_000
FIRST_NAME_TOWN_MAX_POPULATION = 100_000
FACILITY_WORDS = frozenset(
    """district province city town village county region state valley market bazaar road street highway police army
    airport airfield mosque church cathedral temple shrine university college school hospital camp base barracks
    garrison cantonment checkpoint bridge square hotel mall station prison jail stadium court high central port
    harbour harbor refinery dam area zone governorate municipality neighbourhood neighborhood junction gate park
    beach island lake river mountains hills forest sector agency division local lga tehsil upazila department
    commune prefecture subdistrict""".split()
)
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
GLUED_PREFIX = re.compile(r"[a-z]+(?=[A-Z]{3,}$)")  # "fnnfISLAMABAD": scraper junk glued to a dateline
# The day after a dateline's place, month first ("May 17, 2024") or day first ("14 mars", "le 1er mai 2025").
DATELINE_DAY = (r"(?:[A-Z][a-z]{2,8}\.?[ ]+\d{1,2}(?:,[ ]*\d{4})?"
                r"|(?:[a-z]{2,3}[ ]+)?\d{1,2}(?:er)?[ ]+[^\W\d_]{3,9}\.?(?:[ ]+\d{4})?)")
DATELINE = re.compile(
    r"""^[^\S\n]*(?:[a-z]{1,8}(?=[A-Z]{3}))?
    (?:(?P<caps>[A-Z][A-Z.'’-]+(?:[ ][A-Z][A-Z.'’-]+){0,3})(?:,[ ]+[A-Z][\w.]+(?:[ ][A-Z][\w.]+){0,2})?
      (?:,[ ]*DAY)?(?:[ ]*\([^)\n]{1,40}\)){0,2}[ ]*(?:[–—-]{1,2}|:(?=[ ]))
     |(?P<title>[A-Z][\w.'’-]+(?:[ ][A-Z][\w.'’-]+){0,3})(?:,[ ]+[A-Z][\w.]+(?:[ ][A-Z][\w.]+){0,2})?
      (?:(?:[ ]*\([^)\n]{1,40}\)){1,2}|,[ ]*DAY[ ]*(?:\([^)\n]{1,40}\))?)[ ]*[–—-]{1,2})""".replace("DAY", DATELINE_DAY),
    re.MULTILINE | re.VERBOSE,
)
DATELINE_SEARCH_CHARS = 600
# A line that is only a reporter's name and where they file from: "Musa Ilo, Maiduguri", "By Ada Eze, Abuja".
BYLINE_PLACE = re.compile(r"^[ ]*(?:By[ ]+)?[A-Z][a-z]+(?:[ ][A-Z][a-z'’-]+){1,2},[ ]+"
                          r"(?P<place>[A-Z][a-z'’-]+(?:[ ][A-Z][a-z'’-]+)?)[ ]*$", re.MULTILINE)
EARTH_RADIUS_KM = 6371.0088


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class PlaceMention:
    text: str
    start: int
    end: int
    kind: PlaceKind
    candidates: tuple[GazetteerEntry, ...]


class _Tokens:
    """The words of a text as character spans; keys and headline checks are computed only when a scan asks.
    An elided article joined by an apostrophe ("d'Arras", "l'Ituri") is a word of its own."""

    def __init__(self, text: str, elisions: frozenset[str] = frozenset()):
        self.text = text
        self.starts: list[int] = []
        self.ends: list[int] = []
        for match in WORD.finditer(text):
            start, end = match.span()
            if text.endswith(("'s", "’s"), start, end):
                end -= 2
            if text[end - 1].isupper() and not text[start].isupper():
                glued = GLUED_PREFIX.match(text, start, end)
                start = glued.end() if glued else start
            if elisions:
                apostrophe = next((i for i in range(start, end) if text[i] in APOSTROPHES), -1)
                if apostrophe > start and text[start:apostrophe].lower() in elisions:
                    self.starts.append(start)
                    self.ends.append(apostrophe)
                    start = apostrophe + 1
            if start < end:
                self.starts.append(start)
                self.ends.append(end)
        self._keys: dict[int, str] = {}
        self._headline_lines: dict[int, bool] = {}

    def __len__(self) -> int:
        return len(self.starts)

    def key(self, i: int) -> str:
        if i not in self._keys:
            surface = self.text[self.starts[i]:self.ends[i]]
            self._keys[i] = surface.lower().replace("'", "") if surface.isascii() else name_key(surface)
        return self._keys[i]

    def capitalised(self, i: int) -> bool:
        return self.text[self.starts[i]].isupper()

    def gap(self, i: int) -> str:
        """The characters between token i-1 and token i."""
        return self.text[self.ends[i - 1]:self.starts[i]]

    def in_headline(self, i: int) -> bool:
        """Whether token i sits on a Title Case line, where capitalised neighbours say nothing about names."""
        line_start = self.text.rfind("\n", 0, self.starts[i]) + 1
        if line_start not in self._headline_lines:
            line_end = self.text.find("\n", line_start)
            line = self.text[line_start:] if line_end < 0 else self.text[line_start:line_end]
            words = [w for w in WORD.findall(line) if len(w) > 3]
            capitalised = sum(w[0].isupper() for w in words)
            self._headline_lines[line_start] = len(words) >= 3 and capitalised >= 0.7 * len(words)
        return self._headline_lines[line_start]


def count_regions(mentions: Iterable[PlaceMention]) -> Counter[tuple[str, str]]:
    """(country, admin1 name) of the regions an article names: resolve's region_hint."""
    return Counter((e.country, e.name) for m in mentions if m.kind == "admin1" for e in m.candidates
                   if e.kind == "admin1")


class Gazetteer:
    """Finds place names in text with the GeoNames index and resolves them to one Location."""

    def __init__(self, index: GazetteerIndex):
        self.index = index
        self._exact_pattern = re.compile(
            "|".join(re.escape(a) for a in sorted(index.exact, key=len, reverse=True)) + r"(?!\w)"
        )

    @classmethod
    @cache
    def load(cls, data_dir: Path = DATA_DIR) -> Gazetteer:
        """Reads the shipped index once per process (about half a second)."""
        return cls(GazetteerIndex.load(data_dir))

    def lookup(self, name: str) -> tuple[GazetteerEntry, ...]:
        return self.index.lookup(name)

    def find_places(self, text: str, language: str = "en") -> list[PlaceMention]:
        """Countries, demonyms, admin1 regions and towns named in the text, in order, longest name first; read
        with the words of the text's language (extractors.place_words)."""
        words = place_words(language)
        tokens = _Tokens(text, words.elisions)
        mentions: list[PlaceMention] = []
        i = 0
        while i < len(tokens):
            mention = self._mention_at(tokens, i, words) if _may_start_name(tokens, i) else None
            if mention is None:
                i += 1
                continue
            mentions.append(mention)
            while i < len(tokens) and tokens.starts[i] < mention.end:
                i += 1
        for match in words.lowercase_demonyms.finditer(text):  # "soldats nigériens"
            positions = [p for p in self.index.rows_named(name_key(match.group())) if p >= 0]
            if positions:
                candidates = self.index.ranked(positions)
                mentions.append(PlaceMention(match.group(), match.start(), match.end(), "country", candidates))
        for match in self._exact_pattern.finditer(text):
            if match.start() and (text[match.start() - 1].isalnum() or text[match.start() - 1] == "."):
                continue  # inside a word or an abbreviation; checked here, as a lookbehind slows the scan
            if HOME_AFTER.match(text, match.end()):
                continue
            candidates = self.index.ranked(self.index.exact[match.group()])
            mentions.append(PlaceMention(match.group(), match.start(), match.end(), candidates[0].kind, candidates))
        return sorted(mentions, key=lambda m: m.start)

    def _mention_at(self, tokens: _Tokens, i: int, words: PlaceWords) -> PlaceMention | None:
        """The longest place name starting at token i."""
        spans = []
        key = ""
        for j in range(i, min(len(tokens), i + MAX_NAME_TOKENS)):
            if j > i and not _joinable(tokens, j):
                break
            key += tokens.key(j)
            if tokens.capitalised(j) and len(key) >= MIN_KEY_LENGTH and key in self.index:
                spans.append((j, key))
        text = tokens.text
        for j, key in reversed(spans):
            start, end = tokens.starts[i], tokens.ends[j]
            positions = self._plausible(tokens, i, j, key, words)
            if positions:
                candidates = self.index.ranked(positions)
                kind = self._kind(text, start, end, candidates, words)
                ordered = sorted(candidates, key=lambda e: e.kind != kind)
                return PlaceMention(text[start:end], start, end, kind, tuple(ordered))
        return None

    def _plausible(self, tokens: _Tokens, i: int, j: int, key: str, words: PlaceWords) -> list[int]:
        """The rows tokens i..j may stand for, after the rules against common words, people's names and
        organisations."""
        text, start, end = tokens.text, tokens.starts[i], tokens.ends[j]
        if key in self.index.stop_keys or key in words.stop_keys or _is_acronym(text[start:end]):
            return []
        if PROVINCE_AFTER.match(text, end) and not self._has_region_sense(key):
            return []  # "Khorasan Province" (a militant branch) is no town called Khorasan
        if HYPHEN_PARTICLE_AFTER.match(text, end) or HYPHEN_PARTICLE_BEFORE.search(text, max(0, start - 5), start):
            return []
        if HOME_AFTER.match(text, end):
            return []
        if (i > 0 and tokens.capitalised(i - 1) and tokens.gap(i) == " " and tokens.key(i - 1) not in words.openers
                and not tokens.in_headline(i)):
            return []  # "Nawaz Sharif", "John Kirby": a town name used as a surname
        found = self.index.rows_named(key)
        if key in words.common_keys and not words.licensing_before.search(text, max(0, start - 30), start):
            found = [p for p in found if self.index.kind(p if p >= 0 else ~p) == "C"]
        primary = [p for p in found if p >= 0]
        alternate = [~p for p in found if p < 0]
        if primary:
            # An alternate spelling beats a town's own name only for a much bigger place ('Bombay').
            largest_primary = max(self.index.population(p) for p in primary)
            alternate = [p for p in alternate if self.index.population(p) > 10 * largest_primary]
        rows = primary + alternate
        if rows and i == j and _followed_by_name(tokens, j) and all(
            self.index.kind(p) == "P" and self.index.population(p) < FIRST_NAME_TOWN_MAX_POPULATION for p in rows
        ):
            return []  # "Usman Khan", "Esther Wanjiru": a small town's name used as a first name
        return rows

    def _has_region_sense(self, key: str) -> bool:
        return any(self.index.kind(p if p >= 0 else ~p) in "AC" for p in self.index.rows_named(key))

    def _kind(self, text: str, start: int, end: int, candidates: tuple[GazetteerEntry, ...],
              words: PlaceWords) -> PlaceKind:
        """Which sense of an ambiguous name the text means: 'Niger state', 'Kandahar city', or the usual one."""
        kinds = {e.kind for e in candidates}
        window = text[max(0, start - 30):start]
        if "admin1" in kinds and (ADMIN1_AFTER.match(text, end) or words.admin1_before.search(window)):
            return "admin1"
        if "city" in kinds and (CITY_AFTER.match(text, end) or words.town_before.search(window)):
            return "city"
        if "country" in kinds:
            return "country"
        if "city" in kinds and "admin1" in kinds:
            # A region named after its capital ("Kandahar") or a big city ("Washington") means the city;
            # a region that only shares its name with some village ("Borno") means the region.
            regions = {(e.country, e.name) for e in candidates if e.kind == "admin1"}
            cities = [e for e in candidates if e.kind == "city"]
            if not any((e.country, e.admin1) in regions or e.population >= CITY_POPULATION_OVER_REGION for e in cities):
                return "admin1"
        return "city" if "city" in kinds else "admin1"

    def resolve(self, mentions: list[PlaceMention], country_hint: Counter[str] | None = None,
                region_hint: Counter[tuple[str, str]] | None = None) -> Location:
        """The most specific place among the mentions (earlier mentions win ties), each read in the sense that
        best fits the countries and regions named with it, then those named in the whole article
        (`count_countries`, `count_regions` of all its mentions), then population."""
        if not mentions:
            return Location()
        hint = country_hint or Counter()
        strongest_hint = max(hint.values(), default=0)
        regions = region_hint or Counter()
        strongest_region = max(regions.values(), default=0)
        named_countries = [(m, m.candidates[0].country) for m in mentions if m.kind == "country"]
        named_regions = [(m, (c.country, c.name)) for m in mentions if m.kind == "admin1" for c in m.candidates
                         if c.kind == "admin1"]

        def fit(entry: GazetteerEntry, mention: PlaceMention) -> float:
            score = math.log10(entry.population + 10) / 10
            if strongest_hint:
                score += 2 * hint[entry.country] / strongest_hint
            score += 3 * any(c == entry.country for m, c in named_countries if m is not mention)
            region = (entry.country, entry.admin1)
            score += 1.5 * (entry.kind == "city" and any(r == region for m, r in named_regions if m is not mention))
            if strongest_region and entry.kind == "city":
                score += regions[region] / strongest_region
            score -= 1.0 * (entry.kind != mention.kind)
            return score

        readings = [max(m.candidates, key=lambda e: fit(e, m)) for m in mentions if m.candidates]
        if not readings:
            return Location()
        best = min(readings, key=lambda e: SPECIFICITY[e.kind])
        return to_location(best)


def to_location(entry: GazetteerEntry) -> Location:
    """Names in plain Latin letters ('Kandahar', not 'Kandahār'), as English-language news writes them."""
    name = fold(entry.name)
    return Location(
        name=name,
        city=name if entry.kind == "city" else None,
        admin1=name if entry.kind == "admin1" else entry.admin1,
        country=entry.country,
        lat=round(entry.lat, 4),
        lon=round(entry.lon, 4),
        precision=entry.kind,
        gazetteer_id=f"geonames:{entry.geonameid}",
    )


def count_countries(mentions: Iterable[PlaceMention]) -> Counter[str]:
    """The countries an article names, directly (weight 2) or through unambiguous places: resolve's country_hint."""
    counts: Counter[str] = Counter()
    for mention in mentions:
        countries = {e.country for e in mention.candidates if e.kind == mention.kind}
        if len(countries) == 1:
            counts[countries.pop()] += 2 if mention.kind == "country" else 1
    return counts


def _may_start_name(tokens: _Tokens, i: int) -> bool:
    """Names start capitalised, or with an Arabic article joined by a hyphen ('al-Arish')."""
    if tokens.capitalised(i):
        return True
    return (i + 1 < len(tokens) and tokens.gap(i + 1) == "-" and tokens.capitalised(i + 1)
            and tokens.key(i) in ARABIC_ARTICLES)


def _followed_by_name(tokens: _Tokens, j: int) -> bool:
    """Token j is followed, after one space, by a capitalised word that is not a facility or a region noun
    ("Quetta Police", "Mastung District" keep their place; "Usman Khan" is a person)."""
    following = j + 1
    return (following < len(tokens) and tokens.gap(following) == " " and tokens.capitalised(following)
            and tokens.key(following) not in FACILITY_WORDS and not tokens.in_headline(following))


def _is_acronym(surface: str) -> bool:
    """'ISIS', 'NATO', 'TTP': short all-capital words are organisations, not towns (datelines lose 'GAZA')."""
    return len(surface) <= 4 and surface.isupper()


def _joinable(tokens: _Tokens, j: int) -> bool:
    """Whether token j continues the name before it: a space or hyphen between (or an abbreviation's dot,
    'St. Louis'), and a capitalised word or a particle ('Dera Ismail Khan', 'Sar-e Pol')."""
    gap = tokens.gap(j)
    elided = gap in APOSTROPHES and tokens.key(j - 1) in CONNECTORS  # "Côte d'Ivoire"
    abbreviation = gap in (". ", ".") and tokens.ends[j - 1] - tokens.starts[j - 1] <= 3  # "St. Louis"
    if gap not in (" ", "-") and not elided and not abbreviation:
        return False
    return tokens.capitalised(j) or tokens.key(j) in CONNECTORS


def dateline_span(text: str) -> tuple[int, int] | None:
    """The dateline opening the article body ('ISLAMABAD –', 'NAIROBI, Kenya (AP) —', 'Kirkuk (Iraq) (AFP) -'), from
    its place name to the dash, so the caller can keep the filing city out of the attack location; failing one,
    the place of a byline line ('Musa Ilo, Maiduguri'), which is the reporter's too. Looks only at the first
    lines."""
    for match in DATELINE.finditer(text, 0, DATELINE_SEARCH_CHARS):
        name = match.group("caps") or match.group("title")
        if match.group("caps") and sum(ch.isalpha() for ch in name) < 3:
            continue
        return match.start("caps") if match.group("caps") else match.start("title"), match.end()
    byline = BYLINE_PLACE.search(text, 0, DATELINE_SEARCH_CHARS)
    return byline.span("place") if byline else None
