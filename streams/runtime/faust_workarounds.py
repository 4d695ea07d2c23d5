"""Faust workarounds: keep records that agents have buffered when Faust resumes a flow that is already
running, seek partitions whose committed offset is their start back to it, and check at start-up that Faust
is still the code those workarounds were worked out on.

Faust clears every agent's buffer whenever it resumes flow control. At the end of table recovery it
resumes the stream partitions, lets the fetcher deliver their records, and only then resumes flow
control a second time, although the flow has been running since recovery began: the records delivered
in between are dropped from the buffers, yet Faust's read-offset and gap bookkeeping count them as
delivered and commits past them. A worker restarting with a backlog lost up to a few dozen articles
this way. Clearing is only right after a suspend (a rebalance), and the rebalance clears the buffers
itself then. The analysis is in docs/architecture.md ("A restart with a backlog", "Scaling limits").

Faust also lets the fetcher run while it finishes recovery, and records taken from Kafka in that window can be
dropped before any agent sees them; "seek stream partitions to committed offsets" is what makes them read
again. aiokafka's seek_to_committed seeks only to offsets above 0, so a partition whose committed offset is 0
(or that has none) kept the position past the dropped records: a worker restarted with one alert waiting at
offset 0 never delivered it.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import importlib.metadata
import inspect
from collections.abc import Mapping

import faust
from faust.transport.consumer import ThreadDelegateConsumer
from faust.types import TP
from mode.utils.queues import FlowControlEvent

# The versions the analysis was done on; pyproject.toml pins them.
ANALYSED_VERSIONS = {"faust-streaming": "0.15.3", "mode-streaming": "0.7.1"}
# The first 16 hex digits of the SHA-256 of each function's source, as analysed: a change in any of them
# means the workarounds must be checked again, whatever the version number says.
ANALYSED_SOURCES = {
    # Patched here: clears every buffer on every resume.
    "mode.utils.queues:FlowControlEvent.resume": "4dcdc1253fd0dcb4",
    # What the patch asks: whether the flow is running.
    "mode.utils.queues:FlowControlEvent.is_active": "262016a21cfe93de",
    # The resumes at the end of table recovery, after the fetcher has delivered records.
    "faust.tables.recovery:Recovery._resume_streams": "d986a6710c1aca98",
    "faust.tables.recovery:Recovery.on_recovery_completed": "6ef567acf072e46d",
    # The commit bookkeeping that InOrderAcks and topics.commit_start_offsets work around.
    "faust.transport.consumer:Consumer._new_offset": "1d2c7ea89a7ad4f1",
    # Patched here: the seek to committed offsets after recovery and when the flow is not active.
    "faust.transport.consumer:ThreadDelegateConsumer.seek_to_committed": "f1d483b861b0328b",
    "faust.transport.consumer:Consumer.perform_seek": "0e8c130ff4b0afd8",
}


class FaustChanged(RuntimeError):
    """The installed Faust is not the one the workarounds were analysed on."""


def source_digest(qualified_name: str) -> str:
    """'module:Class.function' -> the first 16 hex digits of the SHA-256 of its source."""
    module, _, path = qualified_name.partition(":")
    target = importlib.import_module(module)
    for part in path.split("."):
        target = getattr(target, part)
    return hashlib.sha256(inspect.getsource(target).encode("utf-8")).hexdigest()[:16]


def check_faust_as_analysed(versions: dict[str, str] | None = None, sources: dict[str, str] | None = None) -> None:
    """Raise FaustChanged naming what differs, so a worker never runs a workaround on code it was not made for."""
    versions = ANALYSED_VERSIONS if versions is None else versions
    sources = ANALYSED_SOURCES if sources is None else sources
    changed = [f"{name} {importlib.metadata.version(name)} (analysed on {expected})"
               for name, expected in versions.items() if importlib.metadata.version(name) != expected]
    changed += [f"{name} (its source changed)" for name, digest in sources.items() if source_digest(name) != digest]
    if changed:
        raise FaustChanged(
            "the Faust workarounds in streams/runtime/faust_workarounds.py were analysed on faust-streaming "
            f"{versions['faust-streaming']} and mode-streaming {versions['mode-streaming']}; installed: "
            f"{'; '.join(changed)}. Install the pinned versions (pip install -e .), or re-do the analysis in "
            "docs/architecture.md against the new code and update ANALYSED_VERSIONS and ANALYSED_SOURCES."
        )


def keep_buffered_records_on_resume(app: faust.App) -> None:
    check_faust_as_analysed()
    flow_control = app.flow_control
    if type(flow_control).resume is not FlowControlEvent.resume:
        raise FaustChanged(f"app.flow_control is a {type(flow_control).__qualname__} whose resume is not "
                           "FlowControlEvent.resume, the method streams/runtime/faust_workarounds.py was written for")
    resume = flow_control.resume

    def resume_if_suspended() -> None:
        if not flow_control.is_active():
            resume()

    flow_control.resume = resume_if_suspended


def seek_partition_starts_too() -> None:
    """Make Faust's seek to committed offsets also seek the stream partitions that are at their start.

    Changelog partitions are left alone: recovery positions them itself, and standbys keep reading on.
    A partition without a committed offset goes to its first offset, as consumer_auto_offset_reset="earliest"
    (the app's setting) would.
    """
    check_faust_as_analysed()
    seek_to_committed = ThreadDelegateConsumer.seek_to_committed
    if getattr(seek_to_committed, "seeks_partition_starts", False):
        return

    # wraps sets __wrapped__, through which source_digest still reads Faust's own function.
    @functools.wraps(seek_to_committed)
    async def seek_to_committed_and_starts(self) -> Mapping[TP, int]:
        committed = await seek_to_committed(self)
        await seek_to_start(self, committed)
        return committed

    seek_to_committed_and_starts.seeks_partition_starts = True
    ThreadDelegateConsumer.seek_to_committed = seek_to_committed_and_starts


async def seek_to_start(consumer, committed: Mapping[TP, int | None]) -> None:
    """Seek each stream partition whose committed offset is 0 or missing to its first offset."""
    at_start = [tp for tp, offset in committed.items() if not offset and not consumer._is_changelog_tp(tp)]
    if at_start:
        firsts = await consumer._thread.earliest_offsets(*at_start)
        await consumer._thread.seek_wait({tp: firsts[tp] for tp in at_start})
