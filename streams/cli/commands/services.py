"""`newswatch services up | down | status | start NAME | stop NAME`: the local Kafka and Elasticsearch."""

from __future__ import annotations

import argparse
import json

from deploy.local.services import SERVICES, LocalServices, ServiceError


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "services", help="start, stop or inspect the local Kafka and Elasticsearch",
        description="up/down: both services; start/stop NAME: one of them, the other left as it is",
    )
    parser.add_argument("action", choices=("up", "down", "status", "start", "stop"))
    parser.add_argument("name", nargs="?", choices=SERVICES, help="the service to start or stop")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if (args.action in ("start", "stop")) != (args.name is not None):
        print(f"newswatch services {args.action}: NAME ({' or '.join(SERVICES)}) goes with start and stop only")
        return 2
    services = LocalServices()
    try:
        if args.action == "up":
            endpoints = services.up()
            print(f"kafka:         {endpoints.kafka_bootstrap}")
            print(f"elasticsearch: {endpoints.elasticsearch_url}")
            print(f"export NEWSWATCH_KAFKA__BOOTSTRAP_SERVERS={endpoints.kafka_bootstrap} "
                  f"NEWSWATCH_ELASTICSEARCH__URL={endpoints.elasticsearch_url}")
        elif args.action == "down":
            services.down()
        elif args.action == "start":
            print(f"{args.name}: {services.start(args.name).address}")
        elif args.action == "stop":
            services.stop(args.name)
        else:
            print(json.dumps(services.status(), indent=2))
    except ServiceError as error:
        print(f"newswatch services {args.action}: {error}")
        return 1
    return 0
