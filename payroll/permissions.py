"""Who sees and does what with pay (R-8.1, R-8.6)."""

from __future__ import annotations

from django.db.models import Q

from staff.access import BRANCH_MANAGEMENT, scope_for
from staff.models import Role

FINANCE_ROLES = (Role.FINANCE, Role.CHIEF_ACCOUNTANT)
PAY_VIEW_ROLES = (*FINANCE_ROLES, *BRANCH_MANAGEMENT)


def payroll_scope_q(user) -> Q:
    """Branch pay records: the branch's finance, chief accountant and management."""
    scope = scope_for(user)
    if scope.superuser:
        return Q()
    return Q(branch_id__in=scope.ids(*PAY_VIEW_ROLES))


def payslip_scope_q(user) -> Q:
    """A payslip: the person himself, and the branch's pay viewers."""
    return payroll_scope_q(user) | Q(person=user)


def is_finance(user, branch) -> bool:
    scope = scope_for(user)
    return scope.superuser or branch.pk in scope.ids(*FINANCE_ROLES)


def can_view_pay(user, branch) -> bool:
    scope = scope_for(user)
    return scope.superuser or branch.pk in scope.ids(*PAY_VIEW_ROLES)


def can_assess(user, person) -> bool:
    """The team leader scores his members' duties (R-5.3)."""
    scope = scope_for(user)
    return bool(person.team_id) and (
        scope.superuser or person.team_id in scope.ids(Role.TEAM_LEADER)
    )


def finance_branches(user):
    from staff.models import Branch

    scope = scope_for(user)
    if scope.superuser:
        return Branch.objects.all()
    return Branch.objects.filter(pk__in=scope.ids(*PAY_VIEW_ROLES))


def branches_financed(user):
    """Branches where the user is finance staff or chief accountant."""
    from staff.models import Branch

    scope = scope_for(user)
    if scope.superuser:
        return Branch.objects.all()
    return Branch.objects.filter(pk__in=scope.ids(*FINANCE_ROLES))
