import logging

import pytest

from extractors.schema import Region, Watch
from streams.settings import Settings
from streams.sinks import SINK_TYPES, build_sinks, check_watch_sinks, close_all, dispatch, sinks_from_settings, start_all
from streams.sinks.base import Sink, SinkConfigError
from streams.sinks.kafka import KafkaSink
from streams.sinks.log import LogSink
from tests.streams.sinks.receivers import DeadLetters, http_receiver
from tests.streams.sinks.sample import sample_alert


def test_every_sink_type_declares_a_name_and_required_options():
    assert set(SINK_TYPES) == {"log", "webhook", "slack", "email", "kafka"}
    for name, cls in SINK_TYPES.items():
        assert cls.name == name and issubclass(cls, Sink) and isinstance(cls.required, frozenset)


def test_log_is_always_available():
    sinks = build_sinks({}, DeadLetters())
    assert list(sinks) == ["log"] and isinstance(sinks["log"], LogSink)


@pytest.mark.parametrize(
    ("configured", "message"),
    [
        ({"pager": {}}, "sink 'pager': unknown type 'pager'; set its type to one of log, webhook"),
        ({"ops": {"type": "slack"}}, "sink 'ops' (slack) needs url: set NEWSWATCH_ALERTING__SINKS__OPS__URL"),
        ({"log": {"colour": "red"}}, "sink 'log' (log) has unknown option(s) ['colour']; it accepts level, logger, text_template"),
        ({"log": {"level": "LOUD"}}, "sink 'log' (log): level 'LOUD' is not a logging level"),
        ({"log": {"text_template": "{headlines}"}}, "sink 'log' (log): template '{headlines}' uses unknown field(s) ['headlines']"),
        ({"hook": {"type": "webhook", "url": "http://x", "secret": "s", "max_attempts": 0}}, "max_attempts must be >= 1"),
    ],
)
def test_bad_configuration_fails_at_start_up_naming_the_sink(configured, message):
    with pytest.raises(SinkConfigError) as error:
        build_sinks(configured, DeadLetters())
    assert message in str(error.value)


def test_settings_from_the_environment_reach_the_sinks(monkeypatch):
    monkeypatch.setenv("NEWSWATCH_ALERTING__SINKS__OPS__TYPE", "webhook")
    monkeypatch.setenv("NEWSWATCH_ALERTING__SINKS__OPS__URL", "http://127.0.0.1:9/hook")
    monkeypatch.setenv("NEWSWATCH_ALERTING__SINKS__OPS__SECRET", "from-env")
    monkeypatch.setenv("NEWSWATCH_ALERTING__SINKS__OPS__MAX_ATTEMPTS", "2")
    monkeypatch.setenv("NEWSWATCH_ALERTING__SINKS__KAFKA__TYPE", "kafka")
    monkeypatch.setenv("NEWSWATCH_KAFKA__BOOTSTRAP_SERVERS", "127.0.0.1:19092")
    settings = Settings()
    assert "from-env" not in repr(settings.alerting)
    sinks = sinks_from_settings(settings, DeadLetters())
    assert sinks["ops"].secret.get_secret_value() == "from-env" and sinks["ops"].max_attempts == 2
    assert isinstance(sinks["kafka"], KafkaSink)
    assert (sinks["kafka"].bootstrap_servers, sinks["kafka"].topic) == ("127.0.0.1:19092", settings.topics.alerts)


def test_watches_naming_unconfigured_sinks_are_refused():
    watch = Watch(id="w", name="w", region=Region(), sinks=["log", "pager"])
    with pytest.raises(SinkConfigError, match="watches name sinks that are not configured \\(w -> pager\\); configured: log"):
        check_watch_sinks([watch], build_sinks({}, DeadLetters()))


async def test_dispatch_sends_to_each_named_sink_once(caplog):
    dead_letters = DeadLetters()
    async with http_receiver() as receiver:
        sinks = build_sinks({"hook": {"type": "webhook", "url": receiver.url, "secret": "s"}}, dead_letters)
        await start_all(sinks)
        with caplog.at_level(logging.WARNING, logger="newswatch.alerts"):
            await dispatch(sinks, sample_alert(), ["log", "hook", "log"])
        await close_all(sinks)
    assert len(receiver.requests) == 1
    [record] = [r for r in caplog.records if r.name == "newswatch.alerts"]
    assert record.getMessage().startswith("New incident — Within 100 km of Quetta: Armed assault")
    assert record.alert_id == sample_alert().id
