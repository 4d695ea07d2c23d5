"""`python -m streams.cli`: the `newswatch` command."""

import sys

from streams.cli.main import main

sys.exit(main())
