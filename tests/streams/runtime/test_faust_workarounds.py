"""keep_buffered_records_on_resume: a second resume keeps buffered records, a resume after a suspend clears them.
seek_partition_starts_too: the seek to committed offsets also seeks stream partitions at their start."""

import asyncio

import faust
import pytest
from faust.transport.consumer import ThreadDelegateConsumer
from faust.types import TP
from mode.utils.queues import FlowControlQueue

from streams.runtime.faust_workarounds import (
    ANALYSED_SOURCES, ANALYSED_VERSIONS, FaustChanged, check_faust_as_analysed, keep_buffered_records_on_resume,
    seek_partition_starts_too, seek_to_start,
)


def buffered_after(steps: list[str]) -> int:
    app = faust.App("flow-control-test", broker="kafka://127.0.0.1:9", web_enabled=False)
    keep_buffered_records_on_resume(app)
    buffer = FlowControlQueue(flow_control=app.flow_control, clear_on_resume=True)
    app.flow_control.resume()
    buffer.put_nowait("record fetched before the step")
    for step in steps:
        getattr(app.flow_control, step)()
    return buffer.qsize()


def test_resuming_a_running_flow_keeps_the_buffer():
    assert buffered_after(["resume"]) == 1


def test_resuming_after_a_suspend_still_clears_the_buffer():
    assert buffered_after(["suspend", "resume"]) == 0


def test_the_installed_faust_is_the_one_the_workarounds_were_analysed_on():
    check_faust_as_analysed()


def test_a_changed_faust_stops_the_worker_with_what_changed(monkeypatch):
    with pytest.raises(FaustChanged, match=r"mode-streaming 0\.7\.1 \(analysed on 0\.6\.0\).*re-do the analysis"):
        check_faust_as_analysed({**ANALYSED_VERSIONS, "mode-streaming": "0.6.0"})
    changed = dict(ANALYSED_SOURCES, **{"mode.utils.queues:FlowControlEvent.resume": "0" * 16})
    with pytest.raises(FaustChanged, match=r"FlowControlEvent\.resume \(its source changed\)"):
        check_faust_as_analysed(sources=changed)
    monkeypatch.setattr("streams.runtime.faust_workarounds.ANALYSED_SOURCES", changed)
    with pytest.raises(FaustChanged):
        keep_buffered_records_on_resume(faust.App("flow-control-check", broker="kafka://127.0.0.1:9", web_enabled=False))


class RecordingThread:
    """The consumer thread's calls seek_to_start makes: first offsets asked for, seeks made."""

    def __init__(self, firsts: dict[TP, int]):
        self.firsts = firsts
        self.seeks: dict[TP, int] = {}

    async def earliest_offsets(self, *partitions: TP) -> dict[TP, int]:
        return {tp: self.firsts[tp] for tp in partitions}

    async def seek_wait(self, partitions: dict[TP, int]) -> None:
        self.seeks.update(partitions)


class RecordingConsumer:
    def __init__(self, firsts: dict[TP, int], changelogs: set[str]):
        self._thread = RecordingThread(firsts)
        self.changelogs = changelogs

    def _is_changelog_tp(self, tp: TP) -> bool:
        return tp.topic in self.changelogs


def test_stream_partitions_at_their_start_are_sought_there_and_the_rest_left_to_faust():
    alerts, fresh, trimmed, busy = TP("alerts", 0), TP("incidents", 0), TP("incidents", 1), TP("incidents", 2)
    changelog = TP("app-incident-store-changelog", 0)
    consumer = RecordingConsumer({alerts: 0, fresh: 0, trimmed: 40, busy: 0, changelog: 0}, {changelog.topic})
    # committed 0 (aiokafka does not seek to it), none at all, none on a partition whose log starts at 40,
    # 7 (aiokafka seeks there itself), and a changelog (recovery positions those).
    committed = {alerts: 0, fresh: None, trimmed: None, busy: 7, changelog: None}
    asyncio.run(seek_to_start(consumer, committed))
    assert consumer._thread.seeks == {alerts: 0, fresh: 0, trimmed: 40}


def test_the_seek_patch_is_installed_once_and_faust_still_reads_as_analysed():
    seek_partition_starts_too()
    patched = ThreadDelegateConsumer.seek_to_committed
    seek_partition_starts_too()
    assert ThreadDelegateConsumer.seek_to_committed is patched
    assert patched.seeks_partition_starts
    check_faust_as_analysed()
