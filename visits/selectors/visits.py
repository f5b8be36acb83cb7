"""Reads of visits, plans, monthly submissions and settings."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from clients.models import Client
from staff.models import User
from visits.models import (
    FollowUp,
    MonthlySubmission,
    OverlapWarning,
    Visit,
    VisitPlan,
    VisitSettings,
)
from visits.models.settings import DEFAULT_FOLLOWUP_DAYS, DEFAULT_OVERLAP_DAYS


def visits_for(user) -> QuerySet[Visit]:
    followups = (
        FollowUp.objects.filter(visit=OuterRef("pk"))
        .order_by()
        .values("visit")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Visit.objects.visible_to(user)
        .select_related("client__tier", "visitor", "team", "submission")
        .annotate(followup_count=Coalesce(Subquery(followups), 0))
    )


def visit_detail(user, pk: int) -> Visit:
    return get_object_or_404(
        Visit.objects.visible_to(user)
        .select_related(
            "client__tier", "client__manager", "visitor", "team", "branch", "submission"
        )
        .prefetch_related(Prefetch("companions", queryset=User.objects.order_by("employee_no"))),
        pk=pk,
    )


def visit_followups(visit: Visit) -> QuerySet[FollowUp]:
    return visit.followups.select_related("owner").order_by("id")


def plans_for(user) -> QuerySet[VisitPlan]:
    return VisitPlan.objects.visible_to(user).select_related(
        "client__tier", "manager", "team", "visit"
    )


def plan_detail(user, pk: int) -> VisitPlan:
    return get_object_or_404(plans_for(user), pk=pk)


def submissions_for(user) -> QuerySet[MonthlySubmission]:
    return MonthlySubmission.objects.visible_to(user).select_related(
        "visitor", "team", "verified_by"
    )


def submission_detail(user, pk: int) -> MonthlySubmission:
    return get_object_or_404(submissions_for(user), pk=pk)


def month_visits(visitor_id: int, month: dt.date) -> QuerySet[Visit]:
    return (
        Visit.objects.filter(visitor_id=visitor_id, month=month)
        .select_related("client__tier")
        .prefetch_related(Prefetch("companions", queryset=User.objects.order_by("employee_no")))
        .order_by("visited_on", "id")
    )


def my_months(user, *, count: int = 12) -> list[dict]:
    """The user's recent months: visits logged and where each month stands."""
    rows = (
        Visit.objects.filter(visitor=user)
        .values("month")
        .annotate(n=Count("pk"), unsent=Count("pk", filter=Q(submission__isnull=True)))
        .order_by("-month")[:count]
    )
    submissions = {
        s.month: s for s in MonthlySubmission.objects.filter(visitor=user).order_by("-month")[:24]
    }
    out = []
    for row in rows:
        out.append(
            {
                "month": row["month"],
                "visits": row["n"],
                "unsent": row["unsent"],
                "submission": submissions.get(row["month"]),
            }
        )
    return out


def settings_for(branch_id: int | None) -> VisitSettings:
    """The branch's own settings, else the company default."""
    rows = {
        s.branch_id: s
        for s in VisitSettings.objects.filter(Q(branch_id=branch_id) | Q(branch__isnull=True))
    }
    found = rows.get(branch_id) or rows.get(None)
    if found is None:
        return VisitSettings(
            branch=None, overlap_days=DEFAULT_OVERLAP_DAYS, followup_days=DEFAULT_FOLLOWUP_DAYS
        )
    return found


def overlaps_for(user) -> QuerySet[OverlapWarning]:
    return OverlapWarning.objects.visible_to(user).select_related(
        "client", "person", "other_person", "team", "other_team", "visit", "plan"
    )


# -- choosing a client in the forms ---------------------------------------------


def own_clients(user) -> QuerySet[Client]:
    """The clients a person owns today, for the visit and plan forms."""
    return (
        Client.objects.filter(manager=user)
        .exclude(status=Client.Status.CLOSED)
        .select_related("tier")
        .order_by("tier__rank", "name", "pk")
    )


def client_by_code(user, crm_code: str) -> Client | None:
    """Any client of the visitor's branch, by its 客户号 (R-7.6: client data
    is shared, not kept per person). Only the name and owner are shown."""
    if not user.branch_id:
        return None
    return (
        Client.objects.filter(crm_code=crm_code.strip(), branch_id=user.branch_id)
        .select_related("manager__team", "tier", "team")
        .first()
    )


def client_for_visit(user, pk: int) -> Client | None:
    """A client offered by id (from a link) to visit: any client of the
    visitor's branch, or one he may see."""
    client = Client.objects.select_related("manager__team", "tier", "team").filter(pk=pk).first()
    if client is None:
        return None
    if client.branch_id == user.branch_id or Client.objects.visible_to(user).filter(pk=pk).exists():
        return client
    return None


def may_visit(user, client: Client) -> bool:
    return bool(user.branch_id and client.branch_id == user.branch_id) or user.is_superuser
