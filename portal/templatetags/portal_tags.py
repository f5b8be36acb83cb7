import datetime as dt

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_link(context, field: str, label: str):
    """A column header that sorts by ``field`` and toggles the direction."""
    request = context["request"]
    params = request.GET.copy()
    current = params.get("o", "")
    if current == field:
        new, arrow = f"-{field}", " ▲"
    elif current == f"-{field}":
        new, arrow = field, " ▼"
    else:
        new, arrow = field, ""
    params["o"] = new
    params.pop("page", None)
    return format_html('<a class="sort-link" href="?{}">{}{}</a>', params.urlencode(), label, arrow)


@register.simple_tag(takes_context=True)
def with_query(context, base_url: str):
    """``base_url`` carrying the current filters (for export buttons)."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    query = params.urlencode()
    return f"{base_url}?{query}" if query else base_url


@register.filter
def period(row) -> str:
    """A half-open ``valid_from``/``valid_to`` period as the days in force."""
    start = row.valid_from.isoformat()
    if row.valid_to is None:
        return f"{start} 至今"
    last = row.valid_to - dt.timedelta(days=1)
    if last < row.valid_from:
        return f"{start}（已撤销）"
    return f"{start} 至 {last.isoformat()}"


@register.filter
def money(value) -> str:
    """An amount to the fen with thousands separators: 1,234,567.89."""
    from decimal import Decimal, InvalidOperation

    if value in (None, ""):
        return ""
    try:
        return f"{Decimal(value):,.2f}"
    except (InvalidOperation, TypeError, ValueError):
        return str(value)


@register.filter
def whole(value) -> str:
    """A count with thousands separators: 1,234."""
    from decimal import Decimal, InvalidOperation

    if value in (None, ""):
        return ""
    try:
        return f"{Decimal(value):,.0f}"
    except (InvalidOperation, TypeError, ValueError):
        return str(value)


@register.filter
def json_attr(value) -> str:
    """A value as JSON for an HTML attribute (autoescaping quotes it), for
    chart configs in content swapped in by htmx, which drops script tags."""
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
