"""The `newswatch` command line: `main` and one module per subcommand in commands/."""
