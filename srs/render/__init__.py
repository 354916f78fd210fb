"""Turning values and card fields into what Anki shows: numbers, shape diagrams, HTML fields."""
