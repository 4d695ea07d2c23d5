"""Keep records that agents have buffered when Faust resumes a flow that is already running.

Faust clears every agent's buffer whenever it resumes flow control. At the end of table recovery it
resumes the stream partitions, lets the fetcher deliver their records, and only then resumes flow
control a second time, although the flow has been running since recovery began: the records delivered
in between are dropped from the buffers, yet Faust's read-offset and gap bookkeeping count them as
delivered and commits past them. A worker restarting with a backlog lost up to a few dozen articles
this way. Clearing is only right after a suspend (a rebalance), and the rebalance clears the buffers
itself then.
"""

from __future__ import annotations

import faust


def keep_buffered_records_on_resume(app: faust.App) -> None:
    flow_control = app.flow_control
    resume = flow_control.resume

    def resume_if_suspended() -> None:
        if not flow_control.is_active():
            resume()

    flow_control.resume = resume_if_suspended
