"""The 大客户档案 (R-7.5): what the visits chapter adds to a client's page."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Max, Q, QuerySet

from clients.models import Client, CrmFigure, CrmImport
from visits.models import FollowUp, Visit, VisitMode, VisitPlan
from visits.models.followups import NOT_CLOSED
from visits.selectors.overdue import VisitStatus, status_of


def client_visit_status(client: Client, today: dt.date) -> tuple[VisitStatus, dict]:
    """The client's visit status against its tier, and its visits over the
    last twelve months by mode. Two queries."""
    from visits.selectors.overdue import owner_since_subquery

    year_ago = today - dt.timedelta(days=365)
    stats = Visit.objects.filter(client=client).aggregate(
        last=Max("visited_on"),
        total=Count("pk"),
        year=Count("pk", filter=Q(visited_on__gt=year_ago)),
        **{m: Count("pk", filter=Q(mode=m, visited_on__gt=year_ago)) for m in VisitMode.values},
    )
    since = (
        Client.objects.filter(pk=client.pk)
        .annotate(since=owner_since_subquery())
        .values_list("since", flat=True)
        .first()
    )
    client.basis = stats["last"] or since or client.opened_on
    return status_of(client, today), stats


def client_visits(client: Client, limit: int = 10) -> QuerySet[Visit]:
    return (
        Visit.objects.filter(client=client)
        .select_related("visitor")
        .order_by("-visited_on", "-id")[:limit]
    )


def client_plans(client: Client, today: dt.date) -> QuerySet[VisitPlan]:
    return (
        VisitPlan.objects.filter(
            client=client, status=VisitPlan.Status.PLANNED, planned_on__gte=today
        )
        .select_related("manager")
        .order_by("planned_on", "id")[:5]
    )


def client_followups(client: Client) -> QuerySet[FollowUp]:
    """Every follow-up of the client not yet closed."""
    return (
        FollowUp.objects.filter(client=client, status__in=NOT_CLOSED)
        .select_related("owner")
        .order_by("due_on", "id")
    )


def client_closed_followups(client: Client) -> int:
    return FollowUp.objects.filter(client=client, status="closed").count()


def client_crm_figures(client: Client, months: int = 12) -> list[CrmFigure]:
    """The client's figures from the current CRM import of each month."""
    return list(
        CrmFigure.objects.filter(client=client, crm_import__status=CrmImport.Status.CURRENT)
        .select_related("manager")
        .order_by("-month")[:months]
    )
