from django import template
from django.utils.html import format_html

register = template.Library()

COLOURS = {
    # items
    "in_store": "success",
    "in_use": "primary",
    "used_up": "secondary",
    "lost": "danger",
    "scrapped": "secondary",
    # handovers, stock-takes, incidents, lines
    "open": "warning",
    "done": "success",
    "closed": "success",
    "cancelled": "secondary",
    "draft": "warning",
    "pending": "primary",
    "approved": "success",
    "rejected": "danger",
    "withdrawn": "secondary",
    "counted": "info",
    "matched": "success",
    "ledger": "info",
    "incident": "danger",
}


@register.simple_tag
def badge(obj, field: str = "status", testid: str = ""):
    """A coloured badge for a choice field: ``{% badge item %}``."""
    value = getattr(obj, field)
    label = getattr(obj, f"get_{field}_display")()
    colour = COLOURS.get(value, "secondary")
    if testid:
        return format_html(
            '<span class="badge text-bg-{}" data-testid="{}">{}</span>', colour, testid, label
        )
    return format_html('<span class="badge text-bg-{}">{}</span>', colour, label)


@register.filter
def place(holder, outlet=None) -> str:
    """“库存” for the store, else the person's name."""
    return holder.name if holder else "库存"
