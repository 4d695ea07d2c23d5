"""The place index: GeoNames countries, admin1 regions and cities of 1000+ people, looked up by name key.

Loaded from the files in extractors/data (built offline by extractors.gazetteer_build, plus hand-kept aliases and
stop lists). extractors.places reads text with it.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Literal

from extractors.folding import fold

DATA_DIR = Path(__file__).parent / "data"
PlaceKind = Literal["city", "admin1", "country"]
KINDS: dict[str, PlaceKind] = {"P": "city", "A": "admin1", "C": "country"}
EXACT_ALIAS = re.compile(r"[A-Z](?:\.?[A-Z])+\.?")  # "US", "U.S.": matched only as written


def name_key(name: str) -> str:
    """The lookup key of a name: folded, lower case, letters and digits only ('Lashkar Gah' == 'Lashkargah')."""
    return "".join(ch for ch in fold(name).casefold() if ch.isalnum())


@dataclass(frozen=True)
class GazetteerEntry:
    geonameid: str
    name: str
    kind: str
    country: str
    admin1: str | None
    lat: float
    lon: float
    population: int


def _read_table(path: Path) -> list[list[str]]:
    """A hand-kept data file: tab-separated columns, '#' comments and blank lines skipped."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


def _add(index: dict[str, int | list[int]], key: str, position: int) -> None:
    """Adds a row number to a key; most keys name one place, so a lone int saves a list per key."""
    existing = index.get(key)
    if existing is None:
        index[key] = position
    elif isinstance(existing, list):
        existing.append(position)
    else:
        index[key] = [existing, position]


def _add_aliases(index: dict[str, int | list[int]], rows: _Rows, path: Path) -> dict[str, list[int]]:
    """Adds the hand-kept aliases and demonyms to the index; returns the aliases matched only as written."""
    regions = {(fields[0], fields[2], fields[4]): position for position, fields in rows.regions()}
    exact: dict[str, list[int]] = {}
    for kind, country, name, aliases in _read_table(path):
        position = regions.get(("A" if kind == "admin1" else "C", country, name))
        if position is None:
            raise ValueError(f"{path.name} names {kind} {name!r} in {country}, which the gazetteer lacks; "
                             "fix the name or rebuild with python -m extractors.gazetteer_build")
        for alias in aliases.split("|"):
            if EXACT_ALIAS.fullmatch(alias):
                exact.setdefault(alias, []).append(position)
                continue
            spellings = [alias]
            if kind == "demonym" and not alias.endswith(("ese", "sh", "ch", "s", "x", "z")):
                spellings.append(alias + "s")
            for key in map(name_key, spellings):
                _add(index, key, position)
    return exact


def _as_list(positions: int | list[int]) -> list[int]:
    return positions if isinstance(positions, list) else [positions]


class _Rows:
    """The shipped gazetteer file kept as one bytes object and decoded a row at a time: far smaller than a
    Python object per place. Countries and admin1 regions come first, then cities by population."""

    def __init__(self, raw: bytes):
        self._raw = raw
        self._offsets = array("I")

    @classmethod
    def read(cls, path: Path) -> tuple[_Rows, dict[str, int | list[int]]]:
        """The rows and the index from name key to row numbers (~row for a city's alternate names)."""
        rows = cls(path.read_bytes())
        index: dict[str, int | list[int]] = {}
        offset = 0
        for line in rows._raw.split(b"\n"):
            if line and not line.startswith(b"#"):
                position = len(rows._offsets)
                rows._offsets.append(offset)
                keys = line[line.rindex(b"\t") + 1:].decode("utf-8").split("|")
                _add(index, keys[0], position)
                for key in keys[1:]:
                    _add(index, key, ~position)
            offset += len(line) + 1
        return rows, index

    def fields(self, position: int) -> list[str]:
        start = self._offsets[position]
        return self._raw[start:self._raw.index(b"\n", start)].decode("utf-8").split("\t")

    def kind(self, position: int) -> str:
        return chr(self._raw[self._offsets[position]])

    def regions(self) -> Iterator[tuple[int, list[str]]]:
        """Country and admin1 rows with their row numbers."""
        for position in range(len(self._offsets)):
            if self.kind(position) == "P":
                return
            yield position, self.fields(position)


class GazetteerIndex:
    """Name keys to gazetteer rows, with the hand-kept aliases and stop names (the names that are also common
    words of a language are that language's: extractors.place_words)."""

    def __init__(self, rows: _Rows, keys: dict[str, int | list[int]], exact: dict[str, list[int]],
                 stop_keys: frozenset[str], capitals: dict[str, str] | None = None):
        self._rows = rows
        self._keys = keys
        self.exact = exact
        self.stop_keys = stop_keys
        self._capitals = capitals or {}
        self._admin1_names = {fields[1]: fields[4] for _, fields in rows.regions() if fields[0] == "A"}
        self._countries = {fields[2]: position for position, fields in rows.regions() if fields[0] == "C"}

    @classmethod
    def load(cls, data_dir: Path = DATA_DIR) -> GazetteerIndex:
        rows, keys = _Rows.read(data_dir / "gazetteer.tsv")
        exact = _add_aliases(keys, rows, data_dir / "place_aliases.tsv")
        stop_keys = frozenset(name_key(line[0]) for line in _read_table(data_dir / "place_stopnames.txt"))
        capitals = dict(_read_table(data_dir / "country_capitals.tsv"))
        return cls(rows, keys, exact, stop_keys, capitals)

    def __contains__(self, key: str) -> bool:
        return key in self._keys

    def rows_named(self, key: str) -> list[int]:
        """Row numbers for a key: ~row (negative) where the key is a city's alternate name, not its own."""
        return _as_list(self._keys.get(key, []))

    def kind(self, position: int) -> str:
        """'C', 'A' or 'P' (country, admin1 region, populated place)."""
        return self._rows.kind(position)

    def population(self, position: int) -> int:
        return int(self._rows.fields(position)[7])

    def entry(self, position: int) -> GazetteerEntry:
        kind, geonameid, country, admin1, name, lat, lon, population, _ = self._rows.fields(position)
        return GazetteerEntry(geonameid, name, KINDS[kind], country, self._admin1_names.get(admin1),
                              float(lat), float(lon), int(population))

    def ranked(self, positions: Iterable[int]) -> tuple[GazetteerEntry, ...]:
        """The entries, most populous first."""
        return tuple(sorted({self.entry(p) for p in positions}, key=lambda e: -e.population))

    def country(self, code: str) -> GazetteerEntry | None:
        """The country with this ISO 3166-1 alpha-2 code."""
        position = self._countries.get(code)
        return self.entry(position) if position is not None else None

    def capital(self, country: str) -> GazetteerEntry | None:
        """The country's capital city (the most populous town of that name in the country)."""
        name = self._capitals.get(country)
        towns = [p for p in self.rows_named(name_key(name)) if p >= 0 and self.kind(p) == "P"] if name else []
        return next((e for e in self.ranked(towns) if e.country == country), None)

    def largest_towns(self, count: int) -> list[GazetteerEntry]:
        """The `count` most populous places (cities are stored by population), e.g. for invented test data."""
        towns = (p for p in range(len(self._rows._offsets)) if self.kind(p) == "P")
        return [self.entry(p) for p in islice(towns, count)]

    def lookup(self, name: str) -> tuple[GazetteerEntry, ...]:
        """Every entry a name may refer to, most populous first (for tests and debugging)."""
        positions = self.exact.get(name) or self.rows_named(name_key(name))
        return self.ranked(p if p >= 0 else ~p for p in positions)
