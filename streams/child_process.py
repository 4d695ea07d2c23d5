"""One spawned helper process for CPU-heavy work beside the event loop (extraction, feed preparation).

The child dies with its parent: on Linux it asks the kernel for SIGKILL when its parent goes (prctl
PR_SET_PDEATHSIG), so a `kill -9` of the worker leaves no 235 MB extractor behind, nor the multiprocessing
resource tracker that the orphan kept alive, and a restarted worker never runs beside its predecessor's child.
The signal follows the parent *thread* that started the child: pools here are used from the event loop's
thread, which lives as long as the process.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def single_process_pool(initializer: Callable[..., None] | None = None, initargs: tuple = ()) -> ProcessPoolExecutor:
    """Spawn, not fork: the parent runs Kafka client threads, and a forked child could copy a lock one of them holds."""
    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_start_child, initargs=(os.getpid(), initializer, initargs))


def die_with_parent(parent_pid: int) -> None:
    """SIGKILL this process when its parent dies (Linux); exit at once if the parent is already gone."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            error = ctypes.get_errno()
            raise OSError(error, f"prctl(PR_SET_PDEATHSIG) failed: {os.strerror(error)}")
    if os.getppid() != parent_pid:  # the parent died before the signal was armed
        os._exit(1)


def _start_child(parent_pid: int, initializer: Callable[..., None] | None, initargs: tuple) -> None:
    # Ctrl-C reaches the whole process group; the parent shuts its child down itself, without a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent_pid)
    if initializer is not None:
        initializer(*initargs)
