from staff.access import BRANCH_MANAGEMENT, scope_for
from staff.models import Role


def leads(user, team) -> bool:
    scope = scope_for(user)
    return scope.superuser or team.pk in scope.ids(Role.TEAM_LEADER)


def manages(user, team) -> bool:
    """The team's leader or its branch's management."""
    scope = scope_for(user)
    return leads(user, team) or team.branch_id in scope.ids(*BRANCH_MANAGEMENT)


def can_draft_filing(user, team) -> bool:
    """The team leader drafts his team's filings (R-1.1, R-1.2)."""
    return leads(user, team)


can_draft_rules = can_draft_filing


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
