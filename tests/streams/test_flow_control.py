"""keep_buffered_records_on_resume: a second resume keeps buffered records, a resume after a suspend clears them."""

import faust
from mode.utils.queues import FlowControlQueue

from streams.flow_control import keep_buffered_records_on_resume


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
