"""Thin Faust agents: decode, call plain functions, send. Only streams.app imports this package."""

from __future__ import annotations


def install_all(pipeline) -> None:
    from streams.agents import alerting, dedup, extraction, indexing, merging

    for module in (dedup, extraction, merging, indexing, alerting):
        module.install(pipeline)
