"""Run the command line: ``python -m corridors``."""

from corridors.cli import main

main()
