"""Reads of the teams chapter, shared by views and other apps."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from approvals.selectors import subject_ids_routed_to
from staff.access import TEAM_DUTIES, scope_for
from teams.models import FilingStatus, RulesFiling


def filing_visibility_q(user, model) -> Q:
    """Team filings: the team's leaders and its branch management; HQ
    oversight across branches; whoever the filing was routed to for
    approval; and the team's members once it is approved."""
    scope = scope_for(user)
    q = scope.stamped_q(group=None, outlet=None, team_roles=TEAM_DUTIES, hq=True)
    if user.team_id:
        q |= Q(team_id=user.team_id, status=FilingStatus.APPROVED)
    routed = subject_ids_routed_to(user, model)
    if routed:
        q |= Q(pk__in=routed)
    return q


def rules_filings_for(user) -> QuerySet[RulesFiling]:
    return RulesFiling.objects.visible_to(user).select_related("team", "branch", "prepared_by")


def rules_filing(user, pk: int) -> RulesFiling:
    return get_object_or_404(rules_filings_for(user), pk=pk)


def rules_in_force(team) -> RulesFiling | None:
    """The approved rules that apply to a team now (R-1.1)."""
    return (
        RulesFiling.objects.filter(team=team, status=FilingStatus.APPROVED)
        .order_by("-version")
        .first()
    )
