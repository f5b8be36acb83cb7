from django import template

from portal.identity import mask_tail
from staff.permissions import can_view_identity

register = template.Library()


@register.simple_tag(takes_context=True)
def identity(context, person, field: str) -> str:
    """An ID or bank number, in full only for the roles that need it (R-8.6)."""
    value = getattr(person, field, "") or ""
    if can_view_identity(context["request"].user, person):
        return value
    return mask_tail(value)
