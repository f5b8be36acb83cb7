"""Views of the visits chapter."""
