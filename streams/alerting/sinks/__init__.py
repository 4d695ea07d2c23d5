"""Alert sinks by name: adding a channel is one module, one line in SINK_TYPES, one test file.

Options are checked when the worker starts (missing, unknown or mistyped options, templates with typos,
watches that name a sink nobody configured), not when the first alert fails to go out. Besides its own
options, every sink takes `concurrency` and `max_pending`, the bounds of its lane in the Dispatcher.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Iterable, Mapping
from typing import Any, get_type_hints

from pydantic import ConfigDict, ValidationError, create_model

from extractors.schema import Alert, Watch
from streams.alerting.sinks.base import DeadLetterWriter, Sink, SinkConfigError
from streams.alerting.sinks.email import EmailSink
from streams.alerting.sinks.kafka import KafkaSink
from streams.alerting.sinks.lane import SinkLane
from streams.alerting.sinks.log import LogSink
from streams.alerting.sinks.slack import SlackSink
from streams.alerting.sinks.webhook import WebhookSink

SINK_TYPES: dict[str, type[Sink]] = {cls.name: cls for cls in (LogSink, WebhookSink, SlackSink, EmailSink, KafkaSink)}
INJECTED = frozenset({"dead_letter", "clock"})  # supplied by code, never by configuration
LANE_OPTIONS = {"concurrency": (int, Sink.concurrency), "max_pending": (int, Sink.max_pending)}
CLOSE_WAIT_SECONDS = 30.0

log = logging.getLogger(__name__)


def build_sinks(configured: Mapping[str, Mapping[str, Any]], injected: Mapping[str, Any]) -> dict[str, Sink]:
    """Sinks by configured name (`type` defaults to the name); `injected` holds code-supplied arguments such as dead_letter."""
    sinks: dict[str, Sink] = {}
    for name, given in {"log": {}, **configured}.items():
        options = {key: value for key, value in given.items() if value is not None}
        kind = options.pop("type", None) or name
        cls = SINK_TYPES.get(kind)
        if cls is None:
            raise SinkConfigError(f"sink {name!r}: unknown type {kind!r}; set its type to one of {', '.join(SINK_TYPES)}")
        missing = sorted(cls.required - options.keys())
        if missing:
            variables = ", ".join(f"NEWSWATCH_ALERTING__SINKS__{name.upper()}__{option.upper()}" for option in missing)
            raise SinkConfigError(f"sink {name!r} ({kind}) needs {', '.join(missing)}: set {variables}")
        checked = _checked_options(cls, name, options)
        lane = {key: checked.pop(key) for key in LANE_OPTIONS if key in checked}
        accepted = _parameters(cls)
        checked.update({key: value for key, value in injected.items() if key in accepted})
        try:
            sink = cls(**checked)
        except ValueError as error:
            raise SinkConfigError(f"sink {name!r} ({kind}): {error}") from error
        sink.label = name
        for key, value in lane.items():
            setattr(sink, key, value)
        sinks[name] = sink
    return sinks


def build_dispatcher(alerting, dead_letter: DeadLetterWriter, alerts_topic: tuple[str, str] | None = None) -> Dispatcher:
    """The sinks of Settings.alerting. `alerts_topic` (bootstrap servers, topic) is the pipeline's own alerts topic,
    which the alerts are delivered from: a kafka sink that publishes there is refused."""
    configured = {name: {**dict(sink), **(sink.model_extra or {})} for name, sink in alerting.sinks.items()}
    sinks = build_sinks(configured, {"dead_letter": dead_letter})
    if alerts_topic is not None:
        looping = [name for name, sink in sinks.items() if isinstance(sink, KafkaSink) and sink.publishes_to(*alerts_topic)]
        if looping:
            raise SinkConfigError(
                f"sink {looping[0]!r} (kafka) publishes to {alerts_topic[1]}, the alerts topic the worker delivers "
                "from: every alert would be delivered again, for ever. That topic already carries every alert; "
                "name another topic or cluster, or remove the sink."
            )
    return Dispatcher(sinks, dead_letter)


def check_watch_sinks(watches: Iterable[Watch], sinks: Mapping[str, Sink]) -> None:
    unknown = {f"{watch.id} -> {name}" for watch in watches for name in watch.sinks if name not in sinks}
    if unknown:
        raise SinkConfigError(
            f"watches name sinks that are not configured ({', '.join(sorted(unknown))}); configured: {', '.join(sinks)}. "
            "Configure them under alerting.sinks or change the watches."
        )


class Dispatcher:
    """Delivers each alert to the sinks its watch names, concurrently, each sink through its own lane (a bounded
    number of sends at once and a bounded backlog); each sink retries, breaks its circuit and dead-letters on
    its own, so a slow or failing sink never holds up the alerts of another."""

    def __init__(self, sinks: Mapping[str, Sink], dead_letter: DeadLetterWriter,
                 close_wait_seconds: float = CLOSE_WAIT_SECONDS):
        self.sinks = dict(sinks)
        self.lanes = {name: SinkLane(sink, dead_letter) for name, sink in self.sinks.items()}
        self.dead_letter = dead_letter
        self.close_wait_seconds = close_wait_seconds
        self._under_way = 0
        self._idle = asyncio.Event()
        self._idle.set()

    @property
    def capacity(self) -> int:
        """How many alerts may be under way at once so that one sink's full backlog leaves room for the others."""
        return sum(lane.max_pending for lane in self.lanes.values())

    def check(self, watches: Iterable[Watch]) -> None:
        """Call at start-up: refuses watches that name sinks nobody configured."""
        check_watch_sinks(watches, self.sinks)

    async def start(self) -> None:
        await asyncio.gather(*(sink.start() for sink in self.sinks.values()))

    async def close(self) -> None:
        """Waits up to `close_wait_seconds` for deliveries still under way, then closes the sinks."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout=self.close_wait_seconds)
        except asyncio.TimeoutError:
            log.warning("closing the sinks with %d deliveries still under way", self._under_way)
        await asyncio.gather(*(sink.close() for sink in self.sinks.values()))

    async def deliver(self, watch: Watch, alert: Alert) -> list[str]:
        """Send to every sink the watch names; returns once each has delivered or dead-lettered the alert, with
        the names of those that delivered it (none: it is only in the dead letters)."""
        self._under_way += 1
        self._idle.clear()
        try:
            names = list(dict.fromkeys(watch.sinks))
            unknown = [name for name in names if name not in self.sinks]
            if unknown:
                await self.dead_letter("sink", f"watch {watch.id!r} names unconfigured sink(s) {unknown}",
                                       alert.model_dump(mode="json"))
            known = [name for name in names if name in self.sinks]
            delivered = await asyncio.gather(*(self.lanes[name].send(alert) for name in known))
            return [name for name, done in zip(known, delivered) if done]
        finally:
            self._under_way -= 1
            if not self._under_way:
                self._idle.set()


def _parameters(cls: type[Sink]) -> dict[str, tuple[Any, Any]]:
    """Every keyword the class and its bases accept, with its type and default (the sink's own signature is the schema)."""
    parameters: dict[str, tuple[Any, Any]] = {}
    for klass in reversed(cls.__mro__):
        init = klass.__dict__.get("__init__")
        if init is None or klass is object:
            continue
        hints = get_type_hints(init)
        for parameter in inspect.signature(init).parameters.values():
            if parameter.name == "self" or parameter.kind in (parameter.VAR_KEYWORD, parameter.VAR_POSITIONAL):
                continue
            default = ... if parameter.default is parameter.empty else parameter.default
            parameters[parameter.name] = (hints.get(parameter.name, Any), default)
    return parameters


def _checked_options(cls: type[Sink], name: str, options: dict[str, Any]) -> dict[str, Any]:
    fields = {key: spec for key, spec in _parameters(cls).items() if key not in INJECTED} | LANE_OPTIONS
    unknown = sorted(options.keys() - fields.keys())
    if unknown:
        raise SinkConfigError(f"sink {name!r} ({cls.name}) has unknown option(s) {unknown}; it accepts {', '.join(sorted(fields))}")
    model = create_model(f"{cls.__name__}Options", __config__=ConfigDict(arbitrary_types_allowed=True), **fields)
    try:
        validated = model.model_validate(options)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise SinkConfigError(f"sink {name!r} ({cls.name}): {problems}") from error
    return {key: getattr(validated, key) for key in options}
