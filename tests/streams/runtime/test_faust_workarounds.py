"""keep_buffered_records_on_resume: a second resume keeps buffered records, a resume after a suspend clears them."""

import faust
import pytest
from mode.utils.queues import FlowControlQueue

from streams.runtime.faust_workarounds import (
    ANALYSED_SOURCES, ANALYSED_VERSIONS, FaustChanged, check_faust_as_analysed, keep_buffered_records_on_resume,
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
