"""Thin Faust agents: decode, call plain functions, send. Only streams.runtime.app imports this package."""

from __future__ import annotations


def install_all(pipeline) -> None:
    from streams.agents import alerting, dedup, extraction, indexing, merging

    # Alerting owns the watches; extraction evaluates their text queries, since the article text stops there.
    watches = alerting.install(pipeline)
    dedup.install(pipeline)
    extraction.install(pipeline, watches)
    merging.install(pipeline)
    indexing.install(pipeline)
