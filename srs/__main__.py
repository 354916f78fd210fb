"""`python -m srs` runs the command line."""

from srs.cli.launch import main

main()
