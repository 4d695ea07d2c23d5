"""LiveWatches: records from the watches topic add, replace and remove watches; bad ones are refused alone."""

import asyncio
import json

from extractors.schema import Region, Watch
from streams.alerting.sinks import check_watch_sinks
from streams.watches.live_watches import LiveWatches
from tests.streams.alert_factories import quetta_incident

SINKS = {"log": object()}


def record(watch: Watch) -> tuple[bytes, bytes]:
    return watch.id.encode(), json.dumps(watch.model_dump(mode="json")).encode()


def watch(watch_id: str, *countries: str, sinks: tuple[str, ...] = ("log",)) -> Watch:
    return Watch(id=watch_id, name=watch_id, region=Region(countries=list(countries)), sinks=list(sinks))


def live(*initial: Watch) -> LiveWatches:
    return LiveWatches(list(initial), check=lambda watches: check_watch_sinks(watches, SINKS))


def matched(watches) -> list[str]:
    asyncio.run(watches.rebuild())
    return [w.id for w in watches.index.matching(quetta_incident())]


def test_a_published_watch_is_added_and_a_changed_one_replaced():
    watches = live(watch("afghanistan", "AF"))
    assert watches.apply([record(watch("pakistan", "PK")), record(watch("afghanistan", "AF", "PK"))]) == []
    assert sorted(matched(watches)) == ["afghanistan", "pakistan"]


def test_a_tombstone_removes_the_watch():
    watches = live(watch("pakistan", "PK"))
    watches.apply([(b"pakistan", None)])
    assert watches.stale and matched(watches) == []


def test_the_index_changes_only_when_rebuilt():
    watches = live()
    watches.apply([record(watch("pakistan", "PK"))])
    assert watches.index.matching(quetta_incident()) == []
    assert matched(watches) == ["pakistan"]


def test_bad_records_are_refused_and_the_rest_applied():
    watches = live()
    refused = watches.apply([
        (b"broken", b"{not json"),
        (b"no-region", json.dumps({"id": "no-region", "name": "x", "region": {"bbox": [1, 2]}}).encode()),
        record(watch("unknown-sink", "PK", sinks=("pager",))),
        record(watch("pakistan", "PK")),
    ])
    assert [payload[:12] for _, payload in refused] == [b"{not json", b'{"id": "no-r', b'{"id": "unkn']
    assert "pager" in refused[2][0]
    assert matched(watches) == ["pakistan"]


def test_removing_an_unknown_watch_changes_nothing():
    watches = live(watch("pakistan", "PK"))
    watches.apply([(b"never-published", None)])
    assert not watches.stale
