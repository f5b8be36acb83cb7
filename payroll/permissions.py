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
    """A payslip: the branch's pay viewers; the person himself once the
    month's sheet is signed (before that the figures may still change)."""
    return payroll_scope_q(user) | Q(person=user, run__sheet__status="signed")


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


def sheet_scope_q(user) -> Q:
    """Sheets: the branch's pay viewers; HQ oversight (经纪业务综合室 …) sees
    the signed, filed sheets of every branch (R-5.2)."""
    scope = scope_for(user)
    if scope.superuser:
        return Q()
    q = Q(branch_id__in=scope.ids(*PAY_VIEW_ROLES))
    if scope.hq:
        q |= Q(status="signed")
    return q


def can_export_bank_and_tax(user, branch) -> bool:
    """Bank and tax files carry account and ID numbers: branch finance only."""
    return is_finance(user, branch)
