"""Shared by every stage: the data model, the error family, files, settings, caches of slow answers."""
