"""Overlap (R-7.2): different visitors calling on the same client."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from clients.models import Client
from visits.models import OverlapWarning, Visit, VisitPlan
from visits.selectors.visits import settings_for


@dataclass(frozen=True)
class Warning:
    kind: str
    other_person: object
    other_date: dt.date | None
    message: str

    @property
    def label(self) -> str:
        return OverlapWarning.Kind(self.kind).label


def overlap_warnings(
    *,
    client: Client,
    person,
    on: dt.date,
    exclude_visit: int | None = None,
    exclude_plan: int | None = None,
) -> list[Warning]:
    """What to warn of before saving a visit or plan of ``person`` to
    ``client`` on ``on``: the client is owned by someone else; another
    manager visited it, or plans to, within the branch's overlap window."""
    window = settings_for(client.branch_id).overlap_days
    start, end = on - dt.timedelta(days=window), on + dt.timedelta(days=window)
    out: list[Warning] = []
    if client.manager_id and client.manager_id != person.pk:
        owner = client.manager
        team = f"（{owner.team.name}）" if owner.team_id else ""
        out.append(
            Warning(
                OverlapWarning.Kind.OWNED,
                owner,
                None,
                f"该客户归属客户经理 {owner.name}{team}，请先与其沟通，避免重复走访。",
            )
        )
    visits = (
        Visit.objects.filter(client=client, visited_on__range=(start, end))
        .exclude(visitor=person)
        .select_related("visitor")
        .order_by("-visited_on", "-id")
    )
    if exclude_visit:
        visits = visits.exclude(pk=exclude_visit)
    seen = set()
    for visit in visits[:5]:
        if visit.visitor_id in seen:
            continue
        seen.add(visit.visitor_id)
        out.append(
            Warning(
                OverlapWarning.Kind.VISITED,
                visit.visitor,
                visit.visited_on,
                f"{visit.visitor.name} 已于 {visit.visited_on:%Y-%m-%d} "
                f"{visit.get_mode_display()}走访该客户（{window} 天内）。",
            )
        )
    plans = (
        VisitPlan.objects.filter(
            client=client, status=VisitPlan.Status.PLANNED, planned_on__range=(start, end)
        )
        .exclude(manager=person)
        .select_related("manager")
        .order_by("planned_on", "id")
    )
    if exclude_plan:
        plans = plans.exclude(pk=exclude_plan)
    for plan in plans[:5]:
        if plan.manager_id in seen:
            continue
        seen.add(plan.manager_id)
        out.append(
            Warning(
                OverlapWarning.Kind.PLANNED,
                plan.manager,
                plan.planned_on,
                f"{plan.manager.name} 已计划于 {plan.planned_on:%Y-%m-%d} 走访该客户。",
            )
        )
    return out
