"""srs: lesson notebooks in, Anki decks of single-step flashcards out."""

__version__ = "0.1.0"
