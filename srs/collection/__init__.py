"""An Anki collection as srs sees it: where it lives, opening it safely, syncing decks in, reading reviews.

Everything here uses Anki's own engine (the `anki` package), imported only when a command needs it,
so `srs build` works without it.
"""
