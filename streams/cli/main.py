"""The `newswatch` command line: one entry point, one module per subcommand."""

from __future__ import annotations

import argparse
import importlib
import logging

COMMANDS = ("run", "services", "ingest", "worker", "extract", "eval", "replay", "feeds", "watches", "search", "kibana")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newswatch", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log at DEBUG level")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"streams.cli.commands.{name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for chatty in ("kafka", "aiokafka", "elastic_transport"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    return int(args.handler(args) or 0)

