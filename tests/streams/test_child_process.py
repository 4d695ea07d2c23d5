"""The helper process dies with its parent: a `kill -9` of the worker leaves no extractor or resource tracker behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.pipeline import wait_for

REPO = Path(__file__).resolve().parents[2]
PARENT = """
import os, sys, time
from multiprocessing import resource_tracker
from streams.child_process import single_process_pool

if __name__ == "__main__":
    pool = single_process_pool()
    child = pool.submit(os.getpid).result()
    print(child, resource_tracker._resource_tracker._pid, flush=True)
    time.sleep(300)
"""


def running(pid: int) -> bool:
    """Alive and not a zombie (an orphan's zombie waits for whoever adopted it to reap it)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")
def test_the_child_and_the_resource_tracker_exit_when_the_parent_is_killed(tmp_path):
    script = tmp_path / "parent.py"
    script.write_text(PARENT)
    parent = subprocess.Popen([sys.executable, str(script)], cwd=REPO, stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(REPO)})
    child, tracker = map(int, parent.stdout.readline().split())
    parent.stdout.close()
    try:
        assert running(child) and running(tracker)
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        wait_for(lambda: not running(child), 10, f"the child {child} to exit after its parent was killed", interval=0.1)
        wait_for(lambda: not running(tracker), 10, f"the resource tracker {tracker} to exit", interval=0.1)
    finally:
        for pid in (parent.pid, child, tracker):
            if running(pid):
                os.kill(pid, signal.SIGKILL)
