"""`newswatch services up | down | status`: the local Kafka and Elasticsearch."""

from __future__ import annotations

import json


def register(subparsers) -> None:
    parser = subparsers.add_parser("services", help="start, stop or inspect the local Kafka and Elasticsearch")
    parser.add_argument("action", choices=("up", "down", "status"))
    parser.set_defaults(handler=run)


def run(args) -> int:
    from deploy.local.services import LocalServices, ServiceError

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
        else:
            print(json.dumps(services.status(), indent=2))
    except ServiceError as error:
        print(f"newswatch services {args.action}: {error}")
        return 1
    return 0
