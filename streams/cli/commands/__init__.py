"""One module per `newswatch` subcommand; each has register(subparsers) and imports heavy libraries only when run."""
