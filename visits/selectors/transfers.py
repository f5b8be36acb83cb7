"""Reads for 客户移交 (R-7.5)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.shortcuts import get_object_or_404

from clients.models import Client
from staff.access import BRANCH_MANAGEMENT, scope_for
from staff.models import Role, User
from visits.models import Reassignment, ReassignmentLine


def _lead_q(user, prefix: str = "") -> Q:
    """Clients (or people) the user hands over: his teams' as team leader,
    his branch's as branch management."""
    scope = scope_for(user)
    if scope.superuser:
        return Q()
    q = Q(pk__in=[])
    if teams := scope.ids(Role.TEAM_LEADER):
        q |= Q(**{f"{prefix}team_id__in": teams})
    if branches := scope.ids(*BRANCH_MANAGEMENT):
        q |= Q(**{f"{prefix}branch_id__in": branches})
    return q


def transferable_clients(user, from_manager: User) -> QuerySet[Client]:
    return (
        Client.objects.filter(_lead_q(user), manager=from_manager)
        .exclude(status=Client.Status.CLOSED)
        .select_related("tier", "team")
        .order_by("tier__rank", "name", "pk")
    )


def recipients_for(user, from_manager: User) -> QuerySet[User]:
    """Colleagues who may receive the clients: working people of the teams
    the user leads (team leader) or of his branch's teams (management)."""
    return (
        User.objects.filter(_lead_q(user), team__isnull=False, status=User.Status.ACTIVE)
        .exclude(pk=from_manager.pk)
        .select_related("team", "group")
        .order_by("team__code", "employee_no")
    )


@dataclass
class Candidate:
    manager: User
    clients: int
    moved: int  # clients stamped with a team he no longer belongs to

    @property
    def reason(self) -> str:
        if self.manager.status in (User.Status.LEAVING, User.Status.LEFT):
            return self.manager.get_status_display()
        if self.moved:
            return "已调离原团队"
        return ""


def handover_candidates(user) -> list[Candidate]:
    """Managers whose clients wait for a new owner: leaving or left, or moved
    to another team while his clients stayed stamped with the old one."""
    rows = (
        Client.objects.filter(_lead_q(user), manager__isnull=False)
        .exclude(status=Client.Status.CLOSED)
        .filter(
            Q(manager__status__in=[User.Status.LEAVING, User.Status.LEFT])
            | ~Q(team_id=F("manager__team_id"))
            | Q(manager__team__isnull=True)
        )
        .order_by()
        .values("manager_id")
        .annotate(n=Count("pk"), moved=Count("pk", filter=~Q(team_id=F("manager__team_id"))))
    )
    counts = {r["manager_id"]: r for r in rows}
    people = User.objects.filter(pk__in=counts).select_related("team").order_by("employee_no")
    return [Candidate(p, counts[p.pk]["n"], counts[p.pk]["moved"]) for p in people]


def handover_clients(user) -> QuerySet[Client]:
    """Clients waiting for a new owner: their manager is leaving or gone,
    or has moved to another team."""
    return (
        Client.objects.filter(_lead_q(user), manager__isnull=False)
        .exclude(status=Client.Status.CLOSED)
        .filter(
            Q(manager__status__in=[User.Status.LEAVING, User.Status.LEFT])
            | ~Q(team_id=F("manager__team_id"))
            | Q(manager__team__isnull=True)
        )
    )


def handover_count(user) -> int:
    return handover_clients(user).count()


def managers_in_reach(user) -> QuerySet[User]:
    """Anyone whose clients the user could hand over (the picker)."""
    ids = Client.objects.filter(_lead_q(user), manager__isnull=False).values("manager_id")
    return User.objects.filter(pk__in=ids).select_related("team").order_by("employee_no")


def reassignments_for(user) -> QuerySet[Reassignment]:
    return Reassignment.objects.visible_to(user).select_related(
        "from_manager", "created_by", "team"
    )


def reassignment_detail(user, pk: int) -> Reassignment:
    return get_object_or_404(reassignments_for(user), pk=pk)


def reassignment_lines(batch: Reassignment) -> QuerySet[ReassignmentLine]:
    return batch.lines.select_related("client__tier", "to_manager", "assignment").order_by(
        "to_manager__employee_no", "client__name", "id"
    )
