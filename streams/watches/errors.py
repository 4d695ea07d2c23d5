"""The error every part of watch handling raises for a watch that cannot be used."""

from __future__ import annotations


class WatchError(ValueError):
    """A watch that cannot be used; the message names the field and what to write instead."""
