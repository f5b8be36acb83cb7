def int_param(params, name: str) -> int:
    """An id from the query string; anything else is 0 (and so a 404)."""
    value = (params.get(name) or "").strip()
    return int(value) if value.isdigit() else 0
