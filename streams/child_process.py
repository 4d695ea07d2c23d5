"""One spawned helper process for CPU-heavy work beside the event loop (extraction, feed preparation)."""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor


def single_process_pool(initializer: Callable[..., None] | None = None, initargs: tuple = ()) -> ProcessPoolExecutor:
    """Spawn, not fork: the parent runs Kafka client threads, and a forked child could copy a lock one of them holds."""
    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_start_child, initargs=(initializer, initargs))


def _start_child(initializer: Callable[..., None] | None, initargs: tuple) -> None:
    # Ctrl-C reaches the whole process group; the parent shuts its child down itself, without a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if initializer is not None:
        initializer(*initargs)
