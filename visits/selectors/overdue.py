"""Clients overdue for a visit by their tier (R-7.5: service is timely).

A client's *basis* is its last visit (by anyone, any mode), or — never
visited — the day its current owner took it over. It is overdue once the
basis is older than its tier's interval. Closed clients and clients
without a tier are not counted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import DateField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from clients.models import Client, ClientAssignment, ClientTier
from visits.models import Visit


def last_visit_subquery(field: str = "visited_on"):
    return Subquery(
        Visit.objects.filter(client=OuterRef("pk")).order_by("-visited_on", "-id").values(field)[:1]
    )


def owner_since_subquery():
    return Subquery(
        ClientAssignment.objects.filter(client=OuterRef("pk"), valid_to__isnull=True)
        .order_by("-valid_from")
        .values("valid_from")[:1]
    )


def with_visit_status(clients: QuerySet[Client]) -> QuerySet[Client]:
    return clients.annotate(
        last_visit=last_visit_subquery(),
        owner_since=owner_since_subquery(),
    ).annotate(basis=Coalesce("last_visit", "owner_since", "opened_on", output_field=DateField()))


def active_tiers() -> list[ClientTier]:
    return list(ClientTier.objects.filter(is_active=True).order_by("rank", "code"))


def overdue_q(today: dt.date, tiers: list[ClientTier]) -> Q:
    q = Q(pk__in=[])
    for tier in tiers:
        cutoff = today - dt.timedelta(days=tier.visit_interval_days)
        q |= Q(tier_id=tier.pk) & (Q(basis__lt=cutoff) | Q(basis__isnull=True))
    return q


def overdue_clients(
    clients: QuerySet[Client], today: dt.date, *, tiers: list[ClientTier] | None = None
) -> QuerySet[Client]:
    """``clients`` (already scoped) that are overdue, most important tier
    first, longest without a visit first within a tier."""
    tiers = active_tiers() if tiers is None else tiers
    return (
        with_visit_status(clients.exclude(status=Client.Status.CLOSED))
        .filter(overdue_q(today, tiers))
        .select_related("tier", "manager", "team")
        .order_by("tier__rank", "basis", "pk")
    )


@dataclass(frozen=True)
class VisitStatus:
    interval: int | None
    basis: dt.date | None
    due_on: dt.date | None
    days_left: int | None

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def overdue_days(self) -> int:
        return -self.days_left if self.overdue else 0

    @property
    def label(self) -> str:
        if self.interval is None:
            return "未分级"
        if self.days_left is None:
            return "未走访"
        if self.days_left < 0:
            return f"逾期 {-self.days_left} 天"
        if self.days_left <= 7:
            return f"{self.days_left} 天内应走访"
        return "正常"

    @property
    def css(self) -> str:
        if self.overdue:
            return "danger"
        if self.days_left is not None and self.days_left <= 7:
            return "warning"
        return "success"


def status_of(client: Client, today: dt.date) -> VisitStatus:
    """For a client annotated by :func:`with_visit_status`."""
    tier = client.tier
    if tier is None:
        return VisitStatus(None, getattr(client, "basis", None), None, None)
    basis = getattr(client, "basis", None)
    if basis is None:
        return VisitStatus(tier.visit_interval_days, None, None, -1)
    due = basis + dt.timedelta(days=tier.visit_interval_days)
    return VisitStatus(tier.visit_interval_days, basis, due, (due - today).days)
