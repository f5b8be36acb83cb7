"""Who sees what in the visits chapter (R-8.1).

Visits, plans and follow-ups are seen by the person who made them (and a
visit by those who went along), by the leaders over the stamp of where
they were made, and by whoever sees the client today (its owner and his
leaders), so the big-client file shows every visit to the client. Clients
are branch business: HQ sees none of this, except the quarterly reports
that go to the leaders.
"""

from __future__ import annotations

from django.db.models import Q

from staff.access import BRANCH_MANAGEMENT, scope_for
from staff.models import Role


def _client_owner_q(scope, prefix: str = "client__") -> Q:
    return scope.stamped_q(
        person=f"{prefix}manager",
        branch=f"{prefix}branch",
        team=f"{prefix}team",
        group=f"{prefix}group",
        outlet=f"{prefix}outlet",
    )


def visibility_q(user, model) -> Q:
    from visits.models import (
        FollowUp,
        MonthlySubmission,
        OverlapWarning,
        QuarterlyReport,
        Reassignment,
        Visit,
        VisitPlan,
    )

    scope = scope_for(user)
    if scope.superuser:
        return Q()
    if model is Visit:
        went_along = Q(
            pk__in=Visit.companions.through.objects.filter(user_id=user.pk).values("visit_id")
        )
        return scope.stamped_q(person="visitor") | _client_owner_q(scope) | went_along
    if model is VisitPlan:
        return scope.stamped_q(person="manager") | _client_owner_q(scope)
    if model is FollowUp:
        return scope.stamped_q(person="owner") | _client_owner_q(scope) | Q(raised_by=user)
    if model is MonthlySubmission:
        return scope.stamped_q(person="visitor")
    if model is OverlapWarning:
        q = scope.stamped_q(person="person", group=None, outlet=None) | Q(other_person=user)
        if teams := scope.ids(Role.TEAM_LEADER):
            q |= Q(other_team_id__in=teams)
        return q
    if model is Reassignment:
        received = Q(
            pk__in=Reassignment.lines.rel.related_model.objects.filter(
                to_manager_id=user.pk
            ).values("batch_id")
        )
        return (
            scope.stamped_q(person="from_manager", group=None, outlet=None)
            | Q(created_by=user)
            | received
        )
    if model is QuarterlyReport:
        from approvals.selectors import subject_ids_routed_to

        # Team reports: the team's leader and the branch management; branch
        # reports: the branch management; HQ oversight reads all of them.
        q = scope.stamped_q(
            person=None, group=None, outlet=None, branch_roles=BRANCH_MANAGEMENT, hq=True
        )
        routed = subject_ids_routed_to(user, QuarterlyReport)
        return q | Q(prepared_by=user) | Q(pk__in=routed)
    raise TypeError(f"no visibility rule for {model!r}")
