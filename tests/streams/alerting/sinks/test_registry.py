import asyncio
import logging

import pytest

from extractors.schema import Region, Watch
from streams.alerting.sinks import SINK_TYPES, Dispatcher, build_dispatcher, build_sinks, check_watch_sinks
from streams.alerting.sinks.base import Sink, SinkConfigError
from streams.alerting.sinks.kafka import KafkaSink
from streams.alerting.sinks.log import LogSink
from streams.settings import Settings
from tests.streams.alerting.sinks.receivers import DeadLetters, http_receiver
from tests.streams.alerting.sinks.sample import sample_alert


def test_every_sink_type_declares_a_name_and_required_options():
    assert set(SINK_TYPES) == {"log", "webhook", "slack", "email", "kafka"}
    for name, cls in SINK_TYPES.items():
        assert cls.name == name and issubclass(cls, Sink) and isinstance(cls.required, frozenset)


def test_log_is_always_available():
    sinks = build_sinks({}, {"dead_letter": DeadLetters()})
    assert list(sinks) == ["log"] and isinstance(sinks["log"], LogSink)


@pytest.mark.parametrize(
    ("configured", "message"),
    [
        ({"pager": {}}, "sink 'pager': unknown type 'pager'; set its type to one of log, webhook"),
        ({"ops": {"type": "slack"}}, "sink 'ops' (slack) needs url: set NEWSWATCH_ALERTING__SINKS__OPS__URL"),
        ({"log": {"colour": "red"}}, "sink 'log' (log) has unknown option(s) ['colour']; it accepts concurrency, level, logger, max_pending, text_template"),
        ({"log": {"level": "LOUD"}}, "sink 'log' (log): level 'LOUD' is not a logging level"),
        ({"log": {"text_template": "{headlines}"}}, "sink 'log' (log): template '{headlines}' uses unknown field(s) ['headlines']"),
        ({"hook": {"type": "webhook", "url": "http://x", "secret": "s", "max_attempts": 0}}, "max_attempts must be >= 1"),
        ({"hook": {"type": "webhook", "url": "http://x", "secret": "s", "breaker_failures": 0}}, "breaker_failures must be >= 1"),
        ({"log": {"max_pending": "many"}}, "sink 'log' (log): max_pending: Input should be a valid integer"),
    ],
)
def test_bad_configuration_fails_at_start_up_naming_the_sink(configured, message):
    with pytest.raises(SinkConfigError) as error:
        build_sinks(configured, {"dead_letter": DeadLetters()})
    assert message in str(error.value)


def test_lane_bounds_are_checked_at_start_up():
    settings = Settings(alerting={"sinks": {"log": {"concurrency": 4, "max_pending": 2}}})
    with pytest.raises(SinkConfigError, match="sink 'log': concurrency must be >= 1 and max_pending >= concurrency"):
        build_dispatcher(settings.alerting, DeadLetters())


def test_settings_from_the_environment_reach_the_sinks(monkeypatch):
    monkeypatch.setenv("NEWSWATCH_ALERTING__SINKS__OPS__TYPE", "webhook")
    monkeypatch.setenv("NEWSWATCH_ALERTING__SINKS__OPS__URL", "http://127.0.0.1:9/hook")
    monkeypatch.setenv("NEWSWATCH_ALERTING__SINKS__OPS__SECRET", "from-env")
    monkeypatch.setenv("NEWSWATCH_ALERTING__SINKS__OPS__MAX_ATTEMPTS", "2")
    monkeypatch.setenv("NEWSWATCH_ALERTING__SINKS__BUS__TYPE", "kafka")
    monkeypatch.setenv("NEWSWATCH_ALERTING__SINKS__BUS__BOOTSTRAP_SERVERS", "127.0.0.1:19092")
    monkeypatch.setenv("NEWSWATCH_ALERTING__SINKS__BUS__TOPIC", "team.alerts")
    settings = Settings()
    assert "from-env" not in repr(settings.alerting)
    sinks = build_dispatcher(settings.alerting, DeadLetters()).sinks
    assert sinks["ops"].secret.get_secret_value() == "from-env" and sinks["ops"].max_attempts == 2
    assert isinstance(sinks["bus"], KafkaSink) and (sinks["bus"].bootstrap_servers, sinks["bus"].topic) == ("127.0.0.1:19092", "team.alerts")


def test_a_kafka_sink_needs_a_broker_and_topic():
    # The docs once said that in the worker it published to the alerts topic; it never did.
    with pytest.raises(SinkConfigError, match="sink 'kafka' \\(kafka\\) needs bootstrap_servers, topic"):
        build_sinks({"kafka": {}}, {"dead_letter": DeadLetters()})


def test_a_kafka_sink_on_the_pipelines_own_alerts_topic_is_refused():
    sinks = {"bus": {"type": "kafka", "bootstrap_servers": "127.0.0.1:9092", "topic": "newswatch.alerts"}}
    alerting = Settings(alerting={"sinks": sinks}).alerting
    with pytest.raises(SinkConfigError, match="sink 'bus' \\(kafka\\) publishes to newswatch.alerts, the alerts topic"):
        build_dispatcher(alerting, DeadLetters(), alerts_topic=("127.0.0.1:9092", "newswatch.alerts"))
    assert "bus" in build_dispatcher(alerting, DeadLetters(), alerts_topic=("127.0.0.1:9092", "other.alerts")).sinks


def test_watches_naming_unconfigured_sinks_are_refused():
    watch = Watch(id="w", name="w", region=Region(), sinks=["log", "pager"])
    with pytest.raises(SinkConfigError, match="watches name sinks that are not configured \\(w -> pager\\); configured: log"):
        check_watch_sinks([watch], build_sinks({}, {"dead_letter": DeadLetters()}))


async def test_the_dispatcher_sends_to_each_named_sink_once_and_dead_letters_unknown_names(caplog):
    dead_letters = DeadLetters()
    async with http_receiver() as receiver:
        settings = Settings(alerting={"sinks": {"hook": {"type": "webhook", "url": receiver.url, "secret": "s"}}})
        dispatcher = build_dispatcher(settings.alerting, dead_letters)
        await dispatcher.start()
        watch = Watch(id="w", name="w", region=Region(), sinks=["log", "hook", "log", "pager"])
        with caplog.at_level(logging.WARNING, logger="newswatch.alerts"):
            await dispatcher.deliver(watch, sample_alert())
        await dispatcher.close()
    assert len(receiver.requests) == 1
    [record] = [r for r in caplog.records if r.name == "newswatch.alerts"]
    assert record.getMessage().startswith("New incident — Within 100 km of Quetta: Armed assault")
    assert record.alert_id == sample_alert().id
    [(stage, error, _)] = dead_letters
    assert stage == "sink" and error == "watch 'w' names unconfigured sink(s) ['pager']"


class GatedSink(Sink):
    """Holds the alerts with the given ids until their gate opens (others go at once): a receiver that is down or slow."""

    name = "gated"

    def __init__(self, held: tuple[str, ...]):
        self.gates = {alert_id: asyncio.Event() for alert_id in held}
        self.delivered: list[str] = []
        self.sending = 0

    async def send(self, alert):
        self.sending += 1
        try:
            if alert.id in self.gates:
                await self.gates[alert.id].wait()
        finally:
            self.sending -= 1
        self.delivered.append(alert.id)
        return True


def gated_dispatcher(*held: str, **options):
    """A dispatcher with one GatedSink, and `deliver(alert_id)` as a task for a watch that names it."""
    sink = GatedSink(held)
    dispatcher = Dispatcher({"gated": sink}, DeadLetters(), **options)
    watch = Watch(id="w", name="w", region=Region(), sinks=["gated"])

    def deliver(alert_id: str) -> asyncio.Task:
        return asyncio.ensure_future(dispatcher.deliver(watch, sample_alert().model_copy(update={"id": alert_id})))

    return sink, dispatcher, deliver


async def test_a_sink_sends_at_most_its_concurrency_and_dead_letters_past_its_backlog():
    held = tuple(f"held-{n}" for n in range(5))
    sink = GatedSink(held)
    sink.concurrency, sink.max_pending = 2, 4
    dispatcher = Dispatcher({"gated": sink}, DeadLetters())
    watch = Watch(id="w", name="w", region=Region(), sinks=["gated"])
    tasks = [asyncio.ensure_future(dispatcher.deliver(watch, sample_alert().model_copy(update={"id": alert_id})))
             for alert_id in held]
    await asyncio.sleep(0.05)
    assert sink.sending == 2 and dispatcher.lanes["gated"].pending == 4
    assert tasks[4].done() and tasks[4].result() == [], "the fifth found the backlog full"
    [(stage, error, payload)] = dispatcher.dead_letter
    assert stage == "sink:gated" and error.startswith("4 alerts already waiting for sink 'gated' (its max_pending)")
    assert payload["id"] == "held-4"
    for gate in sink.gates.values():
        gate.set()
    assert await asyncio.gather(*tasks[:4]) == [["gated"]] * 4


async def test_a_hanging_sink_holds_up_neither_another_sink_nor_the_alerts_for_both():
    hanging = GatedSink(held=("a1", "a2"))
    healthy = GatedSink(held=())
    dispatcher = Dispatcher({"hanging": hanging, "healthy": healthy}, DeadLetters())
    both = Watch(id="both", name="both", region=Region(), sinks=["hanging", "healthy"])
    alone = Watch(id="alone", name="alone", region=Region(), sinks=["healthy"])
    stuck = [asyncio.ensure_future(dispatcher.deliver(both, sample_alert().model_copy(update={"id": i}))) for i in ("a1", "a2")]
    free = await asyncio.wait_for(dispatcher.deliver(alone, sample_alert().model_copy(update={"id": "b1"})), timeout=1)
    assert free == ["healthy"] and healthy.delivered == ["a1", "a2", "b1"] and not any(task.done() for task in stuck)
    hanging.gates["a1"].set()
    hanging.gates["a2"].set()
    assert await asyncio.gather(*stuck) == [["hanging", "healthy"]] * 2


async def test_an_alert_that_every_sink_dead_lettered_is_reported_undelivered():
    dead_letters = DeadLetters()
    async with http_receiver() as receiver:
        receiver.script = [400, 400]
        settings = Settings(alerting={"sinks": {"a": {"type": "webhook", "url": receiver.url, "secret": "s"},
                                                "b": {"type": "webhook", "url": receiver.url, "secret": "s"}}})
        dispatcher = build_dispatcher(settings.alerting, dead_letters)
        watch = Watch(id="w", name="w", region=Region(), sinks=["a", "b"])
        assert await dispatcher.deliver(watch, sample_alert()) == []
        assert await dispatcher.deliver(watch, sample_alert()) == ["a", "b"]
        await dispatcher.close()
    assert sorted(stage for stage, _, _ in dead_letters) == ["sink:a", "sink:b"]


async def test_close_waits_for_deliveries_under_way():
    sink, dispatcher, deliver = gated_dispatcher("slow")
    slow = deliver("slow")
    await asyncio.sleep(0.05)
    closing = asyncio.ensure_future(dispatcher.close())
    await asyncio.sleep(0.05)
    assert not closing.done() and sink.delivered == []
    sink.gates["slow"].set()
    await asyncio.wait_for(asyncio.gather(closing, slow), timeout=5)
    assert sink.delivered == ["slow"]


async def test_close_waits_for_deliveries_under_way_but_not_forever():
    sink, dispatcher, deliver = gated_dispatcher("stuck", close_wait_seconds=0.1)
    stuck = deliver("stuck")
    await deliver("free")
    await asyncio.wait_for(dispatcher.close(), timeout=5)
    assert sink.delivered == ["free"] and not stuck.done()
    stuck.cancel()
