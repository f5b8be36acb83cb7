"""Writes of the visits chapter."""
