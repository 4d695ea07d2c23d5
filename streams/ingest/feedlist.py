"""The feeds to poll, from an OPML export (any feed reader) or a YAML file with per-feed settings."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import lxml.etree
import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from extractors.schema import stable_id
from streams.ingest.document import declares_entities, safe_xml_parser
from streams.ingest.urls import canonical_url, host_of

log = logging.getLogger(__name__)

DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


class FeedListError(ValueError):
    """The feeds file cannot be used; the message names the file and the entry."""


def parse_duration(value: float | int | str) -> float:
    """Seconds, from a number of seconds or a string such as "90", "15m", "2h"."""
    if isinstance(value, int | float):
        return float(value)
    match = DURATION.match(str(value))
    if not match:
        raise ValueError(f"not a duration: {value!r} (use seconds or a number with s, m, h or d)")
    return float(match.group(1)) * UNIT_SECONDS[match.group(2)]


class FeedConfig(BaseModel):
    """One feed and how to poll it; `interval` None means feeds.default_interval_seconds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str
    name: str | None = None
    interval: float | None = Field(default=None, gt=0)
    tags: tuple[str, ...] = ()
    full_text: bool = True
    enabled: bool = True
    language: str | None = None

    @field_validator("url")
    @classmethod
    def _http_url(cls, url: str) -> str:
        canonical_url(url)
        return url.strip()

    @field_validator("interval", mode="before")
    @classmethod
    def _duration(cls, value):
        return None if value is None else parse_duration(value)

    _id: str = PrivateAttr()
    _label: str = PrivateAttr()

    def model_post_init(self, context) -> None:
        # computed once: the poller asks for them on every poll and every article
        self._id = stable_id("feed", canonical_url(self.url))
        self._label = self.name or host_of(self.url)

    @property
    def id(self) -> str:
        """Stable across restarts and across spellings of the same address."""
        return self._id

    @property
    def label(self) -> str:
        return self._label


def load_feeds(path: Path) -> list[FeedConfig]:
    """Feeds from .opml/.xml or .yaml/.yml; repeated URLs are kept once."""
    if not path.exists():
        raise FeedListError(f"feeds file {path} does not exist: set NEWSWATCH_FEEDS_FILE or pass --feeds")
    suffix = path.suffix.lower()
    if suffix in (".opml", ".xml"):
        feeds = read_opml(path)
    elif suffix in (".yaml", ".yml"):
        feeds = read_yaml(path)
    else:
        raise FeedListError(f"feeds file {path}: use an .opml or a .yaml file")
    unique: dict[str, FeedConfig] = {}
    for feed in feeds:
        if feed.id in unique:
            log.warning("%s: feed %s is listed twice; polling it once", path, feed.url)
            continue
        unique[feed.id] = feed
    return list(unique.values())


def read_opml(path: Path) -> list[FeedConfig]:
    """Every outline with an xmlUrl; the titles of enclosing outlines (folders) become tags."""
    try:
        body = path.read_bytes()
        if declares_entities(body):
            raise FeedListError(f"feeds file {path} declares XML entities; remove the DOCTYPE")
        root = lxml.etree.fromstring(body, safe_xml_parser())
    except (lxml.etree.XMLSyntaxError, OSError) as error:
        raise FeedListError(f"feeds file {path} is not valid OPML: {error}") from error
    feeds = []
    for outline in root.iter("outline"):
        url = outline.get("xmlUrl")
        if not url:
            continue
        folders = [
            parent.get("text") or parent.get("title")
            for parent in outline.iterancestors("outline")
            if parent.get("text") or parent.get("title")
        ]
        try:
            feeds.append(
                FeedConfig(
                    url=url,
                    name=outline.get("title") or outline.get("text"),
                    tags=tuple(folder.strip().lower() for folder in reversed(folders)),
                    language=outline.get("language"),
                )
            )
        except ValidationError as error:
            raise FeedListError(f"feeds file {path}, line {outline.sourceline}: {_first_error(error)}") from error
    return feeds


def read_yaml(path: Path) -> list[FeedConfig]:
    """`defaults:` (any feed field) and `feeds:` (a list of mappings with at least `url`)."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise FeedListError(f"feeds file {path} is not valid YAML: {error}") from error
    if not isinstance(document, dict) or not isinstance(document.get("feeds"), list):
        raise FeedListError(f"feeds file {path}: expected a mapping with a `feeds:` list")
    defaults = document.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise FeedListError(f"feeds file {path}: `defaults:` must be a mapping of feed settings")
    feeds = []
    for number, entry in enumerate(document["feeds"], start=1):
        if isinstance(entry, str):
            entry = {"url": entry}
        if not isinstance(entry, dict):
            raise FeedListError(f"feeds file {path}, feed #{number}: expected a URL or a mapping with `url:`")
        try:
            feeds.append(FeedConfig.model_validate({**defaults, **entry}))
        except ValidationError as error:
            raise FeedListError(f"feeds file {path}, feed #{number} ({entry.get('url')}): {_first_error(error)}") from error
    return feeds


def _first_error(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    message = first["msg"].removeprefix("Value error, ")
    return f"{where}: {message}" if where else message
