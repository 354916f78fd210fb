"""The Anki side: notes, the .apkg package, the build manifest, bundles, and reading decks back."""
