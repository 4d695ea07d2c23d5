"""Watches from YAML: every watch validated and prepared at load, all problems reported at once."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from extractors.schema import Watch
from streams.watches.errors import WatchError
from streams.watches.prepared import prepare


def load_watches(path: Path) -> list[Watch]:
    """Every watch in a YAML file (a list, or a mapping with a `watches:` list); all problems reported at once."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise WatchError(f"cannot read watches from {path}: {error}") from error
    return parse_watches(data, source=str(path))


def parse_watches(data: object, source: str) -> list[Watch]:
    items = data.get("watches") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise WatchError(f"{source}: expected a list of watches (or `watches:` followed by a list)")
    watches: list[Watch] = []
    errors: list[str] = []
    seen: set[str] = set()
    for number, item in enumerate(items, start=1):
        label = f"watch #{number}"
        if isinstance(item, dict) and item.get("id"):
            label += f" ({item['id']!r})"
        try:
            watch = Watch.model_validate(item)
            prepare(watch)
        except ValidationError as error:
            errors += [f"{source}: {label}: {_dotted(e['loc'])}: {e['msg']}" for e in error.errors()]
            continue
        except WatchError as error:
            errors.append(f"{source}: {label}: {error}")
            continue
        if watch.id in seen:
            errors.append(f"{source}: {label}: id is used by an earlier watch; ids must be unique")
        seen.add(watch.id)
        watches.append(watch)
    if errors:
        raise WatchError("\n".join(errors))
    return watches


def _dotted(location: tuple) -> str:
    return ".".join(str(part) for part in location) or "(watch)"
