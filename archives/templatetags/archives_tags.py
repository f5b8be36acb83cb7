from django import template

register = template.Library()

COLOURS = {
    "future": "info",
    "active": "success",
    "expiring": "warning",
    "ended": "danger",
    "renewed": "secondary",
    "terminated": "secondary",
}


@register.filter
def stateof(contract, today) -> tuple[str, str]:
    """A contract's state label and badge colour on ``today`` (uses the
    ``is_renewed`` annotation when the list has it)."""
    state = contract.state_on(today, renewed=getattr(contract, "is_renewed", None))
    return contract.State(state).label, COLOURS[state]


@register.filter
def days_from(day, today) -> str:
    """Days left until ``day`` ("12 天"), or how long ago it passed."""
    if day is None:
        return ""
    delta = (day - today).days
    if delta < 0:
        return f"已过期 {-delta} 天"
    return "今天" if delta == 0 else f"{delta} 天"
