"""`python -m srs` runs the command line."""

from srs.launch import main

main()
