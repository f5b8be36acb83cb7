from staff.access import scope_for
from staff.models import Role


def leads(user, team) -> bool:
    scope = scope_for(user)
    return scope.superuser or team.pk in scope.ids(Role.TEAM_LEADER)


def can_draft_rules(user, team) -> bool:
    """The team leader drafts his team's rules (R-1.1)."""
    return leads(user, team)


def can_edit_filing(user, filing, locked: bool) -> bool:
    return (
        not locked
        and leads(user, filing.team)
        and filing.status in ("draft", "rejected", "withdrawn")
    )


def can_submit_filing(user, filing, locked: bool) -> bool:
    return can_edit_filing(user, filing, locked)


def teams_led(user):
    from staff.models import Team

    scope = scope_for(user)
    if scope.superuser:
        return Team.objects.exclude(status=Team.Status.DISSOLVED)
    return Team.objects.filter(pk__in=scope.ids(Role.TEAM_LEADER))
