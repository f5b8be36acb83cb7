"""Views of the assets chapter, one module per document."""
